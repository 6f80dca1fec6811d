"""Staff documents in admin: versions (published, never edited), and the page
where each staff member reads and accepts the current version."""

from django import forms
from django.contrib import admin, messages
from django.http import Http404, HttpResponseRedirect
from django.template.response import TemplateResponse
from django.urls import path, reverse
from django.utils.http import url_has_allowed_host_and_scheme
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from privacy.adminkit.people import AccountsByNameMixin
from privacy.adminkit.readonly import ReadOnlyAdminMixin
from privacy.staff.models import StaffDocument, StaffDocumentAcceptance
from privacy.staff.selectors import staff_document_acceptance, staff_document_current
from privacy.staff.services import staff_document_accept, staff_document_publish


class StaffDocumentAcceptForm(forms.Form):
    confirm = forms.BooleanField(
        required=True,
        error_messages={"required": gettext_lazy("Cochez la case pour confirmer.")},
    )


@admin.register(StaffDocument)
class StaffDocumentAdmin(admin.ModelAdmin):
    list_display = ("kind", "version", "effective_at", "created_at")
    list_filter = ("kind",)
    fields = ("kind", "text_fr", "text_en", "effective_at")

    def has_change_permission(self, request, obj=None):
        # A published version is never edited: publish the next one instead.
        return False

    def has_delete_permission(self, request, obj=None):
        return False

    def save_model(self, request, obj, form, change):
        published = staff_document_publish(
            kind=obj.kind,
            text_fr=obj.text_fr,
            text_en=obj.text_en,
            effective_at=obj.effective_at,
            actor=request.user,
            request=request,
        )
        obj.pk, obj.version, obj.created_at = published.pk, published.version, published.created_at
        obj._state.adding = False

    def get_urls(self):
        return [
            path(
                "read/<str:kind>/",
                self.admin_site.admin_view(self.read_view),
                name="privacy_staffdocument_read",
            ),
            *super().get_urls(),
        ]

    def read_view(self, request, kind):
        """Read the current version; accept (agreement) or acknowledge (procedures) it."""
        if kind not in StaffDocument.Kind.values:
            raise Http404
        document = staff_document_current(kind=kind)
        if document is None:
            raise Http404
        next_url = request.POST.get("next") or request.GET.get("next") or ""
        if not url_has_allowed_host_and_scheme(
            next_url, allowed_hosts={request.get_host()}, require_https=request.is_secure()
        ):
            next_url = reverse("admin:index")
        form = StaffDocumentAcceptForm(request.POST or None)
        if request.method == "POST" and form.is_valid():
            staff_document_accept(user=request.user, document=document, request=request)
            messages.success(
                request,
                _("Merci. Votre acceptation de la version %(version)s est enregistrée.")
                % {"version": document.version},
            )
            return HttpResponseRedirect(next_url)
        agreement = kind == StaffDocument.Kind.AGREEMENT
        context = {
            **self.admin_site.each_context(request),
            "opts": self.opts,
            "title": document.get_kind_display(),
            "document": document,
            "acceptance": staff_document_acceptance(user=request.user, document=document),
            "form": form,
            "next": next_url,
            "confirm_label": (
                _("J’ai lu cette entente et je m’engage à la respecter.")
                if agreement
                else _("J’ai lu ces politiques et procédures et je m’engage à les suivre.")
            ),
            "submit_label": _("J’accepte") if agreement else _("J’en prends connaissance"),
        }
        return TemplateResponse(request, "admin/privacy/staffdocument/read.html", context)


@admin.register(StaffDocumentAcceptance)
class StaffDocumentAcceptanceAdmin(AccountsByNameMixin, ReadOnlyAdminMixin, admin.ModelAdmin):
    account_fields = ("user",)
    list_display = ("document", "user", "accepted_at")
    list_filter = ("document__kind",)
    raw_id_fields = ("user",)

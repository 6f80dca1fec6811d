"""One request in the admin: what its page shows, and its own pages.

The columns read the request for the privacy officer (days left in colour bands,
the timeline, notes, the export and the deletion plan); the pages carry out one
button (``admin_actions.ACTIONS``), decide corrections, prepare the export, and
hand out the supporting document, each opening audited.
"""

from __future__ import annotations

from django.contrib import admin, messages
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import HttpRequest, HttpResponse, HttpResponseRedirect
from django.shortcuts import get_object_or_404
from django.template.response import TemplateResponse
from django.urls import path, reverse
from django.utils import timezone
from django.utils.html import format_html, format_html_join
from django.utils.translation import gettext_lazy as _
from django.utils.translation import ngettext

from privacy.adminkit.people import person_link
from privacy.requests import exports, selectors, services
from privacy.requests import forms as request_forms
from privacy.requests.admin_actions import ACTIONS
from privacy.requests.admin_list import TRIAGE, triage_users
from privacy.requests.consequences import fulfil_consequences
from privacy.requests.corrections import correction_field_label
from privacy.requests.models import (
    PrivacyRequest,
    RequestKind,
    RequestStatus,
    SupportingDocument,
)


class RequestColumnsMixin:
    """The read-only fields of PrivacyRequestAdmin."""

    # --- Columns -------------------------------------------------------------

    @admin.display(description=_("jours restants"))
    def days_left_band(self, obj):
        band = selectors.due_band(obj)
        if band == "done":
            return format_html('<span class="due-band due-done">{}</span>', "—")
        days = obj.days_left()
        label = (
            ngettext("%(n)d jour de retard", "%(n)d jours de retard", -days) % {"n": -days}
            if days < 0
            else ngettext("%(n)d jour", "%(n)d jours", days) % {"n": days}
        )
        return format_html('<span class="due-band due-{}">{}</span>', band, label)

    @admin.display(description=_("échéance"), ordering="effective_due")
    def due_display(self, obj):
        return obj.effective_due_on

    @admin.display(description=_("responsable"))
    def assignee_display(self, obj):
        return obj.assignee.email if obj.assignee else "—"

    @admin.display(description=_("membre"))
    def member_id_display(self, obj):
        # Name and member number, linked to the record (opening it is audited there).
        return person_link(obj.member_id, viewer=getattr(obj, "_viewer", None))

    @admin.display(description=_("prolongation"))
    def extension_display(self, obj):
        if not obj.extended_due_on:
            return "—"
        return format_html("{} → {}<br>{}", obj.due_on, obj.extended_due_on, obj.extension_reason)

    @admin.display(description=_("décision"))
    def decision_display(self, obj):
        if not obj.decided_at:
            return "—"
        return format_html("{}<br>{}", obj.decided_at, obj.decision_reasons or "")

    @admin.display(description=_("rectifications demandées"))
    def correction_items_display(self, obj):
        items = list(obj.correction_items.all())
        if not items:
            return "—"
        rows = format_html_join(
            "",
            "<tr><td>{}</td><td>{}</td><td>{}</td><td>{}</td><td>{}</td></tr>",
            (
                (
                    correction_field_label(i.model_label, i.field_name),
                    i.current_value,
                    i.proposed_value,
                    i.get_decision_display(),
                    i.decision_reason,
                )
                for i in items
            ),
        )
        return format_html(
            '<table class="request-items"><thead><tr><th>{}</th><th>{}</th><th>{}</th>'
            "<th>{}</th><th>{}</th></tr></thead><tbody>{}</tbody></table>",
            _("Renseignement"),
            _("Valeur actuelle"),
            _("Valeur proposée"),
            _("Décision"),
            _("Motifs"),
            rows,
        )

    @admin.display(description=_("pièce justificative"))
    def document_display(self, obj):
        document = getattr(obj, "supporting_document", None)
        if document is None:
            return "—"
        url = reverse("admin:privacy_privacyrequest_document", args=[obj.pk])
        return format_html(
            '<a href="{}">{}</a> ({}, {} o)', url, _("Ouvrir"), document.content_type, document.size
        )

    @admin.display(description=_("exportation"))
    def export_display(self, obj):
        archive = getattr(obj, "export", None) if obj.kind == RequestKind.ACCESS else None
        if archive is None:
            return "—"
        url = reverse("admin:privacy_privacyrequest_export", args=[obj.pk])
        state = (
            _("remise le %(date)s") % {"date": archive.released_at}
            if archive.released_at
            else _("brouillon")
        )
        return format_html(
            '<a href="{}">{}</a> — {} — {}',
            url,
            _("Aperçu et retranchements"),
            state,
            _("expire le %(date)s") % {"date": archive.expires_at},
        )

    @admin.display(description=_("plan de suppression"))
    def deletion_plan_display(self, obj):
        plan = obj.deletion_plan or {}
        parts = []
        for stage, title in (("shown", _("Montré au membre")), ("executed", _("Exécuté"))):
            groups = (plan.get(stage) or {}).get("groups", [])
            if not groups:
                continue
            rows = format_html_join(
                "",
                "<li>{} : {} ({}) {}</li>",
                ((g["action"], g["title"], g["count"], g.get("until") or "") for g in groups),
            )
            parts.append(format_html("<p><strong>{}</strong></p><ul>{}</ul>", title, rows))
        return format_html_join("", "{}", ((p,) for p in parts)) or "—"

    @admin.display(description=_("suivi et messages"))
    def timeline_display(self, obj):
        entries = selectors.privacy_request_timeline(privacy_request=obj)
        return format_html(
            '<ol class="request-timeline">{}</ol>',
            format_html_join(
                "",
                "<li><strong>{}</strong> {} {}</li>",
                (
                    (
                        timezone.localtime(e.at).strftime("%Y-%m-%d %H:%M"),
                        e.status_label
                        or (_("Message du membre") if e.from_member else _("Message au membre")),
                        e.body,
                    )
                    for e in entries
                ),
            ),
        )

    @admin.display(description=_("notes internes"))
    def notes_display(self, obj):
        notes = list(obj.notes.select_related("author"))
        if not notes:
            return "—"
        return format_html(
            "<ul>{}</ul>",
            format_html_join(
                "",
                "<li><strong>{} {}</strong> {}</li>",
                (
                    (
                        timezone.localtime(n.created_at).strftime("%Y-%m-%d %H:%M"),
                        n.author.email if n.author else "",
                        n.body,
                    )
                    for n in notes
                ),
            ),
        )


class RequestPagesMixin:
    """The request's own pages on PrivacyRequestAdmin (URLs under its change page)."""

    # --- Custom pages ------------------------------------------------------------

    def get_urls(self):
        wrap = self.admin_site.admin_view
        return [
            path(
                "<uuid:object_id>/act/<str:action>/",
                wrap(self.act_view),
                name="privacy_privacyrequest_act",
            ),
            path(
                "<uuid:object_id>/corrections/",
                wrap(self.corrections_view),
                name="privacy_privacyrequest_corrections",
            ),
            path(
                "<uuid:object_id>/export/",
                wrap(self.export_view),
                name="privacy_privacyrequest_export",
            ),
            path(
                "<uuid:object_id>/document/",
                wrap(self.document_view),
                name="privacy_privacyrequest_document",
            ),
            *super().get_urls(),
        ]

    def _get(self, request, object_id) -> PrivacyRequest:
        if not request.user.has_perm(TRIAGE):
            raise PermissionDenied
        return get_object_or_404(PrivacyRequest.objects.select_related("member"), pk=object_id)

    def _page(self, request, template, obj, **context):
        return TemplateResponse(
            request,
            f"admin/privacy/privacyrequest/{template}",
            {
                **self.admin_site.each_context(request),
                "opts": self.model._meta,
                "original": obj,
                "title": obj.reference,
                **context,
            },
        )

    def _back(self, obj):
        return HttpResponseRedirect(reverse("admin:privacy_privacyrequest_change", args=[obj.pk]))

    def act_view(self, request: HttpRequest, object_id, action: str) -> HttpResponse:
        obj = self._get(request, object_id)
        if action not in ACTIONS:
            raise PermissionDenied
        spec = ACTIONS[action]
        form_class = spec["form"]
        kwargs = {"assignees": triage_users()} if action == "assign" else {}
        form = form_class(request.POST if request.method == "POST" else None, **kwargs)
        if request.method == "POST" and form.is_valid():
            try:
                spec["run"](obj, request, form.cleaned_data)
            except services.CorrectionNotApplied as error:
                # Committed: the request is back in review; say which item and why.
                self.message_user(request, " ".join(error.messages), messages.ERROR)
                return self._back(obj)
            except ValidationError as error:
                form.add_error(None, error)
            else:
                self.message_user(request, spec["done"], messages.SUCCESS)
                return self._back(obj)
        consequence = fulfil_consequences(privacy_request=obj) if action == "fulfil" else None
        return self._page(
            request,
            "act.html",
            obj,
            form=form,
            action_label=spec["label"],
            consequence=consequence,
        )

    def corrections_view(self, request: HttpRequest, object_id) -> HttpResponse:
        obj = self._get(request, object_id)
        items = list(obj.correction_items.all())
        prefixed = [
            (
                item,
                request_forms.CorrectionDecisionForm(
                    request.POST if request.method == "POST" else None,
                    prefix=str(item.pk),
                    # Undecided until someone decides: never pre-set to accepted.
                    initial={"decision": item.decision, "reason": item.decision_reason},
                ),
            )
            for item in items
        ]
        errors = []
        if request.method == "POST" and all(form.is_valid() for _item, form in prefixed):
            decisions = {
                str(item.pk): (form.cleaned_data["decision"], form.cleaned_data["reason"])
                for item, form in prefixed
            }
            try:
                services.privacy_request_correction_decide(
                    privacy_request=obj, actor=request.user, decisions=decisions
                )
            except ValidationError as error:
                errors = error.messages
            else:
                self.message_user(request, _("Décisions enregistrées."), messages.SUCCESS)
                return self._back(obj)
        return self._page(
            request,
            "corrections.html",
            obj,
            rows=[
                (item, correction_field_label(item.model_label, item.field_name), form)
                for item, form in prefixed
            ],
            errors=errors,
        )

    def export_view(self, request: HttpRequest, object_id) -> HttpResponse:
        obj = self._get(request, object_id)
        archive = getattr(obj, "export", None)
        if archive is None:
            self.message_user(
                request, _("Aucune exportation pour cette demande."), messages.WARNING
            )
            return self._back(obj)
        data = exports.export_read(archive=archive)
        choices = [
            (
                f"{section['model']}/{row['id']}/{name}",
                f"{section['title']} · {row['id']} · {name} = {value}",
            )
            for section in data["sections"]
            for row in section["rows"]
            for name, value in row["values"].items()
            if value not in (None, "")
        ]
        form = request_forms.SeverForm(
            request.POST if request.method == "POST" else None, choices=choices
        )
        if request.method == "POST" and form.is_valid():
            try:
                services.privacy_request_export_sever(
                    privacy_request=obj,
                    actor=request.user,
                    paths=form.cleaned_data["paths"],
                    reason=form.cleaned_data["reason"],
                )
            except ValidationError as error:
                form.add_error(None, error)
            else:
                self.message_user(request, _("Renseignements retranchés."), messages.SUCCESS)
                return HttpResponseRedirect(request.path)
        elif request.method == "GET":
            self.audit_view(request, obj, part="export")
        return self._page(
            request,
            "export.html",
            obj,
            data=data,
            archive=archive,
            form=form,
            editable=archive.released_at is None and obj.status == RequestStatus.APPROVED,
        )

    def document_view(self, request: HttpRequest, object_id) -> HttpResponse:
        obj = self._get(request, object_id)
        document = get_object_or_404(SupportingDocument, request=obj)
        self.audit_view(request, obj, part="document")
        response = HttpResponse(bytes(document.content), content_type=document.content_type)
        response["Content-Disposition"] = f'attachment; filename="{obj.reference}-document"'
        response["X-Content-Type-Options"] = "nosniff"
        return response

"""Retention in admin: purge runs and the anonymisation register (read-only),
the effective rules, and legal holds (placed and released through services)."""

from django import forms
from django.apps import apps
from django.contrib import admin
from django.contrib.auth import get_user_model
from django.core.exceptions import PermissionDenied, ValidationError
from django.template.response import TemplateResponse
from django.urls import path
from django.utils import timezone
from django.utils.functional import Promise
from django.utils.translation import gettext_lazy as _
from django.utils.translation import ngettext

from privacy.adminkit.people import account_label, accounts_matching, person_link
from privacy.retention.api import legal_hold_place, legal_hold_release, retention_rules
from privacy.retention.dashboard import HoldStateFilter
from privacy.retention.models import AnonymisationRecord, LegalHold, RetentionRun, RetentionRunLine


class ReadOnlyAdminMixin:
    """Proof of destruction: nobody adds, edits or deletes it in admin."""

    def has_add_permission(self, request, obj=None) -> bool:
        return False

    def has_change_permission(self, request, obj=None) -> bool:
        return False

    def has_delete_permission(self, request, obj=None) -> bool:
        return False


def _model_name(label: str) -> str:
    """What staff call a model's rows ("membres"), not its label ("members.Member")."""
    try:
        return str(apps.get_model(label)._meta.verbose_name_plural)
    except (LookupError, ValueError):
        return label


class RetentionRunLineInline(ReadOnlyAdminMixin, admin.StackedInline):
    # Stacked: one block per model, readable on a phone without a scrolling table.
    model = RetentionRunLine
    extra = 0
    fields = (
        "model_display",
        "action",
        "count",
        "window_days",
        "starts_from",
        "cutoff",
        "held",
        "blocked",
        "deferred",
        "cascaded_display",
        "keys_destroyed",
        "finished",
    )
    readonly_fields = fields

    @admin.display(description=_("données"))
    def model_display(self, line: RetentionRunLine) -> str:
        return line.model_name

    @admin.display(description=_("suppressions en cascade"))
    def cascaded_display(self, line: RetentionRunLine) -> str:
        if not line.cascaded:
            return "—"
        return ", ".join(
            f"{_model_name(label)} : {count}" for label, count in sorted(line.cascaded.items())
        )

    def has_view_permission(self, request, obj=None) -> bool:
        """The lines are the run: whoever may read runs reads them."""
        return request.user.has_perm("privacy.view_retentionrun")

    @admin.display(description=_("délai (jours)"))
    def window_days(self, line: RetentionRunLine) -> int:
        return line.window.days


@admin.register(RetentionRun)
class RetentionRunAdmin(ReadOnlyAdminMixin, admin.ModelAdmin):
    list_display = (
        "started",
        "finished",
        "status",
        "dry_run",
        "started_by_display",
        "model_label_display",
    )
    list_filter = ("status", "dry_run")
    date_hierarchy = "started"
    fields = (
        "started",
        "finished",
        "status",
        "dry_run",
        "started_by_display",
        "model_label_display",
        "batch_size",
    )
    readonly_fields = fields

    @admin.display(description=_("lancée par"))
    def started_by_display(self, run: RetentionRun) -> str | Promise:
        """In words: the schedule, an operator's command, or the colleague who started it."""
        if run.started_by == RetentionRun.BY_BEAT:
            return _("Planification automatique")
        if run.started_by == RetentionRun.BY_COMMAND:
            return _("Commande d’un opérateur")
        try:
            account = get_user_model().objects.filter(pk=run.started_by).first()
        except (ValueError, ValidationError):
            account = None
        return account_label(account) if account else _("Compte supprimé")

    @admin.display(description=_("modèle visé"))
    def model_label_display(self, run: RetentionRun) -> str | Promise:
        return run.model_label or _("Tous les modèles")

    inlines = [RetentionRunLineInline]
    change_list_template = "admin/privacy/retentionrun/change_list.html"

    def get_urls(self):
        rules = path(
            "rules/",
            self.admin_site.admin_view(self.rules_view),
            name="privacy_retentionrun_rules",
        )
        return [rules, *super().get_urls()]

    def rules_view(self, request):
        """The effective retention rules: the data map's windows with settings overrides."""
        if not self.has_view_permission(request):
            raise PermissionDenied
        context = {
            **self.admin_site.each_context(request),
            "opts": self.model._meta,
            "title": _("Règles de conservation en vigueur"),
            "rules": [
                {
                    "rule": rule,
                    "verbose_name": rule.model._meta.verbose_name,
                    "days": rule.keep_for.days,
                    "declared_days": rule.declaration.retention.keep_for.days,
                    "action": RetentionRunLine.Action(rule.action.value).label,
                }
                for rule in retention_rules()
            ],
        }
        return TemplateResponse(request, "admin/privacy/retentionrun/rules.html", context)


@admin.register(AnonymisationRecord)
class AnonymisationRecordAdmin(ReadOnlyAdminMixin, admin.ModelAdmin):
    list_display = ("performed", "model_label", "purpose", "rows")
    date_hierarchy = "performed"
    fields = ("performed", "line", "purpose", "method", "fields")
    readonly_fields = fields
    list_select_related = ("line",)

    @admin.display(description=_("modèle"), ordering="line__model_label")
    def model_label(self, record: AnonymisationRecord) -> str:
        return record.line.model_label

    @admin.display(description=_("lignes anonymisées"))
    def rows(self, record: AnonymisationRecord) -> int:
        return record.line.count


class LegalHoldForm(forms.ModelForm):
    # Staff name the person by a number they know, or the request that calls for the hold.
    person = forms.CharField(
        label=_("personne visée"),
        max_length=40,
        help_text=_(
            "Numéro d’étudiant ou numéro de membre exact, ou référence d’une demande "
            "(DPR-…) : le blocage vise le compte de cette personne."
        ),
    )

    class Meta:
        model = LegalHold
        fields = ("person", "kind", "reason", "ends", "source_id")

    def clean_person(self):
        term = self.cleaned_data["person"].strip()
        accounts = accounts_matching(term)
        if not accounts:
            raise forms.ValidationError(
                _("Aucun compte de membre ne correspond à ce numéro ou à cette référence.")
            )
        if len(accounts) > 1:
            raise forms.ValidationError(
                _("Ce numéro désigne plusieurs comptes : donnez le numéro de membre.")
            )
        self.cleaned_data["subject"] = get_user_model().objects.get(pk=accounts.pop())
        if term.upper().startswith("DPR-") and not self.data.get("source_id"):
            self.cleaned_data["source_id"] = term.upper()
        return term

    def clean(self):
        cleaned = super().clean()
        if "subject" in self.cleaned_data:
            cleaned["subject"] = self.cleaned_data["subject"]
        if cleaned.get("person", "").upper().startswith("DPR-") and not cleaned.get("source_id"):
            cleaned["source_id"] = cleaned["person"].upper()
        ends = cleaned.get("ends")
        if cleaned.get("kind") == LegalHold.Kind.EXPLICIT and ends is None:
            self.add_error("ends", _("Un blocage explicite doit avoir une date de fin."))
        if ends is not None and ends <= timezone.now():
            self.add_error("ends", _("La date de fin doit être dans le futur."))
        return cleaned


@admin.register(LegalHold)
class LegalHoldAdmin(admin.ModelAdmin):
    form = LegalHoldForm
    list_display = ("starts", "kind", "ends", "released", "in_force", "source_id")
    list_filter = (HoldStateFilter, "kind")
    search_fields = ("source_id",)
    actions = ["release"]

    def get_readonly_fields(self, request, obj=None):
        if obj is None:
            return ()
        return (
            "subject_display",
            "kind",
            "reason",
            "starts",
            "ends",
            "released",
            "source_id",
            "placed_by_display",
            "released_by_display",
        )

    def get_fields(self, request, obj=None):
        return self.get_readonly_fields(request, obj) or self.form.Meta.fields

    def has_delete_permission(self, request, obj=None) -> bool:
        return False

    def render_change_form(self, request, context, add=False, change=False, form_url="", obj=None):
        if obj is not None:
            obj._viewer = request.user  # who reads the page: may they follow the member link?
        return super().render_change_form(
            request, context, add=add, change=change, form_url=form_url, obj=obj
        )

    @admin.display(description=_("placé par"))
    def placed_by_display(self, hold: LegalHold) -> str:
        return account_label(hold.placed_by) if hold.placed_by_id else "—"

    @admin.display(description=_("levé par"))
    def released_by_display(self, hold: LegalHold) -> str:
        return account_label(hold.released_by) if hold.released_by_id else "—"

    @admin.display(description=_("compte visé"))
    def subject_display(self, hold: LegalHold):
        return person_link(hold.subject_id, viewer=getattr(hold, "_viewer", None))

    @admin.display(description=_("en vigueur"), boolean=True)
    def in_force(self, hold: LegalHold) -> bool:
        return hold.in_force()

    def save_model(self, request, obj, form, change):
        """Holds are placed by the service, never edited afterwards."""
        if change:
            return
        placed = legal_hold_place(
            subject=form.cleaned_data["subject"],
            kind=form.cleaned_data["kind"],
            reason=form.cleaned_data["reason"],
            ends=form.cleaned_data["ends"],
            placed_by=request.user,
            source_id=form.cleaned_data["source_id"],
        )
        obj.pk, obj.starts, obj._state = placed.pk, placed.starts, placed._state

    @admin.action(description=_("Lever les blocages sélectionnés…"), permissions=["change"])
    def release(self, request, queryset):
        """Lifting a hold lets the purge destroy what it kept: say so, hold by hold, first."""
        holds = list(
            queryset.filter(released__isnull=True).select_related("subject").order_by("starts")
        )
        if request.POST.get("confirmed") != "yes":
            for hold in holds:  # the account by its member number, never its id
                hold.subject_label = account_label(hold.subject)
            return TemplateResponse(
                request,
                "admin/privacy/legalhold/release_confirm.html",
                {
                    **self.admin_site.each_context(request),
                    "opts": self.model._meta,
                    "title": _("Lever ces blocages ?"),
                    "holds": holds,
                    "action_checkbox_name": admin.helpers.ACTION_CHECKBOX_NAME,
                },
            )
        released = sum(legal_hold_release(hold=hold, released_by=request.user) for hold in holds)
        self.message_user(
            request,
            ngettext("%(count)d blocage levé.", "%(count)d blocages levés.", released)
            % {"count": released},
        )

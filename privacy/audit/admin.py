"""The audit log in admin: read-only, for the privacy officer.

Staff question it by kind of action, role, staff member, account concerned and
date, read it in words (names, labels, Montreal time to the minute), and export
what they filtered as CSV, which is itself an audited action.
"""

from datetime import timedelta

from django.contrib import admin
from django.contrib.auth import get_user_model
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from privacy.adminkit.big_lists import BigListMixin
from privacy.adminkit.csv_export import CsvExportMixin
from privacy.adminkit.readonly import ReadOnlyAdminMixin
from privacy.audit.models import AuditCheckpoint, AuditEntry
from privacy.roles import ACTOR_LABELS

# An action code is "<family>.<verb>"; staff filter by family (no DISTINCT over the log).
ACTION_FAMILIES = {
    "admin": _("Consultations et modifications en administration"),
    "privacy_request": _("Demandes d’accès, de rectification et de suppression"),
    "members": _("Dossiers de membres et personnes à charge"),
    "coverage": _("Couverture et adhésions"),
    "disclosure": _("Communications à des tiers"),
    "legal_hold": _("Conservation pour motif légal"),
    "retention": _("Purges de conservation"),
    "staff_document": _("Engagements du personnel"),
    "audit": _("Journal d’audit"),
}


def action_family_label(action: str) -> str:
    return str(ACTION_FAMILIES.get(action.partition(".")[0], action))


class ActionFamilyFilter(admin.SimpleListFilter):
    title = _("type d’action")
    parameter_name = "family"

    def lookups(self, request, model_admin):
        return list(ACTION_FAMILIES.items())

    def queryset(self, request, queryset):
        family = self.value()
        if family in ACTION_FAMILIES:
            return queryset.filter(action__startswith=f"{family}.")
        return queryset


class ActorRoleFilter(admin.SimpleListFilter):
    title = _("rôle de l’auteur")
    parameter_name = "role"

    def lookups(self, request, model_admin):
        return list(ACTOR_LABELS.items())

    def queryset(self, request, queryset):
        return queryset.filter(actor_role=self.value()) if self.value() else queryset


class StaffActorFilter(admin.SimpleListFilter):
    """The staff accounts, by e-mail: few, and the only actors staff need to pick."""

    title = _("membre du personnel")
    parameter_name = "actor"

    def lookups(self, request, model_admin):
        staff = get_user_model().objects.filter(is_staff=True).order_by("email")
        return [(str(user.pk), user.email) for user in staff.only("pk", "email")]

    def queryset(self, request, queryset):
        return queryset.filter(actor_id=self.value()) if self.value() else queryset


class PeriodFilter(admin.SimpleListFilter):
    """Recent periods, by the index on the date (a date hierarchy lists its years and
    months with a DISTINCT over every entry of the log)."""

    title = _("période")
    parameter_name = "period"
    DAYS = {"today": 0, "7d": 7, "30d": 30, "365d": 365}

    def lookups(self, request, model_admin):
        return [
            ("today", _("Aujourd’hui")),
            ("7d", _("7 derniers jours")),
            ("30d", _("30 derniers jours")),
            ("365d", _("12 derniers mois")),
        ]

    def queryset(self, request, queryset):
        days = self.DAYS.get(self.value() or "")
        if days is None:
            return queryset
        start = timezone.localtime().replace(hour=0, minute=0, second=0, microsecond=0)
        start -= timedelta(days=days)
        # Entries are numbered as they are written: the period's first number bounds the
        # list on its primary key, which it is ordered by (a date range would be sorted).
        first = (
            AuditEntry.objects.filter(created_at__gte=start)
            .order_by("created_at")
            .values_list("id", flat=True)
            .first()
        )
        if first is None:
            return queryset.none()
        return queryset.filter(id__gte=first, created_at__gte=start)


class ReadOnlyAdmin(ReadOnlyAdminMixin, admin.ModelAdmin):
    pass


@admin.register(AuditEntry)
class AuditEntryAdmin(CsvExportMixin, BigListMixin, ReadOnlyAdmin):
    list_display = (
        "id",
        "when",
        "actor_label",
        "role_label",
        "action_label",
        "object_label",
        "subject_label",
        "ip_prefix",
    )
    # Fixed choices (no DISTINCT over the log), each served by an index with the id.
    list_filter = (PeriodFilter, ActionFamilyFilter, ActorRoleFilter, StaffActorFilter)
    # Exact ids only: the log is searched by object or account, never by value
    # (each an index lookup; "=field" would compare UPPER() and scan the log).
    exact_search_fields = ("object_id", "subject_id", "actor_id")
    search_help_text = _(
        "Identifiant exact d’un objet ou d’un compte (tel qu’il figure dans l’adresse de sa fiche)."
    )

    def get_changelist_instance(self, request):
        changelist = super().get_changelist_instance(request)
        self.csv_prepare(request, changelist.result_list)
        return changelist

    def csv_prepare(self, request, entries) -> None:
        """Name the accounts of the entries shown: one query for the page (or the export)."""
        ids = {e.actor_id for e in entries} | {e.subject_id for e in entries}
        ids.discard("")
        users = get_user_model().objects.filter(pk__in=ids).only("pk", "email") if ids else []
        emails = {str(user.pk): user.email for user in users}
        gone = str(_("compte supprimé"))
        for entry in entries:
            entry.actor_email = emails.get(entry.actor_id, gone) if entry.actor_id else ""
            entry.subject_email = emails.get(entry.subject_id, gone) if entry.subject_id else ""

    @admin.display(description=_("date"), ordering="created_at")
    def when(self, entry: AuditEntry) -> str:
        return timezone.localtime(entry.created_at).strftime("%Y-%m-%d %H:%M")

    @admin.display(description=_("auteur"))
    def actor_label(self, entry: AuditEntry) -> str:
        return getattr(entry, "actor_email", "") or str(ACTOR_LABELS["system"])

    @admin.display(description=_("rôle"))
    def role_label(self, entry: AuditEntry) -> str:
        return str(ACTOR_LABELS.get(entry.actor_role, entry.actor_role))

    @admin.display(description=_("action"))
    def action_label(self, entry: AuditEntry) -> str:
        return f"{action_family_label(entry.action)} ({entry.action})"

    @admin.display(description=_("objet"))
    def object_label(self, entry: AuditEntry) -> str:
        from django.apps import apps

        if not entry.object_type:
            return ""
        try:
            return str(apps.get_model(entry.object_type)._meta.verbose_name)
        except (LookupError, ValueError):
            return entry.object_type

    @admin.display(description=_("compte concerné"))
    def subject_label(self, entry: AuditEntry) -> str:
        return getattr(entry, "subject_email", "")

    def csv_header(self) -> list[str]:
        return [
            str(_("numéro")),
            str(_("date")),
            str(_("auteur")),
            str(_("rôle")),
            str(_("action")),
            str(_("objet")),
            str(_("identifiant de l’objet")),
            str(_("compte concerné")),
        ]

    def csv_row(self, entry: AuditEntry) -> list[object]:
        return [
            entry.id,
            self.when(entry),
            self.actor_label(entry),
            self.role_label(entry),
            self.action_label(entry),
            self.object_label(entry),
            entry.object_id,
            self.subject_label(entry),
        ]


@admin.register(AuditCheckpoint)
class AuditCheckpointAdmin(ReadOnlyAdmin):
    list_display = ("through_id", "removed_count", "created_at")

"""Retention on the dashboard: legal holds ending soon (privacy officer); the last purge
and the purge lock (operator). Counts and states, never a held person."""

from __future__ import annotations

from datetime import timedelta

from django.contrib import admin
from django.db.models import QuerySet, Sum
from django.urls import reverse
from django.utils import formats, timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from privacy.adminkit.dashboard import Figure, Panel, dashboard_panel
from privacy.retention.engine import purge_lock_holder
from privacy.retention.models import LegalHold, RetentionRun, RetentionRunLine
from privacy.roles import OPERATOR, PRIVACY_OFFICER

HOLDS_ENDING_DAYS = 7


def legal_holds_in_force() -> QuerySet[LegalHold]:
    return LegalHold.objects.active().filter(released__isnull=True)


def legal_holds_ending_soon(*, days: int = HOLDS_ENDING_DAYS) -> QuerySet[LegalHold]:
    """Holds in force whose planned end falls within ``days``: keep or let go, now."""
    limit = timezone.now() + timedelta(days=days)
    return legal_holds_in_force().filter(ends__isnull=False, ends__lte=limit)


class HoldStateFilter(admin.SimpleListFilter):
    title = gettext_lazy("état")
    parameter_name = "state"

    def lookups(self, request, model_admin):
        return [
            ("in_force", gettext_lazy("En vigueur")),
            ("ending", gettext_lazy("Fin prévue dans les 7 prochains jours")),
            ("ended", gettext_lazy("Terminés ou levés")),
        ]

    def queryset(self, request, queryset):
        value = self.value()
        if value == "in_force":
            return queryset.filter(pk__in=legal_holds_in_force().values("pk"))
        if value == "ending":
            return queryset.filter(pk__in=legal_holds_ending_soon().values("pk"))
        if value == "ended":
            return queryset.exclude(pk__in=legal_holds_in_force().values("pk"))
        return queryset


@dashboard_panel(PRIVACY_OFFICER, order=30)
def holds_panel(request) -> Panel | None:
    if not request.user.has_perm("privacy.view_legalhold"):
        return None
    holds = reverse("admin:privacy_legalhold_changelist")
    ending = legal_holds_ending_soon().count()
    return Panel(
        _("Blocages légaux"),
        [
            Figure(
                _("Fin prévue dans les 7 prochains jours"),
                f"{holds}?state=ending",
                count=ending,
                tone="alert" if ending else "",
            ),
            Figure(
                _("En vigueur"), f"{holds}?state=in_force", count=legal_holds_in_force().count()
            ),
        ],
    )


def _minute(moment) -> str:
    return formats.date_format(timezone.localtime(moment), "DATETIME_FORMAT")


def last_purge() -> RetentionRun | None:
    """The last real purge (simulations excluded): what the operator answers for."""
    return RetentionRun.objects.filter(dry_run=False).order_by("-started").first()


def purge_counts(run: RetentionRun) -> dict[str, int]:
    """Rows deleted, anonymised and kept under a legal hold by ``run``, from its ledger lines."""
    lines = RetentionRunLine.objects.filter(run=run)
    totals = {
        action: lines.filter(action=action).aggregate(n=Sum("count"))["n"] or 0
        for action in RetentionRunLine.Action.values
    }
    totals["held"] = lines.aggregate(n=Sum("held"))["n"] or 0
    return totals


@dashboard_panel(OPERATOR, order=10)
def purge_panel(request) -> Panel | None:
    if not request.user.has_perm("privacy.view_retentionrun"):
        return None
    runs = reverse("admin:privacy_retentionrun_changelist")
    run = last_purge()
    figures = []
    if run is None:
        figures.append(Figure(_("Dernière purge"), runs, text=_("Aucune purge encore")))
    else:
        url = reverse("admin:privacy_retentionrun_change", args=[run.pk])
        counts = purge_counts(run)
        finished = run.status == RetentionRun.Status.FINISHED
        figures += [
            Figure(
                _("Dernière purge"),
                url,
                text=f"{_minute(run.started)} — {run.get_status_display()}",
                tone="ok" if finished else "alert",
            ),
            Figure(_("Lignes supprimées"), url, count=counts[RetentionRunLine.Action.DELETE]),
            Figure(_("Lignes anonymisées"), url, count=counts[RetentionRunLine.Action.ANONYMISE]),
            Figure(_("Lignes retenues par un blocage légal"), url, count=counts["held"]),
        ]
    holder = purge_lock_holder()
    running = f"{runs}?status__exact={RetentionRun.Status.RUNNING}"
    if holder is None:
        figures.append(Figure(_("Verrou de purge"), running, text=_("Libre"), tone="ok"))
    else:
        figures.append(
            Figure(
                _("Verrou de purge"),
                running,
                text=_("Tenu par %(host)s depuis %(since)s")
                % {"host": holder.hostname, "since": _minute(holder.since)},
                tone="alert",
            )
        )
    simulations = RetentionRun.objects.filter(dry_run=True).count()
    figures.append(Figure(_("Simulations"), f"{runs}?dry_run__exact=1", count=simulations))
    return Panel(_("Purges de conservation"), figures)

"""Confidentiality incidents on the privacy officer's dashboard.

An incident stays open while a notice the regulation requires for a risk of
serious injury (to the Commission, to the people concerned) has not been given.
"""

from __future__ import annotations

from django.contrib import admin
from django.db.models import Q, QuerySet
from django.urls import reverse
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from privacy.adminkit.dashboard import Figure, Panel, dashboard_panel
from privacy.registers.models import ConfidentialityIncident
from privacy.roles import PRIVACY_OFFICER


def incidents_open() -> QuerySet[ConfidentialityIncident]:
    return ConfidentialityIncident.objects.filter(serious_injury_risk=True).filter(
        Q(commission_notified_on__isnull=True) | Q(people_notified_on__isnull=True)
    )


class IncidentStateFilter(admin.SimpleListFilter):
    title = gettext_lazy("avis")
    parameter_name = "notice"

    def lookups(self, request, model_admin):
        return [
            ("open", gettext_lazy("Avis à donner (risque de préjudice sérieux)")),
            ("done", gettext_lazy("Sans avis à donner")),
        ]

    def queryset(self, request, queryset):
        if self.value() == "open":
            return queryset.filter(pk__in=incidents_open().values("pk"))
        if self.value() == "done":
            return queryset.exclude(pk__in=incidents_open().values("pk"))
        return queryset


@dashboard_panel(PRIVACY_OFFICER, order=20)
def incidents_panel(request) -> Panel | None:
    if not request.user.has_perm("privacy.view_confidentialityincident"):
        return None
    url = reverse("admin:privacy_confidentialityincident_changelist")
    open_count = incidents_open().count()
    return Panel(
        _("Incidents de confidentialité"),
        [
            Figure(
                _("Avis à donner"),
                f"{url}?notice=open",
                count=open_count,
                tone="alert" if open_count else "ok",
            ),
            Figure(_("Inscrits au registre"), url, count=ConfidentialityIncident.objects.count()),
        ],
    )

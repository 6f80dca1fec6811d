"""The privacy officer's requests on the dashboard: by deadline band, each a filtered queue.

The counts are those of the queue the figure links to: open requests (the
queue's default state) in the band of ``DueFilter``.
"""

from __future__ import annotations

from datetime import timedelta

from django.db.models import QuerySet
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _

from privacy.adminkit.dashboard import Figure, Panel, dashboard_panel
from privacy.requests import selectors
from privacy.requests.app_settings import app_settings
from privacy.requests.models import OPEN_STATUSES, PrivacyRequest, RequestStatus
from privacy.roles import MEMBER_SERVICES, PRIVACY_OFFICER

BANDS = ("overdue", "soon", "later", "extended")


def privacy_requests_in_band(*, band: str, today=None) -> QuerySet[PrivacyRequest]:
    """Open requests in a deadline band, as the queue's "échéance" filter selects them."""
    today = today or timezone.localdate()
    soon = today + timedelta(days=app_settings.DUE_SOON_DAYS)
    open_requests = PrivacyRequest.objects.filter(status__in=OPEN_STATUSES)
    if band == "overdue":
        band_rows = selectors.privacy_requests_overdue(today=today)
    elif band == "soon":
        band_rows = selectors.privacy_requests_due_between(start=today, end=soon)
    elif band == "later":
        band_rows = selectors.privacy_requests_due_between(start=soon + timedelta(days=1), end=None)
    elif band == "extended":
        return open_requests.filter(extended_due_on__isnull=False)
    else:
        raise ValueError(f"Unknown band {band!r}")
    return open_requests.filter(pk__in=band_rows.values("pk"))


@dashboard_panel(PRIVACY_OFFICER, order=10)
def requests_panel(request) -> Panel | None:
    if not request.user.has_perm("privacy.triage_privacyrequest"):
        return None
    queue = reverse("admin:privacy_privacyrequest_changelist")
    labels = {
        "overdue": _("En retard"),
        "soon": _("Échéance dans les 7 prochains jours"),
        "later": _("Échéance plus tard"),
        "extended": _("Délai prolongé"),
    }
    figures = []
    for band in BANDS:
        count = privacy_requests_in_band(band=band).count()
        tone = "alert" if band == "overdue" and count else ""
        figures.append(Figure(labels[band], f"{queue}?due={band}", count=count, tone=tone))
    mine = PrivacyRequest.objects.filter(status__in=OPEN_STATUSES, assignee=request.user)
    figures.append(Figure(_("Confiées à moi"), f"{queue}?assignee=me", count=mine.count()))
    unassigned = PrivacyRequest.objects.filter(status__in=OPEN_STATUSES, assignee__isnull=True)
    figures.append(
        Figure(_("Confiées à personne"), f"{queue}?assignee=none", count=unassigned.count())
    )
    return Panel(_("Demandes en attente de réponse"), figures)


@dashboard_panel(MEMBER_SERVICES, order=50)
def request_status_panel(request) -> Panel | None:
    """What members may call about: requests waiting for their reply, or not yet started."""
    if not request.user.has_perm("privacy.view_privacyrequeststatus"):
        return None
    url = reverse("admin:privacy_privacyrequeststatus_changelist")
    figures = [
        Figure(
            label,
            f"{url}?status__exact={status}",
            count=PrivacyRequest.objects.filter(status=status).count(),
        )
        for status, label in (
            (RequestStatus.WAITING_MEMBER, _("En attente de la réponse du membre")),
            (RequestStatus.SUBMITTED, _("Reçues, pas encore traitées")),
        )
    ]
    return Panel(_("Demandes relatives aux renseignements personnels"), figures)

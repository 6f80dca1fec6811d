"""Member services' work of the day on the admin dashboard: account links tried today,
and those that found no record (the members who may call)."""

from __future__ import annotations

from datetime import datetime, timedelta

from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _

from members.models import ClaimAttempt
from privacy.staff.api import MEMBER_SERVICES, Figure, Panel, dashboard_panel


def _today_range() -> tuple[datetime, datetime, str]:
    """Today in Montreal, and the admin list's date filter for it."""
    today = timezone.localdate()
    start = timezone.make_aware(datetime(today.year, today.month, today.day))
    query = (
        f"attempted_at__day={today.day}&attempted_at__month={today.month}"
        f"&attempted_at__year={today.year}"
    )
    return start, start + timedelta(days=1), query


@dashboard_panel(MEMBER_SERVICES, order=10)
def claim_attempts_panel(request) -> Panel | None:
    if not request.user.has_perm("members.view_claimattempt"):
        return None
    start, end, today = _today_range()
    url = reverse("admin:members_claimattempt_changelist")
    attempts = ClaimAttempt.objects.filter(attempted_at__gte=start, attempted_at__lt=end)
    figures = [
        Figure(
            _("Tentatives de rattachement aujourd’hui"), f"{url}?{today}", count=attempts.count()
        )
    ]
    for outcome, label in (
        (ClaimAttempt.Outcome.NO_MATCH, _("Sans dossier correspondant")),
        (ClaimAttempt.Outcome.ALREADY_CLAIMED, _("Dossier déjà rattaché à un autre compte")),
        (ClaimAttempt.Outcome.RATE_LIMITED, _("Refusées : trop de tentatives")),
    ):
        count = attempts.filter(outcome=outcome).count()
        figures.append(
            Figure(
                label,
                f"{url}?{today}&outcome__exact={outcome}",
                count=count,
                tone="alert" if count else "",
            )
        )
    return Panel(_("Rattachements du jour"), figures)

"""The audit log's state on the privacy officer's dashboard.

Verifying walks the whole chain, so the result is kept a few minutes in the
cache (it holds no personal value: a state, a count, an entry number).
"""

from __future__ import annotations

from datetime import datetime, timedelta

from django.core.cache import cache
from django.urls import reverse
from django.utils import formats, timezone
from django.utils.translation import gettext as _

from privacy.adminkit.dashboard import Figure, Panel, dashboard_panel
from privacy.audit.chain import audit_verify
from privacy.audit.models import AuditCheckpoint, AuditEntry
from privacy.roles import PRIVACY_OFFICER

VERIFY_CACHE_KEY = "privacy:dashboard:audit-verify"
VERIFY_CACHE_SECONDS = 300


def audit_chain_state() -> dict:
    state = cache.get(VERIFY_CACHE_KEY)
    if state is None:
        result = audit_verify()
        state = {"ok": result.ok, "checked": result.checked, "broken": result.first_broken_id}
        cache.set(VERIFY_CACHE_KEY, state, VERIFY_CACHE_SECONDS)
    return state


@dashboard_panel(PRIVACY_OFFICER, order=40)
def audit_panel(request) -> Panel | None:
    if not request.user.has_perm("privacy.view_auditentry"):
        return None
    entries = reverse("admin:privacy_auditentry_changelist")
    state = audit_chain_state()
    if state["ok"]:
        chain = Figure(
            _("Chaîne du journal"),
            entries,
            text=_("Intacte (%(n)s entrées vérifiées)") % {"n": state["checked"]},
            tone="ok",
        )
    else:
        chain = Figure(
            _("Chaîne du journal"),
            entries,
            text=_("Rompue à l’entrée nº %(id)s") % {"id": state["broken"] or "?"},
            tone="alert",
        )
    today = timezone.localdate()
    today_url = (
        f"{entries}?created_at__day={today.day}&created_at__month={today.month}"
        f"&created_at__year={today.year}"
    )
    start = timezone.make_aware(datetime(today.year, today.month, today.day))
    today_count = AuditEntry.objects.filter(
        created_at__gte=start, created_at__lt=start + timedelta(days=1)
    ).count()
    figures = [chain, Figure(_("Entrées aujourd’hui"), today_url, count=today_count)]
    checkpoint = AuditCheckpoint.objects.order_by("-created_at").first()
    if checkpoint is not None and request.user.has_perm("privacy.view_auditcheckpoint"):
        figures.append(
            Figure(
                _("Dernier point de reprise"),
                reverse("admin:privacy_auditcheckpoint_changelist"),
                text=formats.date_format(
                    timezone.localtime(checkpoint.created_at), "DATETIME_FORMAT"
                ),
            )
        )
    return Panel(_("Journal d’audit"), figures)

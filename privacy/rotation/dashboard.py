"""Key rotation on the operator's dashboard: how many values still wait for the primary key."""

from __future__ import annotations

from django.urls import reverse
from django.utils.translation import gettext as _

from privacy.adminkit.dashboard import Figure, Panel, dashboard_panel
from privacy.crypto import keyring
from privacy.roles import OPERATOR
from privacy.rotation.selectors import encryption_key_usage


@dashboard_panel(OPERATOR, order=20)
def rotation_panel(request) -> Panel | None:
    if not request.user.has_perm("privacy.view_keyrotationstatus"):
        return None
    url = reverse("admin:privacy_keyrotationstatus_changelist")
    primary = keyring().primary_id
    usage = encryption_key_usage()
    waiting = sum(count for key_id, count in usage.items() if key_id != primary)
    return Panel(
        _("Rotation des clés"),
        [
            Figure(_("Valeurs sous la clé principale"), url, count=usage.get(primary, 0)),
            Figure(
                _("Valeurs à rechiffrer"), url, count=waiting, tone="alert" if waiting else "ok"
            ),
        ],
    )

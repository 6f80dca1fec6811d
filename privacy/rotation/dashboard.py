"""Key rotation on the operator's dashboard: how many values still wait for the primary key.

Read from the last stored census (counting scans every encrypted column).
"""

from __future__ import annotations

from django.urls import reverse
from django.utils.formats import date_format
from django.utils.timezone import localtime
from django.utils.translation import gettext as _

from privacy.adminkit.dashboard import Figure, Panel, dashboard_panel
from privacy.crypto import keyring
from privacy.roles import OPERATOR
from privacy.rotation.selectors import key_census


@dashboard_panel(OPERATOR, order=20)
def rotation_panel(request) -> Panel | None:
    if not request.user.has_perm("privacy.view_keyrotationstatus"):
        return None
    url = reverse("admin:privacy_keyrotationstatus_changelist")
    census = key_census()
    if census is None:
        return Panel(
            _("Rotation des clés"),
            [Figure(_("Décompte par clé"), url, text=_("pas encore fait"))],
        )
    primary = keyring().primary_id
    values = census.values_by_key
    # Values and wrapped data keys alike wait for the primary key before an old one goes.
    waiting = sum(
        count
        for counts in (values, census.data_keys_by_key)
        for key_id, count in counts.items()
        if key_id != primary
    )
    return Panel(
        _("Rotation des clés"),
        [
            Figure(_("Valeurs sous la clé principale"), url, count=values.get(primary, 0)),
            Figure(
                _("Valeurs à rechiffrer"), url, count=waiting, tone="alert" if waiting else "ok"
            ),
            Figure(_("Valeurs sous les clés de données"), url, count=census.values_under_data_keys),
        ],
        note=_("Compté le %(date)s")
        % {"date": date_format(localtime(census.counted_at), "DATETIME_FORMAT")},
    )

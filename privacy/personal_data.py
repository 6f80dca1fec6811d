"""What privacy/ itself holds about people, declared to the data map.

Each concern declares its own models next to them (``<concern>/personal_data.py``);
``PrivacyConfig.ready()`` imports this module, which imports them.
"""

from django.utils.translation import gettext_lazy as _

from privacy.audit import personal_data as audit_personal_data  # noqa: F401
from privacy.consent import personal_data as consent_personal_data  # noqa: F401
from privacy.datamap import personal_data as datamap_personal_data  # noqa: F401
from privacy.datamap.registry import declare
from privacy.keystore.models import DataKey
from privacy.registers import personal_data as registers_personal_data  # noqa: F401
from privacy.requests import personal_data as requests_personal_data  # noqa: F401
from privacy.retention import personal_data as retention_personal_data  # noqa: F401
from privacy.rotation import personal_data as rotation_personal_data  # noqa: F401
from privacy.staff import personal_data as staff_personal_data  # noqa: F401

# The key store sits below the data map (privacy.crypto uses it): declared from here.
declare(
    DataKey,
    subject=None,
    personal=[],
    not_personal=["id", "person", "wrapped", "created_at", "destroyed_at"],
    exported=False,
    holdable=False,
    description=_(
        "Les clés de données des personnes, enveloppées par la clé maîtresse, dans une base "
        "de données à part; détruites à la suppression."
    ),
    notes=_(
        "Aucun renseignement en clair : l’identifiant opaque du dossier et une clé chiffrée, "
        "effacée à la suppression (il ne reste que la date de destruction)."
    ),
)

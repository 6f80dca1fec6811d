from django.utils.translation import gettext_lazy as _

from privacy.datamap.registry import declare
from privacy.rotation.models import KeyRotationStatus

declare(
    KeyRotationStatus,
    subject=None,
    personal=[],
    not_personal=["id"],
    exported=False,
    description=_(
        "Porte la permission de consulter l’état de la rotation des clés; aucune donnée."
    ),
)

from django.utils.translation import gettext_lazy as _

from privacy.datamap.registry import declare
from privacy.rotation.models import KeyCensus, KeyRotationStatus

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

declare(
    KeyCensus,
    subject=None,
    personal=[],
    not_personal=[
        "id",
        "counted_at",
        "values_by_key",
        "values_under_data_keys",
        "data_keys_by_key",
    ],
    exported=False,
    description=_(
        "Le dernier décompte des valeurs chiffrées par clé (des nombres par identifiant "
        "de clé, jamais une valeur), montré sur la page de l’état de la rotation des clés."
    ),
)

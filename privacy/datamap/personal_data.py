from django.utils.translation import gettext_lazy as _

from privacy.datamap.models import DataMapInventory
from privacy.datamap.registry import declare

declare(
    DataMapInventory,
    subject=None,
    personal=[],
    not_personal=["id"],
    exported=False,
    description=_("Porte la permission de consulter l’inventaire; ne contient aucune donnée."),
)

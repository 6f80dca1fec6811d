"""Staff documents and their acceptances, declared to the data map."""

from django.utils.translation import gettext_lazy as _

from privacy.datamap.registry import Category, PersonalField, Purpose, declare
from privacy.staff.models import StaffDocument, StaffDocumentAcceptance

declare(
    StaffDocument,
    subject=None,
    description=_("Entente de confidentialité et procédures à l’intention du personnel."),
    personal=[],
    not_personal=["id", "kind", "version", "text_fr", "text_en", "effective_at", "created_at"],
)

declare(
    StaffDocumentAcceptance,
    subject="user",
    description=_("Preuve qu’un membre du personnel a accepté une version d’un document."),
    personal=[
        PersonalField("document", Category.ACTIVITY, (Purpose.SECURITY, Purpose.LEGAL)),
        PersonalField("accepted_at", Category.ACTIVITY, (Purpose.SECURITY, Purpose.LEGAL)),
    ],
    not_personal=["id", "user"],
    holdable=False,
)

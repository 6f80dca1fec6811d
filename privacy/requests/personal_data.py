"""Privacy-rights requests, declared to the data map.

A request and everything said about it is kept three years after it closes:
proof of how we answered, should the member turn to the Commission d'accès à
l'information or a court (civil prescription, C.c.Q. art. 2925). The export
archive itself lives only as long as its download link.
"""

from datetime import timedelta

from django.utils.translation import gettext_lazy as _

from privacy.datamap.registry import Category, PersonalField, Purpose, Retention, declare
from privacy.requests.models import (
    CorrectionItem,
    ExportArchive,
    PrivacyRequest,
    PrivacyRequestEvent,
    PrivacyRequestMessage,
    PrivacyRequestNote,
    PrivacyRequestSequence,
    SupportingDocument,
)

LEGAL = (Purpose.LEGAL,)
PROOF_YEARS = timedelta(days=3 * 365)
PROOF_REASON = _(
    "Preuve de la réponse donnée à la demande, en cas de recours devant la Commission "
    "d’accès à l’information ou les tribunaux (trois ans)."
)


def _proof(starts_from: str) -> Retention:
    return Retention(starts_from=starts_from, keep_for=PROOF_YEARS, reason=PROOF_REASON)


declare(
    PrivacyRequestSequence,
    subject=None,
    personal=[],
    not_personal=["id", "year", "last"],
    description=_("Compteur des numéros de référence des demandes."),
)

declare(
    PrivacyRequest,
    subject="member",
    description=_("Vos demandes d’accès, de rectification et de suppression."),
    personal=[
        PersonalField("kind", Category.CORRESPONDENCE, LEGAL),
        PersonalField("status", Category.CORRESPONDENCE, LEGAL),
        PersonalField("details", Category.CORRESPONDENCE, LEGAL),
        PersonalField("submitted_at", Category.CORRESPONDENCE, LEGAL),
        PersonalField("due_on", Category.CORRESPONDENCE, LEGAL),
        PersonalField("extended_due_on", Category.CORRESPONDENCE, LEGAL),
        PersonalField("extension_reason", Category.CORRESPONDENCE, LEGAL),
        PersonalField("extended_at", Category.CORRESPONDENCE, LEGAL),
        PersonalField("decision_reasons", Category.CORRESPONDENCE, LEGAL),
        PersonalField("decided_at", Category.CORRESPONDENCE, LEGAL),
        PersonalField("fulfilled_at", Category.CORRESPONDENCE, LEGAL),
        PersonalField("closed_at", Category.CORRESPONDENCE, LEGAL),
        PersonalField("deletion_plan", Category.CORRESPONDENCE, LEGAL),
    ],
    not_personal=["id", "reference", "member", "assignee"],
    retention=_proof("closed_at"),
)

declare(
    PrivacyRequestEvent,
    subject="request__member",
    description=_("Les étapes de traitement de vos demandes."),
    personal=[
        PersonalField("kind", Category.CORRESPONDENCE, LEGAL),
        PersonalField("from_status", Category.CORRESPONDENCE, LEGAL),
        PersonalField("to_status", Category.CORRESPONDENCE, LEGAL),
        PersonalField("created_at", Category.CORRESPONDENCE, LEGAL),
    ],
    not_personal=["id", "request", "actor"],
    retention=_proof("request__closed_at"),
)

declare(
    PrivacyRequestMessage,
    subject="request__member",
    description=_("Les messages échangés au sujet de vos demandes."),
    personal=[
        PersonalField("body", Category.CORRESPONDENCE, LEGAL),
        PersonalField("from_member", Category.CORRESPONDENCE, LEGAL),
        PersonalField("created_at", Category.CORRESPONDENCE, LEGAL),
    ],
    not_personal=["id", "request", "author"],
    retention=_proof("request__closed_at"),
)

declare(
    PrivacyRequestNote,
    subject="request__member",
    exported=False,
    description=_("Notes internes du personnel sur le traitement d’une demande."),
    personal=[
        PersonalField("body", Category.CORRESPONDENCE, LEGAL),
        PersonalField("created_at", Category.CORRESPONDENCE, LEGAL),
    ],
    not_personal=["id", "request", "author"],
    retention=_proof("request__closed_at"),
    notes=_(
        "Notes de travail du personnel; les faits et décisions qui concernent le membre lui "
        "sont communiqués par message et figurent dans son exportation."
    ),
)

declare(
    CorrectionItem,
    subject="request__member",
    description=_("Les rectifications que vous avez demandées et leur décision."),
    personal=[
        PersonalField("model_label", Category.CORRESPONDENCE, LEGAL),
        PersonalField("field_name", Category.CORRESPONDENCE, LEGAL),
        PersonalField("current_value", Category.CORRESPONDENCE, LEGAL),
        PersonalField("proposed_value", Category.CORRESPONDENCE, LEGAL),
        PersonalField("decision", Category.CORRESPONDENCE, LEGAL),
        PersonalField("decision_reason", Category.CORRESPONDENCE, LEGAL),
        PersonalField("decided_at", Category.CORRESPONDENCE, LEGAL),
        PersonalField("applied_at", Category.CORRESPONDENCE, LEGAL),
    ],
    not_personal=["id", "request", "object_id", "decided_by"],
    retention=_proof("request__closed_at"),
)

declare(
    SupportingDocument,
    subject="request__member",
    description=_("La pièce justificative jointe à une demande de rectification."),
    personal=[
        PersonalField("filename", Category.DOCUMENT, LEGAL),
        PersonalField("content", Category.DOCUMENT, LEGAL),
        PersonalField("created_at", Category.DOCUMENT, LEGAL),
    ],
    not_personal=["id", "request", "content_type", "size"],
    retention=_proof("request__closed_at"),
)

declare(
    ExportArchive,
    subject="request__member",
    # The archive is a copy of the export itself: exporting it again is pointless,
    # and no hold may keep it past its link.
    exported=False,
    holdable=False,
    description=_("L’archive de votre exportation, le temps de la télécharger."),
    personal=[
        PersonalField("content", Category.DOCUMENT, (Purpose.PERSONALISED_SERVICE,)),
        PersonalField("created_at", Category.ACTIVITY, (Purpose.PERSONALISED_SERVICE,)),
        PersonalField("released_at", Category.ACTIVITY, (Purpose.PERSONALISED_SERVICE,)),
        PersonalField("downloaded_at", Category.ACTIVITY, (Purpose.PERSONALISED_SERVICE,)),
        PersonalField("download_count", Category.ACTIVITY, (Purpose.PERSONALISED_SERVICE,)),
        PersonalField("severed", Category.DOCUMENT, (Purpose.LEGAL,)),
    ],
    not_personal=["id", "request", "size", "expires_at"],
    retention=Retention(
        starts_from="expires_at",
        keep_for=timedelta(hours=1),
        reason=_("Le lien de téléchargement a expiré : l’archive n’a plus d’utilité."),
    ),
)

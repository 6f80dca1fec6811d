"""The disclosure and incident registers, and the person in charge."""

from datetime import timedelta

from django.utils.translation import gettext_lazy as _

from privacy.datamap.registry import Category, PersonalField, Purpose, Retention, declare
from privacy.registers.models import ConfidentialityIncident, Disclosure, Processor
from privacy.registers.person_in_charge import PersonInCharge

FIVE_YEARS = timedelta(days=5 * 365 + 1)

declare(
    Processor,
    subject=None,
    description=_("Registre des sous-traitants et des tiers (des organisations)."),
    personal=[],
    not_personal=[
        "id",
        "name",
        "kind",
        "purpose",
        "categories",
        "contract_on_file",
        "contract_date",
        "location",
        "is_active",
        "created_at",
    ],
)

declare(
    Disclosure,
    subject="subject",
    description=_("Chaque communication de vos renseignements à un sous-traitant ou à un tiers."),
    personal=[
        PersonalField("recipient", Category.ACTIVITY, (Purpose.LEGAL,)),
        PersonalField("categories", Category.ACTIVITY, (Purpose.LEGAL,)),
        PersonalField("legal_basis", Category.ACTIVITY, (Purpose.LEGAL,)),
        PersonalField("disclosed_at", Category.ACTIVITY, (Purpose.LEGAL,)),
    ],
    not_personal=["id", "subject"],
    retention=Retention(
        starts_from="disclosed_at",
        keep_for=FIVE_YEARS,
        reason=_("Rendre compte des communications, notamment dans les demandes d’accès."),
    ),
)

declare(
    ConfidentialityIncident,
    subject=None,
    description=_(
        "Registre des incidents de confidentialité : il décrit les renseignements visés "
        "sans les reproduire."
    ),
    personal=[],
    not_personal=[
        "id",
        "description",
        "personal_info_concerned",
        "categories",
        "occurred_from",
        "occurred_to",
        "occurred_dates_approximate",
        "discovered_on",
        "people_count",
        "people_count_approximate",
        "risk_assessment",
        "serious_injury_risk",
        "commission_notified_on",
        "people_notified_on",
        "public_notice",
        "public_notice_reason",
        "measures_taken",
        "created_at",
        "updated_at",
    ],
    retention=Retention(
        starts_from="discovered_on",
        keep_for=FIVE_YEARS,
        reason=_(
            "Le règlement exige de conserver chaque inscription au moins cinq ans après la "
            "prise de connaissance de l’incident."
        ),
    ),
    holdable=False,
)

PUBLISHED = _(
    "Coordonnées professionnelles que la loi oblige à publier (art. 3.1) : elles sont "
    "affichées sur les pages de confidentialité."
)

declare(
    PersonInCharge,
    subject=None,
    description=_("La personne responsable de la protection des renseignements personnels."),
    personal=[
        PersonalField("name", Category.IDENTITY, (Purpose.LEGAL,), clear_text_reason=PUBLISHED),
        PersonalField("email", Category.CONTACT, (Purpose.LEGAL,), clear_text_reason=PUBLISHED),
        PersonalField("phone", Category.CONTACT, (Purpose.LEGAL,), clear_text_reason=PUBLISHED),
        PersonalField(
            "postal_address", Category.CONTACT, (Purpose.LEGAL,), clear_text_reason=PUBLISHED
        ),
    ],
    not_personal=["id", "singleton", "title_fr", "title_en", "updated_at"],
)

"""What coverage/ holds about people, declared to the data map.

Plans, categories, combined maxima and benefits are the published plan
summaries: declared wholly not personal. Enrolments and claims are about a
person; claims are health information, so every value that says what care
was received, when and for how much is encrypted.
"""

from datetime import timedelta

from django.utils.translation import gettext_lazy as _

from privacy.datamap.api import Action, Category, PersonalField, Purpose, Retention, declare

from .models import Benefit, BenefitCategory, Claim, CombinedMaximum, Enrolment, Plan

# Insurers and the law (tax, complaints) need claims for years after the policy
# year ends; seven years is the insurer's rule for the group contract.
SEVEN_YEARS = timedelta(days=7 * 365 + 2)

declare(
    Plan,
    subject=None,
    personal=[],
    not_personal=[
        "id",
        "name_fr",
        "name_en",
        "association",
        "policy_year",
        "health_window_start",
        "health_window_end",
        "dental_window_start",
        "dental_window_end",
        "proof_required",
        "family_allowed",
    ],
    description=_("Les régimes publiés par les associations : aucun renseignement personnel."),
)
declare(
    BenefitCategory,
    subject=None,
    personal=[],
    not_personal=["id", "name_fr", "name_en", "plan", "key", "part", "position"],
)
declare(
    CombinedMaximum,
    subject=None,
    personal=[],
    not_personal=[
        "id",
        "name_fr",
        "name_en",
        "plan",
        "key",
        "yearly_max_cents",
        "shared_by_family",
    ],
)
declare(
    Benefit,
    subject=None,
    personal=[],
    not_personal=[
        "id",
        "name_fr",
        "name_en",
        "plan",
        "category",
        "key",
        "keywords_fr",
        "keywords_en",
        "percent",
        "per_visit_max_cents",
        "yearly_max_cents",
        "combined",
        "frequency_months",
        "frequency_max_cents",
        "network_percent",
        "shared_by_family",
        "position",
    ],
)

POLICY_YEAR_END_REASON = _(
    "Date de fin de l’année de police, identique pour tous les membres d’un régime : "
    "la purge de conservation doit la comparer en base de données."
)

declare(
    Enrolment,
    subject="member__user",
    description=_("Votre couverture santé et dentaire, par volet et par année."),
    personal=[
        PersonalField(
            "part",
            Category.HEALTH,
            (Purpose.ENROLMENT, Purpose.PROOF_OF_COVERAGE),
            clear_text_reason=_("Santé ou dentaire : la même valeur pour tous les membres."),
        ),
        PersonalField(
            "status",
            Category.HEALTH,
            (Purpose.ENROLMENT, Purpose.PROOF_OF_COVERAGE),
            clear_text_reason=_(
                "Couvert, retiré ou en attente : la vérification de la preuve de couverture "
                "doit le lire sans déchiffrer; il ne dit rien de la santé de la personne."
            ),
        ),
        PersonalField("changed_at", Category.ACTIVITY, (Purpose.ENROLMENT,)),
        PersonalField(
            "policy_year_end",
            Category.HEALTH,
            (Purpose.ENROLMENT, Purpose.LEGAL),
            clear_text_reason=POLICY_YEAR_END_REASON,
        ),
        PersonalField("proof", Category.DOCUMENT, (Purpose.ENROLMENT, Purpose.LEGAL)),
        PersonalField(
            "proof_content_type",
            Category.DOCUMENT,
            (Purpose.ENROLMENT,),
            clear_text_reason=_("Format du fichier (PDF, JPEG, PNG), pas son contenu."),
        ),
    ],
    not_personal=["id", "member", "dependant", "plan"],
    retention=Retention(
        starts_from="policy_year_end",
        keep_for=SEVEN_YEARS,
        action=Action.DELETE,
        reason=_("Exigence de l’assureur et de la loi : sept ans après l’année de police."),
    ),
)

declare(
    Claim,
    subject="member__user",
    description=_("Vos demandes de règlement et celles de vos personnes à charge."),
    personal=[
        PersonalField(
            "benefit",
            Category.HEALTH,
            (Purpose.PERSONALISED_SERVICE,),
            clear_text_reason=_(
                "Lien vers la garantie du régime publié : nécessaire pour calculer les soldes; "
                "dates, montants et fournisseur sont chiffrés."
            ),
        ),
        PersonalField(
            "reference",
            Category.HEALTH,
            (Purpose.PERSONALISED_SERVICE, Purpose.LEGAL),
            clear_text_reason=_(
                "Numéro opaque attribué par l’assureur : l’import doit le retrouver pour ne "
                "jamais créer deux fois la même demande."
            ),
        ),
        PersonalField(
            "status",
            Category.HEALTH,
            (Purpose.PERSONALISED_SERVICE,),
            clear_text_reason=_("Étape du traitement (reçue, en traitement, payée, refusée)."),
        ),
        PersonalField(
            "policy_year_end",
            Category.HEALTH,
            (Purpose.LEGAL,),
            clear_text_reason=POLICY_YEAR_END_REASON,
        ),
        PersonalField("service_date", Category.HEALTH, (Purpose.PERSONALISED_SERVICE,)),
        PersonalField("amount_claimed_cents", Category.HEALTH, (Purpose.PERSONALISED_SERVICE,)),
        PersonalField("amount_paid_cents", Category.HEALTH, (Purpose.PERSONALISED_SERVICE,)),
        PersonalField("provider_name", Category.HEALTH, (Purpose.PERSONALISED_SERVICE,)),
        PersonalField(
            "in_network",
            Category.HEALTH,
            (Purpose.PERSONALISED_SERVICE,),
            clear_text_reason=_("Oui ou non : le fournisseur lui-même est chiffré."),
        ),
        PersonalField("received_on", Category.HEALTH, (Purpose.PERSONALISED_SERVICE,)),
        PersonalField("in_review_on", Category.HEALTH, (Purpose.PERSONALISED_SERVICE,)),
        PersonalField("decided_on", Category.HEALTH, (Purpose.PERSONALISED_SERVICE,)),
        PersonalField("refusal_reason", Category.HEALTH, (Purpose.PERSONALISED_SERVICE,)),
    ],
    not_personal=["id", "member", "dependant"],
    retention=Retention(
        starts_from="policy_year_end",
        keep_for=SEVEN_YEARS,
        action=Action.DELETE,
        reason=_("Exigence de l’assureur et de la loi : sept ans après l’année de police."),
    ),
)

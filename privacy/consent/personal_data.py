"""Proof of consent and policy acknowledgements; policy texts and page counts hold none."""

from datetime import timedelta

from django.utils.translation import gettext_lazy as _

from privacy.consent.models import ConsentRecord, PageCount
from privacy.consent.policy_models import PolicyAcknowledgement, PolicyVersion
from privacy.datamap.registry import Category, PersonalField, Purpose, Retention, declare

# Proof of consent is kept three years (the civil prescription in Quebec).
CONSENT_PROOF_KEPT = timedelta(days=3 * 365)
PROOF = (Purpose.LEGAL,)

declare(
    ConsentRecord,
    subject="user",
    description=_(
        "Chaque choix de témoins et de suivi : quand, sous quelle version des politiques, "
        "quels choix, dans quelle langue."
    ),
    personal=[
        PersonalField("consent_id", Category.CONSENT, PROOF),
        PersonalField("created_at", Category.CONSENT, PROOF),
        PersonalField("privacy_policy_version", Category.CONSENT, PROOF),
        PersonalField("cookie_policy_version", Category.CONSENT, PROOF),
        PersonalField("preferences", Category.CONSENT, PROOF),
        PersonalField("analytics", Category.CONSENT, PROOF),
        PersonalField("location", Category.CONSENT, PROOF),
        PersonalField("gpc", Category.CONSENT, PROOF),
        PersonalField("language", Category.CONSENT, PROOF),
        PersonalField("source", Category.CONSENT, PROOF),
        PersonalField("ip_prefix", Category.CONSENT, (Purpose.LEGAL, Purpose.SECURITY)),
    ],
    # ``user`` is the link to the account the record is about (the subject).
    not_personal=["id", "user"],
    retention=Retention(
        starts_from="created_at",
        keep_for=CONSENT_PROOF_KEPT,
        reason=_("Preuve du consentement, conservée trois ans (prescription civile)."),
    ),
    notes=_(
        "L’adresse IP n’est jamais conservée entière : IPv4 tronquée à /24, IPv6 à /48. Les "
        "choix faits avant la connexion sont liés au compte à la connexion."
    ),
)

declare(
    PolicyAcknowledgement,
    subject="user",
    description=_("Les nouvelles versions des politiques dont le membre a pris connaissance."),
    personal=[
        PersonalField("policy_version", Category.CONSENT, PROOF),
        PersonalField("acknowledged_at", Category.CONSENT, PROOF),
    ],
    not_personal=["id", "user"],
    retention=Retention(
        starts_from="acknowledged_at",
        keep_for=CONSENT_PROOF_KEPT,
        reason=_("Preuve que le membre a été informé, conservée trois ans."),
    ),
)

declare(
    PolicyVersion,
    subject=None,
    description=_("Les versions publiées des politiques (publiques)."),
    personal=[],
    not_personal=[
        "id",
        "kind",
        "version",
        "published_at",
        "text_fr",
        "text_en",
        "changes_fr",
        "changes_en",
    ],
)

declare(
    PageCount,
    subject=None,
    description=_("Totaux d’affichage par page et par jour, sans aucune donnée par personne."),
    personal=[],
    not_personal=["id", "path", "day", "count"],
)

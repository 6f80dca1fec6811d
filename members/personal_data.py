"""What members/ holds about people, declared to the data map."""

from datetime import timedelta

from allauth.account.models import EmailAddress
from allauth.mfa.models import Authenticator
from allauth.usersessions.models import UserSession
from django.utils.translation import gettext_lazy as _

from privacy.datamap import Category, PersonalField, Purpose, Retention, declare

from .models import User

declare(
    User,
    subject="",
    description=_("Le compte qui permet de se connecter au portail."),
    personal=[
        PersonalField(
            "email",
            Category.CONTACT,
            (Purpose.IDENTIFY_AND_COMMUNICATE, Purpose.SECURITY),
            clear_text_reason=_(
                "Identifiant de connexion : l’authentification doit le retrouver. Protégé par "
                "le contrôle d’accès à la base de données, le chiffrement du disque et des "
                "sauvegardes; il n’est jamais journalisé. Toute autre copie est chiffrée."
            ),
        ),
        PersonalField("preferred_language", Category.CONTACT, (Purpose.IDENTIFY_AND_COMMUNICATE,)),
        PersonalField("last_login", Category.ACTIVITY, (Purpose.SECURITY,)),
        PersonalField("date_joined", Category.ACTIVITY, (Purpose.IDENTIFY_AND_COMMUNICATE,)),
    ],
    not_personal=["id", "password", "is_superuser", "is_staff", "is_active"],
    notes=_("Le mot de passe n’est conservé que sous forme de hachage et n’est jamais exporté."),
)

SIGN_IN_EMAIL_REASON = _(
    "Copie de l’identifiant de connexion tenue par la table des comptes : la vérification "
    "de l’adresse doit la retrouver. Mêmes protections que l’identifiant."
)

declare(
    EmailAddress,
    subject="user",
    description=_("Les adresses courriel du compte et leur vérification."),
    personal=[
        PersonalField(
            "email",
            Category.CONTACT,
            (Purpose.IDENTIFY_AND_COMMUNICATE, Purpose.SECURITY),
            clear_text_reason=SIGN_IN_EMAIL_REASON,
        ),
        PersonalField("verified", Category.CONTACT, (Purpose.SECURITY,)),
        PersonalField("primary", Category.CONTACT, (Purpose.IDENTIFY_AND_COMMUNICATE,)),
    ],
    not_personal=["id", "user"],
)

declare(
    UserSession,
    subject="user",
    description=_("Vos sessions actives : appareil et réseau approximatif."),
    personal=[
        PersonalField(
            "ip",
            Category.ACTIVITY,
            (Purpose.SECURITY,),
            clear_text_reason=_("Adresse tronquée au réseau (/24 ou /48) : jamais complète."),
        ),
        PersonalField(
            "user_agent",
            Category.ACTIVITY,
            (Purpose.SECURITY,),
            clear_text_reason=_("Sert à reconnaître l’appareil dans la liste de vos sessions."),
        ),
        PersonalField("created_at", Category.ACTIVITY, (Purpose.SECURITY,)),
        PersonalField("last_seen_at", Category.ACTIVITY, (Purpose.SECURITY,)),
    ],
    not_personal=["id", "user", "session_key", "data"],
    retention=Retention(
        starts_from="last_seen_at",
        keep_for=timedelta(days=90),
        reason=_("Sécurité : les sessions inactives n’ont plus d’utilité."),
    ),
    holdable=False,
)

declare(
    Authenticator,
    subject="user",
    exported=False,
    description=_("Vos méthodes d’authentification à deux facteurs (secrets chiffrés)."),
    personal=[
        PersonalField("type", Category.ACTIVITY, (Purpose.SECURITY,)),
        PersonalField("created_at", Category.ACTIVITY, (Purpose.SECURITY,)),
        PersonalField("last_used_at", Category.ACTIVITY, (Purpose.SECURITY,)),
    ],
    not_personal=["id", "user", "data"],
    notes=_("Les secrets sont chiffrés par allauth et ne sont jamais exportés."),
)

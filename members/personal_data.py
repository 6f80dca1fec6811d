"""What members/ holds about people, declared to the data map."""

from datetime import timedelta

from allauth.account.models import EmailAddress
from allauth.mfa.models import Authenticator
from allauth.usersessions.models import UserSession
from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from privacy.datamap.api import Category, PersonalField, Purpose, Retention, declare

from .app_settings import app_settings
from .models import (
    ActivityEvent,
    Association,
    ClaimAttempt,
    Dependant,
    Member,
    MemberLocation,
    Provider,
    User,
)

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
        PersonalField(
            "portal_host",
            Category.CONTACT,
            (Purpose.IDENTIFY_AND_COMMUNICATE,),
            clear_text_reason=_(
                "Le nom du site (mobile.aseq.ca ou mobile.studentcare.ca), commun à tous ses "
                "membres : les courriels doivent venir du site que le membre connaît."
            ),
        ),
        PersonalField("last_login", Category.ACTIVITY, (Purpose.SECURITY,)),
        PersonalField("date_joined", Category.ACTIVITY, (Purpose.IDENTIFY_AND_COMMUNICATE,)),
    ],
    not_personal=["id", "password", "is_superuser", "is_staff", "is_active", "has_member_record"],
    retention=Retention(
        starts_from="date_joined",
        also_elapsed=("last_login",),
        keep_for=app_settings.UNUSED_ACCOUNT_RETENTION,
        # Staff accounts follow the staff procedures; a member's follows their record.
        # has_member_record (kept by the database) matches the partial index the walk
        # reads (members_user_purge_unlinked); member__isnull stays the rule.
        only_if=Q(member__isnull=True, has_member_record=False, is_staff=False, is_superuser=False),
        # Its addresses, sessions, second factors and activity are the account's own.
        takes_with=(
            "account.EmailAddress",
            "mfa.Authenticator",
            "usersessions.UserSession",
            "members.ActivityEvent",
            "members.ClaimAttempt",
        ),
        reason=_(
            "Compte inutilisé : aucun dossier de membre rattaché (jamais, ou plus depuis sa "
            "suppression) et aucune connexion pendant ce délai; il n’a plus d’utilité "
            "(Loi 25, art. 23 : ne conserver que le temps nécessaire)."
        ),
    ),
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


# --- The plan's records -----------------------------------------------------

declare(
    Association,
    subject=None,
    description=_("Les associations étudiantes au nom desquelles le régime est offert."),
    personal=[],
    not_personal=["id", "name_fr", "name_en", "slug", "short_code"],
)

IDENTITY_PURPOSES = (
    Purpose.IDENTIFY_AND_COMMUNICATE,
    Purpose.ENROLMENT,
    Purpose.PROOF_OF_COVERAGE,
)
CONTACT_PURPOSES = (Purpose.IDENTIFY_AND_COMMUNICATE, Purpose.PERSONALISED_SERVICE)
# Enrolments and claims (seven years after their policy year) point to the record: the
# purge never deletes a record they still need, so it lasts as long as they do.
RECORD_REASON = _(
    "Dossier du régime : conservé tant qu’une adhésion ou une demande de règlement s’y "
    "rattache (sept ans après la fin de l’année de police, exigence de l’assureur et de la "
    "loi) et au moins ce délai après sa dernière mise à jour; puis supprimé, et le compte "
    "rattaché fermé."
)

declare(
    Member,
    subject="user",
    description=_(
        "Votre dossier de membre du régime, reçu de l’assureur, et les coordonnées et "
        "préférences que vous gérez."
    ),
    personal=[
        PersonalField("student_number", Category.IDENTITY, IDENTITY_PURPOSES),
        PersonalField("first_name", Category.IDENTITY, IDENTITY_PURPOSES),
        PersonalField("last_name", Category.IDENTITY, IDENTITY_PURPOSES),
        PersonalField("date_of_birth", Category.IDENTITY, IDENTITY_PURPOSES),
        PersonalField(
            "member_number",
            Category.IDENTITY,
            IDENTITY_PURPOSES,
            clear_text_reason=_(
                "Numéro attribué par le régime, sans signification hors de celui-ci : "
                "l’assureur et la preuve de couverture s’en servent pour retrouver le dossier."
            ),
        ),
        PersonalField(
            "association",
            Category.IDENTITY,
            (Purpose.ENROLMENT, Purpose.PROOF_OF_COVERAGE),
            clear_text_reason=_("Lien vers l’association : détermine le régime applicable."),
        ),
        PersonalField("address_line1", Category.CONTACT, CONTACT_PURPOSES),
        PersonalField("address_line2", Category.CONTACT, CONTACT_PURPOSES),
        PersonalField("city", Category.CONTACT, CONTACT_PURPOSES),
        PersonalField("province", Category.CONTACT, CONTACT_PURPOSES),
        PersonalField("postal_code", Category.CONTACT, CONTACT_PURPOSES),
        PersonalField("phone", Category.CONTACT, CONTACT_PURPOSES),
        PersonalField("email", Category.CONTACT, (*CONTACT_PURPOSES, Purpose.UPDATES)),
        PersonalField(
            "preferred_language",
            Category.CONTACT,
            (Purpose.IDENTIFY_AND_COMMUNICATE,),
            clear_text_reason=_("Code de langue (fr ou en) : sert à choisir la langue des envois."),
        ),
        PersonalField(
            "updates_opt_in",
            Category.CONSENT,
            (Purpose.UPDATES, Purpose.LEGAL),
            clear_text_reason=_("Oui ou non : la liste des destinataires doit le filtrer."),
        ),
        PersonalField(
            "updates_opt_in_at",
            Category.CONSENT,
            (Purpose.UPDATES, Purpose.LEGAL),
            clear_text_reason=_("Preuve du moment de l’accord; une date, sans autre contenu."),
        ),
        PersonalField(
            "claimed_at",
            Category.ACTIVITY,
            (Purpose.SECURITY,),
            clear_text_reason=_("Date du rattachement au compte; une date, sans autre contenu."),
        ),
    ],
    not_personal=[
        "id",
        "user",
        "student_number_index",
        "email_index",
        "name_birth_index",
        "created_at",
        "updated_at",
    ],
    retention=Retention(
        starts_from="updated_at",
        keep_for=app_settings.RECORD_RETENTION,
        takes_with=("members.MemberLocation",),
        closes_account=True,
        # Asked to delete, the record is emptied now (claims kept by law point to it).
        survives_deletion=False,
        reason=RECORD_REASON,
    ),
    notes=_(
        "Conservé tant que la personne est membre du régime et aussi longtemps que le "
        "contrat avec l’assureur l’exige. Les index sont des empreintes à clé secrète "
        "(HMAC) : ils permettent une recherche exacte sans révéler la valeur."
    ),
)

declare(
    Dependant,
    subject="member__user",
    description=_("Les personnes à charge couvertes par votre régime."),
    personal=[
        PersonalField("first_name", Category.IDENTITY, IDENTITY_PURPOSES),
        PersonalField("last_name", Category.IDENTITY, IDENTITY_PURPOSES),
        PersonalField("date_of_birth", Category.IDENTITY, IDENTITY_PURPOSES),
        PersonalField(
            "relationship",
            Category.IDENTITY,
            (Purpose.ENROLMENT, Purpose.PROOF_OF_COVERAGE),
            clear_text_reason=_("Conjoint ou enfant : une catégorie qui fixe la couverture."),
        ),
        PersonalField(
            "suffix",
            Category.IDENTITY,
            (Purpose.PROOF_OF_COVERAGE,),
            clear_text_reason=_("Suffixe du numéro de membre (-01, -02…), attribué par le régime."),
        ),
    ],
    not_personal=["id", "member", "created_at", "updated_at"],
    retention=Retention(
        starts_from="updated_at",
        keep_for=app_settings.RECORD_RETENTION,
        reason=RECORD_REASON,
    ),
)

ACTIVITY_CLEAR_REASON = _(
    "Journal de votre propre activité : type d’événement, moment, famille d’appareil et "
    "réseau tronqué seulement, jamais une valeur saisie."
)

declare(
    ActivityEvent,
    subject="user",
    description=_("Votre activité récente : connexions, modifications, demandes."),
    personal=[
        PersonalField(
            name,
            Category.ACTIVITY,
            (Purpose.SECURITY, Purpose.PERSONALISED_SERVICE),
            clear_text_reason=ACTIVITY_CLEAR_REASON,
        )
        for name in ("kind", "occurred_at", "device_family", "ip_network", "changed_fields")
    ],
    not_personal=["id", "user", "object_type", "object_id"],
    retention=Retention(
        starts_from="occurred_at",
        keep_for=app_settings.ACTIVITY_RETENTION,
        reason=_("Sécurité et historique récent : au-delà, l’activité n’a plus d’utilité."),
    ),
    holdable=False,
)

declare(
    ClaimAttempt,
    subject="user",
    exported=False,
    description=_("Les tentatives de rattachement d’un dossier de membre (journal de sécurité)."),
    personal=[
        PersonalField(
            name,
            Category.ACTIVITY,
            (Purpose.SECURITY,),
            clear_text_reason=_(
                "Journal de sécurité : moment, réseau tronqué et résultat; les valeurs "
                "saisies ne sont jamais conservées."
            ),
        )
        for name in ("attempted_at", "ip_network", "outcome")
    ],
    not_personal=["id", "user", "member"],
    retention=Retention(
        starts_from="attempted_at",
        keep_for=app_settings.ACTIVITY_RETENTION,
        reason=_("Sécurité : détecter les tentatives répétées, puis effacer."),
    ),
    holdable=False,
    notes=_(
        "Non exporté : le résultat précis révélerait si le dossier d’une autre personne "
        "existe. Le membre voit et reçoit ses tentatives dans son activité."
    ),
)

declare(
    MemberLocation,
    subject="member__user",
    description=_(
        "Votre secteur approximatif (trois premiers caractères du code postal), seulement "
        "avec votre consentement, pour trouver des fournisseurs à proximité."
    ),
    personal=[
        PersonalField("area", Category.LOCATION, (Purpose.PERSONALISED_SERVICE,)),
        PersonalField(
            "recorded_at",
            Category.LOCATION,
            (Purpose.PERSONALISED_SERVICE,),
            clear_text_reason=_("Date d’enregistrement : sert à effacer le secteur à temps."),
        ),
    ],
    not_personal=["id", "member"],
    retention=Retention(
        starts_from="recorded_at",
        keep_for=app_settings.LOCATION_RETENTION,
        reason=_("Effacé au retrait du consentement, et de toute façon après ce délai."),
    ),
    holdable=False,
    notes=_("Jamais communiqué à qui que ce soit (P2)."),
)

declare(
    Provider,
    subject=None,
    description=_("Répertoire des fournisseurs de soins : des entreprises, pas des personnes."),
    personal=[],
    not_personal=[
        "id",
        "name",
        "kind",
        "address",
        "city",
        "postal_code",
        "phone",
        "latitude",
        "longitude",
        "in_network",
        "is_active",
    ],
)

"""What members/ holds about people, declared to the data map."""

from django.utils.translation import gettext_lazy as _

from privacy.datamap import Category, PersonalField, Purpose, declare

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

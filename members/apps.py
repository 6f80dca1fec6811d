from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class MembersConfig(AppConfig):
    name = "members"
    verbose_name = _("Membres")
    default_auto_field = "django.db.models.BigAutoField"

    def ready(self) -> None:
        # Declare to the data map; send sign-ins to the member's activity.
        from privacy.consent.api import on_withdrawal

        # mfa seals second factors' secrets for their row (allauth's adapter hooks).
        from . import mfa, personal_data, services, signals, staff_access  # noqa: F401

        # Withdrawing location consent drops the member's stored area.
        on_withdrawal("location", services.location_forget_on_withdrawal)
        # How the member's record and dependants read in a correction request.
        from privacy.requests.api import correction_topics_register

        from . import correction_topics

        correction_topics_register(
            models=("members.Member", "members.Dependant", "members.MemberLocation"),
            topics=correction_topics.correction_topics,
        )
        from . import export_presentation

        export_presentation.register()
        declare_known_device_cookie()


def declare_known_device_cookie() -> None:
    """The known-device cookie (members.signin) is essential: it keeps sign-in open to
    its member when someone else has tried too many passwords."""
    from django.utils.translation import ngettext

    from members.app_settings import app_settings
    from privacy.consent.api import ConsentCategory, cookie_declare

    def lifetime() -> str:
        days = max(1, round(app_settings.KNOWN_DEVICE_COOKIE_AGE / 86400))
        return ngettext("%(days)d jour", "%(days)d jours", days) % {"days": days}

    cookie_declare(
        "known_device",
        name=lambda: app_settings.KNOWN_DEVICE_COOKIE_NAME,
        category=ConsentCategory.ESSENTIAL,
        purpose=_(
            "Reconnaître un appareil où vous vous êtes déjà connecté, pour que des tentatives "
            "de connexion faites ailleurs ne puissent pas vous bloquer. Il ne contient qu’un "
            "identifiant d’appareil et une empreinte de votre compte, signés. Déposé seulement "
            "quand vous vous connectez."
        ),
        lifetime=lifetime,
    )

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

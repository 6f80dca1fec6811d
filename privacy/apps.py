from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class PrivacyConfig(AppConfig):
    name = "privacy"
    verbose_name = _("Protection des renseignements personnels")
    default_auto_field = "django.db.models.BigAutoField"

    def ready(self) -> None:
        # Declare to the data map; register the retention rules check.
        from . import personal_data, retention  # noqa: F401

from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class CoverageConfig(AppConfig):
    name = "coverage"
    verbose_name = _("Couverture")
    default_auto_field = "django.db.models.BigAutoField"

    def ready(self) -> None:
        from . import (
            personal_data,  # noqa: F401  (declares to the data map)
            plan_cache,
        )

        plan_cache.connect()

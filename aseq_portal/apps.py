from django.apps import AppConfig


class PortalConfig(AppConfig):
    """The site's wiring as an app, so its system checks register (aseq_portal/checks.py)."""

    name = "aseq_portal"
    verbose_name = "Portal"

    def ready(self) -> None:
        from . import checks  # noqa: F401

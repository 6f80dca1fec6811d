from django.apps import AppConfig


class StaffAppConfig(AppConfig):
    """Tests only: a member file reaching its account through a foreign key."""

    name = "tests.staffapp"
    label = "staffapp"
    default_auto_field = "django.db.models.BigAutoField"

    def ready(self) -> None:
        from . import personal_data  # noqa: F401

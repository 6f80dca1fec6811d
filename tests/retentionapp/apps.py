from django.apps import AppConfig


class RetentionAppConfig(AppConfig):
    name = "tests.retentionapp"
    label = "retentionapp"
    default_auto_field = "django.db.models.BigAutoField"

    def ready(self) -> None:
        from . import personal_data  # noqa: F401

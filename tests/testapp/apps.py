from django.apps import AppConfig


class TestAppConfig(AppConfig):
    """Models that exist only to test the privacy engine (installed by test settings)."""

    name = "tests.testapp"
    label = "testapp"
    default_auto_field = "django.db.models.BigAutoField"

from django.apps import AppConfig


class RequestsAppConfig(AppConfig):
    """A member's records as privacy requests see them, through the data map only.

    Stands for members/coverage in the tests of privacy requests: a holder
    record (identity, contact, blind-indexed student number), dependants,
    claim-like visits kept by law, and an activity trace with a short window.
    """

    name = "tests.requestsapp"
    label = "requestsapp"
    default_auto_field = "django.db.models.BigAutoField"

    def ready(self) -> None:
        from . import personal_data  # noqa: F401

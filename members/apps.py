from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class MembersConfig(AppConfig):
    name = "members"
    verbose_name = _("Membres")
    default_auto_field = "django.db.models.BigAutoField"

    def ready(self) -> None:
        # Declare to the data map; send sign-ins to the member's activity.
        from privacy.consent.api import on_withdrawal

        from . import personal_data, services, signals, staff_access  # noqa: F401

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

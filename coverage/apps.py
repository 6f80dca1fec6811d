from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class CoverageConfig(AppConfig):
    name = "coverage"
    verbose_name = _("Couverture")
    default_auto_field = "django.db.models.BigAutoField"

    def ready(self) -> None:
        from django.db.models.signals import post_delete

        from members.models import Member

        from . import (
            personal_data,  # noqa: F401  (declares to the data map)
            plan_cache,
            staff_access,  # noqa: F401  (grants staff roles their permissions)
            summary_page,
        )

        plan_cache.connect()
        from members.hooks import new_dependant_notice_register

        from .new_dependant import new_dependant_notice

        new_dependant_notice_register(new_dependant_notice)

        from privacy.requests.api import correction_topics_register

        from . import correction_topics

        correction_topics_register(
            models=("coverage.Claim", "coverage.Enrolment"),
            topics=correction_topics.correction_topics,
        )
        from . import export_presentation

        export_presentation.register()
        post_delete.connect(
            summary_page.member_deleted, sender=Member, dispatch_uid="coverage.summary_page"
        )

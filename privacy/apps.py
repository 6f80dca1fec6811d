from django.apps import AppConfig, apps
from django.db.models.signals import post_migrate
from django.utils.translation import gettext_lazy as _


def _roles_sync_after_migrate(sender, verbosity=1, using="default", **kwargs) -> None:
    """Once every app's permissions exist (the last post_migrate), set the roles'."""
    last = [config for config in apps.get_app_configs() if config.models_module is not None][-1]
    if sender is not last:
        return
    from django.contrib.auth.models import Group
    from django.db import router

    if not router.allow_migrate_model(using, Group):  # the key store holds no roles
        return
    from privacy.roles import roles_sync

    result = roles_sync()
    if verbosity >= 2:
        for entry in result.missing:
            print(f"  Role permission not present (skipped): {entry}")


class PrivacyConfig(AppConfig):
    name = "privacy"
    verbose_name = _("Protection des renseignements personnels")
    default_auto_field = "django.db.models.BigAutoField"

    def ready(self) -> None:
        from privacy import (
            checks,  # noqa: F401  (registers the key checks)
            personal_data,  # noqa: F401  (declares to the data map)
        )
        from privacy.audit import checks as audit_checks  # noqa: F401  (anchor signing key)
        from privacy.consent import checks as consent_checks  # noqa: F401  (consent wiring)
        from privacy.consent import receivers  # noqa: F401
        from privacy.retention import rules  # noqa: F401  (registers the retention rules check)

        post_migrate.connect(_roles_sync_after_migrate, dispatch_uid="privacy_roles_sync")

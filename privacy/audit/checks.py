"""System checks: audit anchors need a signing key (never in the database) and a place."""

from pathlib import Path

from django.conf import settings
from django.core.checks import Error, register

from privacy.audit.anchors import AnchorKeyError, parse_signing_key, verification_keys
from privacy.audit.app_settings import app_settings
from privacy.kernel.keys import GENERATE_KEY_COMMAND

HINT = (
    "Set AUDIT_ANCHOR_SIGNING_KEY to base64 of 32 random bytes, kept in the secret store "
    f"(never in the database): {GENERATE_KEY_COMMAND}. See docs/deployment.md."
)


@register()
def audit_anchor_check(app_configs=None, **kwargs) -> list[Error]:
    errors = []
    raw = app_settings.SIGNING_KEY
    if raw or getattr(settings, "PORTAL_ENVIRONMENT", "") == "production":
        try:
            parse_signing_key(raw)
            verification_keys()
        except AnchorKeyError as error:
            errors.append(Error(str(error), hint=HINT, id="privacy.E040"))
    if not Path(app_settings.DIR).is_absolute():
        errors.append(
            Error(
                "AUDIT_ANCHOR_DIR must be an absolute path",
                hint="A directory beside the backups, out of the database's reach.",
                id="privacy.E041",
            )
        )
    return errors

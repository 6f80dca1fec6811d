"""System checks: the consent layer is wired where it can enforce consent."""

from typing import Any, cast

from django.conf import settings
from django.core.checks import Error, Tags, register

MIDDLEWARE = "privacy.consent.middleware.ConsentMiddleware"
AFTER = (
    "django.contrib.sessions.middleware.SessionMiddleware",
    "django.contrib.auth.middleware.AuthenticationMiddleware",
)
BEFORE = "aseq_portal.middleware.SecurityHeadersMiddleware"
CONTEXT_PROCESSOR = "privacy.consent.context_processors.consent"


@register(Tags.security)
def consent_wiring_check(app_configs, **kwargs) -> list[Error]:
    errors = []
    middleware = list(settings.MIDDLEWARE)
    if MIDDLEWARE not in middleware:
        errors.append(
            Error(
                f"{MIDDLEWARE} is not in MIDDLEWARE: non-essential cookies would not be stripped.",
                id="privacy.E101",
            )
        )
    else:
        position = middleware.index(MIDDLEWARE)
        misplaced = [name for name in AFTER if name in middleware[position:]]
        if BEFORE in middleware[:position]:
            misplaced.append(BEFORE)
        if misplaced:
            errors.append(
                Error(
                    f"{MIDDLEWARE} must come after {', '.join(AFTER)} and before {BEFORE}.",
                    id="privacy.E102",
                )
            )
    processors = [
        name
        for engine in cast(list[dict[str, Any]], settings.TEMPLATES)
        for name in engine.get("OPTIONS", {}).get("context_processors", [])
    ]
    if CONTEXT_PROCESSOR not in processors:
        errors.append(
            Error(
                f"{CONTEXT_PROCESSOR} is not a template context processor: the banner cannot show.",
                id="privacy.E103",
            )
        )
    return errors

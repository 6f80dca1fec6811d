"""What the web process, ``/readyz`` and the Celery processes refuse to start without.

Keys missing or malformed, everywhere; in production also any secret or key
that the repository publishes (aseq_portal/published_secrets.py). The answer is
one line naming what is wrong, never a traceback and never key material.
"""

from __future__ import annotations

import sys

from django.conf import settings
from django.core.exceptions import ImproperlyConfigured

from privacy.kernel.keys import key_problems

from .published_secrets import published_secret_problems

# gunicorn stops its master, instead of restarting workers forever, when a worker
# exits with this code ("App failed to load"); any other server just sees a failure.
APP_LOAD_ERROR = 4


def startup_problems() -> list[str]:
    """Each reason this process must not serve, one short sentence each."""
    try:
        encryption_keys = settings.PRIVACY_ENCRYPTION_KEYS
    except ImproperlyConfigured as error:  # production settings without a required variable
        return [str(error)]
    blind_index_key = getattr(settings, "PRIVACY_BLIND_INDEX_KEY", "")
    previous_key = getattr(settings, "PRIVACY_BLIND_INDEX_PREVIOUS_KEY", "")
    problems = [
        str(problem) for problem in key_problems(encryption_keys, blind_index_key, previous_key)
    ]
    if getattr(settings, "PORTAL_ENVIRONMENT", "") == "production":
        problems += published_secret_problems(
            secret_key=settings.SECRET_KEY,
            encryption_keys=encryption_keys,
            blind_index_key=blind_index_key,
            previous_blind_index_key=previous_key,
            audit_anchor_signing_key=getattr(settings, "AUDIT_ANCHOR_SIGNING_KEY", ""),
        )
    return problems


def refusal_line(process: str, problems: list[str]) -> str:
    return (
        f"{process} refuses to start: {'; '.join(problems)}. "
        "Generate keys with: python -m aseq_portal.published_secrets (see .env.example)."
    )


def refuse_unsafe_start(process: str, *, exit_code: int = 1) -> None:
    """Exit with one line on standard error when ``startup_problems`` finds any."""
    problems = startup_problems()
    if problems:
        sys.stderr.write(refusal_line(process, problems) + "\n")
        sys.stderr.flush()
        raise SystemExit(exit_code)

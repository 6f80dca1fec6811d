"""Production refuses secrets and keys published in the repository (a system check).

``check --deploy``, ``migrate`` and ``runserver`` report them; the web and worker
processes refuse to start on the same findings (aseq_portal/startup.py).
"""

from django.conf import settings
from django.core.checks import Error, register

from .published_secrets import published_secret_problems

HINT = (
    "Whatever is in the repository is public. Generate fresh secrets with "
    "`python -m aseq_portal.published_secrets` and keep them in the secret store "
    "(docs/deployment.md)."
)


@register()
def published_secrets_check(app_configs=None, **kwargs) -> list[Error]:
    if getattr(settings, "PORTAL_ENVIRONMENT", "") != "production":
        return []
    problems = published_secret_problems(
        secret_key=settings.SECRET_KEY,
        encryption_keys=getattr(settings, "PRIVACY_ENCRYPTION_KEYS", ""),
        blind_index_key=getattr(settings, "PRIVACY_BLIND_INDEX_KEY", ""),
        previous_blind_index_key=getattr(settings, "PRIVACY_BLIND_INDEX_PREVIOUS_KEY", ""),
        audit_anchor_signing_key=getattr(settings, "AUDIT_ANCHOR_SIGNING_KEY", ""),
    )
    return [Error(problem, hint=HINT, id="aseq_portal.E001") for problem in problems]

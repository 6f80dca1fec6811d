"""System checks: the portal refuses to start with missing or weak keys.

``migrate`` and ``runserver`` run them, so a deployment without keys stops
before serving (the compose web service migrates before gunicorn starts).
"""

from django.core.checks import Error, register

from privacy.app_settings import app_settings
from privacy.kernel.keys import GENERATE_KEY_COMMAND, key_problems

HINT = (
    "Set PRIVACY_ENCRYPTION_KEYS to 'keyid:base64key[,oldid:base64key...]' (32-byte keys, "
    "the first one seals) and PRIVACY_BLIND_INDEX_KEY to a different base64 key of at least "
    f"32 bytes. PRIVACY_BLIND_INDEX_PREVIOUS_KEY, set only while re-indexing under a new "
    "blind index key, has the same format and differs from both. "
    f"Generate a key with: {GENERATE_KEY_COMMAND}. See .env.example."
)


@register()
def encryption_keys_check(app_configs=None, **kwargs) -> list[Error]:
    problems = key_problems(
        app_settings.ENCRYPTION_KEYS,
        app_settings.BLIND_INDEX_KEY,
        app_settings.BLIND_INDEX_PREVIOUS_KEY,
    )
    return [Error(str(problem), hint=HINT, id=problem.check_id) for problem in problems]

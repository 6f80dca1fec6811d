"""Embedded default for a newcomer: SQLite, eager Celery, console mail."""

from privacy.kernel.keys import local_anchor_key, local_keys

from .base import *  # noqa: F403
from .base import (
    AUDIT_ANCHOR_SIGNING_KEY,
    PRIVACY_BLIND_INDEX_KEY,
    PRIVACY_ENCRYPTION_KEYS,
    VAR_DIR,
    env,
)

DEBUG = env.bool("DJANGO_DEBUG", default=True)
MFA_WEBAUTHN_ALLOW_INSECURE_ORIGIN = True

# Field encryption: without keys in the environment, the embedded demo uses
# keys generated on first run into var/local-keys.env (git-ignored).
if not PRIVACY_ENCRYPTION_KEYS or not PRIVACY_BLIND_INDEX_KEY:
    _local_keys = local_keys(VAR_DIR / "local-keys.env")
    PRIVACY_ENCRYPTION_KEYS = PRIVACY_ENCRYPTION_KEYS or _local_keys["PRIVACY_ENCRYPTION_KEYS"]
    PRIVACY_BLIND_INDEX_KEY = PRIVACY_BLIND_INDEX_KEY or _local_keys["PRIVACY_BLIND_INDEX_KEY"]

# The audit log's anchors are signed with a key generated the same way.
if not AUDIT_ANCHOR_SIGNING_KEY:
    AUDIT_ANCHOR_SIGNING_KEY = local_anchor_key(VAR_DIR / "audit-anchor-key.env")

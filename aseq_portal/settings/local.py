"""Embedded default for a newcomer: SQLite, eager Celery, console mail."""

from privacy.kernel.keys import local_anchor_key, local_keys

from .base import *  # noqa: F403
from .base import (
    ALLOWED_HOSTS,
    AUDIT_ANCHOR_SIGNING_KEY,
    PORTAL_SITES,
    PRIVACY_BLIND_INDEX_KEY,
    PRIVACY_ENCRYPTION_KEYS,
    VAR_DIR,
    env,
)

DEBUG = env.bool("DJANGO_DEBUG", default=True)

# Both brands on one machine, with no file to edit: every name under .localhost
# resolves to the loopback address (RFC 6761; browsers and curl know it). The
# production names are served too, for a tester who sends their Host header.
LOCAL_SITES = {
    "aseq.localhost": {"brand": "ASEQ", "language": "fr"},
    "studentcare.localhost": {"brand": "Studentcare", "language": "en"},
}
PORTAL_SITES = {**LOCAL_SITES, **PORTAL_SITES}
ALLOWED_HOSTS = [*ALLOWED_HOSTS, *LOCAL_SITES, *PORTAL_SITES]
# Links in mail point at this server (make run PORT=...), in plain HTTP.
PORTAL_LINK_SCHEME = "http"
PORTAL_LINK_PORT = env.int("PORT", default=8000)
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

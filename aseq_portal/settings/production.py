"""Production: secrets have no default; a missing one stops the process."""

from .base import *  # noqa: F403
from .base import database_from_env, env, keystore_database_from_env

DEBUG = False
PORTAL_ENVIRONMENT = "production"
SECRET_KEY = env("DJANGO_SECRET_KEY")
ALLOWED_HOSTS = env.list("DJANGO_ALLOWED_HOSTS")
DATABASES = {"default": database_from_env(conn_max_age=60)}
DATABASES["default"]["CONN_HEALTH_CHECKS"] = True
# The key store: its own database (KEYSTORE_DATABASE_URL, else <name>_keys on the main
# database's server), backed up apart with a short retention (docs/deployment.md).
DATABASES["keystore"] = keystore_database_from_env(DATABASES["default"], conn_max_age=60)
DATABASES["keystore"]["CONN_HEALTH_CHECKS"] = True
# Required: base.py builds the Redis cache, cached sessions and the Celery broker
# from it; without it production would quietly run tasks eagerly and cache in memory.
REDIS_URL = env("REDIS_URL")
# Signed audit anchors go beside the backups, never into the container's var/.
AUDIT_ANCHOR_DIR = env("AUDIT_ANCHOR_DIR")

# HTTPS only: HSTS for a year with subdomains and preload, secure cookies
# with the __Host- prefix (no Domain, path /, Secure).
SECURE_SSL_REDIRECT = env.bool("DJANGO_SECURE_SSL_REDIRECT", default=True)
# No SECURE_PROXY_SSL_HEADER: anyone can send X-Forwarded-Proto. gunicorn believes it
# from PORTAL_TRUSTED_PROXIES only (forwarded_allow_ips) and sets the scheme itself.
SECURE_REDIRECT_EXEMPT = [r"^healthz$", r"^readyz$"]
SECURE_HSTS_SECONDS = 31536000
SECURE_HSTS_INCLUDE_SUBDOMAINS = True
SECURE_HSTS_PRELOAD = True
SESSION_COOKIE_SECURE = True
SESSION_COOKIE_NAME = "__Host-sessionid"
CSRF_COOKIE_SECURE = True
CSRF_COOKIE_NAME = "__Host-csrftoken"
PRIVACY_CONSENT_COOKIE_SECURE = True
PRIVACY_CONSENT_COOKIE_NAME = "__Host-consent"
# Secure follows SESSION_COOKIE_SECURE (members.signin.known_device_remember).
MEMBERS_KNOWN_DEVICE_COOKIE_NAME = "__Host-known_device"
CSRF_TRUSTED_ORIGINS = env.list(
    "DJANGO_CSRF_TRUSTED_ORIGINS", default=[f"https://{host}" for host in ALLOWED_HOSTS]
)

EMAIL_BACKEND = "django.core.mail.backends.smtp.EmailBackend"
EMAIL_HOST = env("EMAIL_HOST")
EMAIL_PORT = env.int("EMAIL_PORT", default=587)
EMAIL_HOST_USER = env("EMAIL_HOST_USER", default="")
EMAIL_HOST_PASSWORD = env("EMAIL_HOST_PASSWORD", default="")
EMAIL_USE_TLS = env.bool("EMAIL_USE_TLS", default=True)
# Seconds before an attempt on a silent relay fails (and is retried later by the worker).
EMAIL_TIMEOUT = env.int("EMAIL_TIMEOUT", default=10)

STORAGES = {
    "default": {"BACKEND": "django.core.files.storage.FileSystemStorage"},
    "staticfiles": {"BACKEND": "whitenoise.storage.CompressedManifestStaticFilesStorage"},
}

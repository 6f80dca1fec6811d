"""Settings for bench/pages.py: production-like, on loopback over plain HTTP.

Production's own module insists on HTTPS (secure cookies, SSL redirect), which a
load generator on 127.0.0.1 cannot speak; everything else is as in production:
DEBUG off, PostgreSQL with persistent connections, Redis cache when REDIS_URL is
set, the real password hasher, compressed and hashed static files.
"""

from aseq_portal.settings.base import *  # noqa: F403
from aseq_portal.settings.base import database_from_env, env, keystore_database_from_env

DEBUG = False
PORTAL_ENVIRONMENT = "bench"
ROOT_URLCONF = "bench.urls"
ALLOWED_HOSTS = ["127.0.0.1", "localhost"]
DATABASES = {"default": database_from_env(conn_max_age=60)}
DATABASES["default"]["CONN_HEALTH_CHECKS"] = True
DATABASES["keystore"] = keystore_database_from_env(DATABASES["default"], conn_max_age=60)
STATIC_ROOT = env("BENCH_STATIC_ROOT")
STORAGES = {
    "default": {"BACKEND": "django.core.files.storage.FileSystemStorage"},
    "staticfiles": {"BACKEND": "whitenoise.storage.CompressedManifestStaticFilesStorage"},
}
EMAIL_BACKEND = "django.core.mail.backends.dummy.EmailBackend"
# Thousands of sign-ins from one address are the point here, not an attack.
ACCOUNT_RATE_LIMITS = False
MEMBERS_SIGNIN_FAILURES_PER_NETWORK = "1000000/m"
PORTAL_ANONYMOUS_WRITE_RATE_LIMIT = "1000000/m"
PORTAL_MEMBER_WRITE_RATE_LIMIT = "1000000/m"
LOGGING["root"]["level"] = "WARNING"  # noqa: F405

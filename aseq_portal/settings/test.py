"""Test settings: the database comes from DATABASE_URL (SQLite when unset)."""

from .base import *  # noqa: F403
from .base import INSTALLED_APPS, env

DEBUG = False
PORTAL_ENVIRONMENT = "test"
PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]
EMAIL_BACKEND = "django.core.mail.backends.locmem.EmailBackend"
# Rate limits and locks must not leak between tests or runs.
CACHES = {"default": {"BACKEND": "django.core.cache.backends.locmem.LocMemCache"}}
# Eager unless a test starts a real worker with CELERY_EAGER=false.
CELERY_TASK_ALWAYS_EAGER = env.bool("CELERY_EAGER", default=True)
STORAGES = {
    "default": {"BACKEND": "django.core.files.storage.InMemoryStorage"},
    "staticfiles": {"BACKEND": "django.contrib.staticfiles.storage.StaticFilesStorage"},
}
ALLOWED_HOSTS = ["testserver", "mobile.aseq.ca", "mobile.studentcare.ca", "127.0.0.1", "localhost"]

# A tests-only app whose models prove the retention purge (tests/retentionapp).
INSTALLED_APPS = [*INSTALLED_APPS, "tests.retentionapp"]

"""Test settings: the database comes from DATABASE_URL (SQLite when unset)."""

from .base import *  # noqa: F403
from .base import FRAGMENT_CACHE, INSTALLED_APPS, env

DEBUG = False
PORTAL_ENVIRONMENT = "test"
PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]
EMAIL_BACKEND = "django.core.mail.backends.locmem.EmailBackend"
# Rate limits and locks must not leak between tests or runs.
CACHES = {
    "default": {"BACKEND": "django.core.cache.backends.locmem.LocMemCache"},
    "fragments": FRAGMENT_CACHE,
}
# A per-process cache cannot front sessions that other processes (the browser
# journeys' server and its set-up scripts) read and write: sessions live in the database.
SESSION_ENGINE = "django.contrib.sessions.backends.db"
# Eager unless a test starts a real worker with CELERY_EAGER=false.
CELERY_TASK_ALWAYS_EAGER = env.bool("CELERY_EAGER", default=True)
STORAGES = {
    "default": {"BACKEND": "django.core.files.storage.InMemoryStorage"},
    "staticfiles": {"BACKEND": "django.contrib.staticfiles.storage.StaticFilesStorage"},
}
ALLOWED_HOSTS = ["testserver", "mobile.aseq.ca", "mobile.studentcare.ca", "127.0.0.1", "localhost"]

# Field encryption: fixed keys, for tests only (never valid anywhere else).
PRIVACY_ENCRYPTION_KEYS = "test1:dGVzdC1vbmx5LWVuY3J5cHRpb24ta2V5LTAwMDAwMDE="
PRIVACY_BLIND_INDEX_KEY = "dGVzdC1vbmx5LWJsaW5kLWluZGV4LWtleS0wMDAwMDAwMQ=="
PRIVACY_BLIND_INDEX_PREVIOUS_KEY = ""  # tests that rotate it set it themselves
# Audit anchors: a fixed signing key for tests only; each test gets its own
# anchor directory (tests/conftest.py), so anchors never outlive a test's rows.
AUDIT_ANCHOR_SIGNING_KEY = "dGVzdC1vbmx5LWF1ZGl0LWFuY2hvci1rZXktMDAwMDE="
# Models that exist only to test the privacy engine (tests/testapp).
INSTALLED_APPS = [*INSTALLED_APPS, "tests.testapp"]
# Tests-only app proving the staff-side mixins on a model with a subject path
# and masked values (never installed outside the test suite).
INSTALLED_APPS = [*INSTALLED_APPS, "tests.staffapp"]
# Models declared to the data map for the tests of privacy requests (tests/requestsapp).
INSTALLED_APPS = [*INSTALLED_APPS, "tests.requestsapp"]
# A tests-only app whose models prove the retention purge (tests/retentionapp).
INSTALLED_APPS = [*INSTALLED_APPS, "tests.retentionapp"]

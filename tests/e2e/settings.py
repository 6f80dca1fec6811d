"""Settings of the portal as the browser journeys see it (a real gunicorn process).

The test settings, with what a separate server process needs: mail written to
files the journey reads, uploads on disk, static files served by WhiteNoise
straight from the source folders, and the database the harness prepared.
"""

from aseq_portal.settings.test import *  # noqa: F403
from aseq_portal.settings.test import env, keystore_database_from_env

PORTAL_ENVIRONMENT = "test"
DATABASES = {"default": env.db("DATABASE_URL")}
# The key store beside it (<name>_keys on PostgreSQL, created by tests/e2e/server.py).
DATABASES["keystore"] = keystore_database_from_env(DATABASES["default"])
EMAIL_BACKEND = "django.core.mail.backends.filebased.EmailBackend"
EMAIL_FILE_PATH = env("E2E_MAIL_DIR")
STORAGES = {
    "default": {
        "BACKEND": "django.core.files.storage.FileSystemStorage",
        "OPTIONS": {"location": env("MEDIA_ROOT")},
    },
    "staticfiles": {"BACKEND": "django.contrib.staticfiles.storage.StaticFilesStorage"},
}
WHITENOISE_USE_FINDERS = True
ALLOWED_HOSTS = ["127.0.0.1", "localhost"]

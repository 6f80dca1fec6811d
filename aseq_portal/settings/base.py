"""Every setting lives here; local, test and production only override.

Configuration comes from the environment (12-factor) through django-environ.
Every variable read here is documented in .env.example.

Why one module past 400 lines: every setting lives here by design (one place to
read what the portal reads); local, test and production only override.
"""

from datetime import timedelta
from pathlib import Path

import environ
from celery.schedules import crontab
from csp.constants import NONCE, NONE, SELF
from django.utils.translation import gettext_lazy as _

BASE_DIR = Path(__file__).resolve().parents[2]
VAR_DIR = BASE_DIR / "var"

env = environ.Env()
# A developer's own .env (git-ignored) is read when present; real
# deployments set the environment directly.
env_file = BASE_DIR / ".env"
if env_file.is_file() and not env.bool("DJANGO_IGNORE_DOTENV", default=False):
    environ.Env.read_env(env_file)

# --- Core -----------------------------------------------------------------
SECRET_KEY = env("DJANGO_SECRET_KEY", default="insecure-local-development-key-change-me")
DEBUG = env.bool("DJANGO_DEBUG", default=False)
# Which settings module is in force: local, test or production.
PORTAL_ENVIRONMENT = "local"
ALLOWED_HOSTS = env.list("DJANGO_ALLOWED_HOSTS", default=["127.0.0.1", "localhost", "[::1]"])

INSTALLED_APPS = [
    "django.contrib.admin",
    "django.contrib.auth",
    "django.contrib.contenttypes",
    "django.contrib.sessions",
    "django.contrib.messages",
    "whitenoise.runserver_nostatic",
    "django.contrib.staticfiles",
    "django.contrib.humanize",
    "csp",
    "allauth",
    "allauth.account",
    "allauth.mfa",
    "allauth.usersessions",
    # Ours, in dependency order: coverage -> members -> privacy.
    "privacy",
    "members",
    "coverage",
    # The site's wiring: its system checks (aseq_portal/checks.py); no models.
    "aseq_portal",
]

MIDDLEWARE = [
    # /healthz and /readyz, answered whatever the Host header (the orchestrator's probes).
    "aseq_portal.middleware.HealthProbeMiddleware",
    "django.middleware.security.SecurityMiddleware",
    # HTML pages gzipped (with Django's BREACH padding); see the class for why it is safe.
    "aseq_portal.middleware.HtmlGZipMiddleware",
    "whitenoise.middleware.WhiteNoiseMiddleware",
    "aseq_portal.middleware.SiteBrandMiddleware",
    "django.contrib.sessions.middleware.SessionMiddleware",
    "django.middleware.locale.LocaleMiddleware",
    "django.middleware.common.CommonMiddleware",
    "django.middleware.csrf.CsrfViewMiddleware",
    "django.contrib.auth.middleware.AuthenticationMiddleware",
    "django.contrib.messages.middleware.MessageMiddleware",
    "members.middleware.SessionLifetimeMiddleware",
    "django.middleware.clickjacking.XFrameOptionsMiddleware",
    "allauth.account.middleware.AccountMiddleware",
    # allauth's active-sessions tracking, written at most once a minute.
    "members.middleware.SessionActivityMiddleware",
    # The admin gate (staff side): MFA, then the current confidentiality
    # agreement and procedures. Replaces members' MFA-only gate.
    "privacy.staff.middleware.AdminGateMiddleware",
    # Every anonymous write per network, every member's per account (429 past it).
    "aseq_portal.middleware.WriteRateLimitMiddleware",
    "privacy.consent.middleware.ConsentMiddleware",
    "aseq_portal.middleware.SecurityHeadersMiddleware",
    "csp.middleware.CSPMiddleware",
]

ROOT_URLCONF = "aseq_portal.urls"
WSGI_APPLICATION = "aseq_portal.wsgi.application"

TEMPLATES = [
    {
        "BACKEND": "django.template.backends.django.DjangoTemplates",
        "DIRS": [BASE_DIR / "templates"],
        "APP_DIRS": True,
        "OPTIONS": {
            "context_processors": [
                "django.template.context_processors.request",
                "django.contrib.auth.context_processors.auth",
                "django.contrib.messages.context_processors.messages",
                "django.template.context_processors.i18n",
                "csp.context_processors.nonce",
                "aseq_portal.context_processors.portal",
                "privacy.consent.context_processors.consent",
            ],
            # {% typography %} in base.html: French or English punctuation spacing;
            # |long_date and |long_datetime: dates as members read them ("1er octobre").
            "builtins": ["aseq_portal.typography", "privacy.dates"],
        },
    },
]
# Labels, inputs and selects written in Python, the same bytes as Django's templates.
FORM_RENDERER = "aseq_portal.form_renderer.FormRenderer"


# --- Database, cache, Celery -----------------------------------------------
# With no DATABASE_URL the portal runs on a local SQLite file (embedded default).
def database_from_env(*, default_url: str | None = None, conn_max_age: int = 0) -> dict:
    """DATABASE_URL as Django's setting, with the options every environment shares."""
    if default_url is None:
        database = env.db("DATABASE_URL")
    else:
        database = env.db("DATABASE_URL", default=default_url)
    database["ATOMIC_REQUESTS"] = False
    database["CONN_MAX_AGE"] = env.int("DATABASE_CONN_MAX_AGE", default=conn_max_age)
    if database["ENGINE"] == "django.db.backends.postgresql" and env.bool(
        "DATABASE_PREPARED_STATEMENTS", default=True
    ):
        # Parameters bound by the server, and a statement run five times on a
        # connection prepared: PostgreSQL then skips planning it, which cost more
        # than running most of our queries (bench/pages.py). Off behind a
        # transaction-pooling PgBouncer, which cannot keep prepared statements.
        database.setdefault("OPTIONS", {}).update(server_side_binding=True, prepare_threshold=5)
    return database


def keystore_database_from_env(main: dict, *, conn_max_age: int = 0) -> dict:
    """The key store's database (privacy/keystore): KEYSTORE_DATABASE_URL, else beside ``main``.

    Without KEYSTORE_DATABASE_URL: a SQLite file next to the main one
    (``db.sqlite3`` -> ``db-keystore.sqlite3``), or, on PostgreSQL, the database
    ``<main name>_keys`` on the same server. Production sets it explicitly.
    """
    if env("KEYSTORE_DATABASE_URL", default=""):
        database = env.db("KEYSTORE_DATABASE_URL")
    else:
        database = {
            key: value for key, value in main.items() if key not in ("OPTIONS", "TEST", "NAME")
        }
        name = str(main["NAME"])
        if main["ENGINE"] == "django.db.backends.sqlite3":
            path = Path(name)
            suffix = path.suffix or ".sqlite3"
            database["NAME"] = str(path.with_name(f"{path.stem}-keystore{suffix}"))
        else:
            database["NAME"] = f"{name}_keys"
    database["ATOMIC_REQUESTS"] = False
    database["CONN_MAX_AGE"] = env.int("DATABASE_CONN_MAX_AGE", default=conn_max_age)
    return database


DATABASES = {"default": database_from_env(default_url=f"sqlite:///{BASE_DIR / 'db.sqlite3'}")}
DATABASES["keystore"] = keystore_database_from_env(DATABASES["default"])
# The data keys live in their own database; nothing else does (privacy/keystore/router.py).
DATABASE_ROUTERS = ["privacy.keystore.router.KeystoreRouter"]
# New values of a person's rows are sealed under their data key (v2). Off: under the
# master keyring (v1), as before the key store; `manage.py migrate_to_data_keys` moves
# stored v1 values to v2 (both read all along).
PRIVACY_DATA_KEYS = env.bool("PRIVACY_DATA_KEYS", default=True)
# Opened data keys stay in each process's memory only: how many, and for how long at most.
KEYSTORE_CACHE_SIZE = env.int("KEYSTORE_CACHE_SIZE", default=1024)
KEYSTORE_CACHE_SECONDS = env.int("KEYSTORE_CACHE_SECONDS", default=60)
# How long the key store's backups are kept (ops/backup-keystore): a deletion reaches
# every backup of the main database once the last key store backup older than it is gone.
KEYSTORE_BACKUP_KEEP_DAYS = env.int("KEYSTORE_BACKUP_KEEP_DAYS", default=7)
DEFAULT_AUTO_FIELD = "django.db.models.BigAutoField"

REDIS_URL = env("REDIS_URL", default="")
# The layout's fixed parts ({% cache ... using="fragments" %} in base.html), kept in
# each process: nothing personal, the same for every visitor of a language and host.
FRAGMENT_CACHE = {
    "BACKEND": "django.core.cache.backends.locmem.LocMemCache",
    "LOCATION": "fragments",
}
if REDIS_URL:
    CACHES = {
        "default": {
            # Django's Redis cache, keeping one client per pool (aseq_portal/cache.py).
            "BACKEND": "aseq_portal.cache.RedisCache",
            "LOCATION": REDIS_URL,
            "KEY_PREFIX": env("CACHE_KEY_PREFIX", default="aseq"),
        },
        "fragments": FRAGMENT_CACHE,
    }
    # Sessions read from Redis, written through to the database (which stays the
    # record: a flushed cache signs nobody out, and sign-out removes both).
    SESSION_ENGINE = "django.contrib.sessions.backends.cached_db"
else:
    CACHES = {
        "default": {"BACKEND": "django.core.cache.backends.locmem.LocMemCache"},
        "fragments": FRAGMENT_CACHE,
    }

CELERY_BROKER_URL = REDIS_URL or "memory://"
CELERY_RESULT_BACKEND = None
# Without a broker, tasks run in the calling process (embedded default).
CELERY_TASK_ALWAYS_EAGER = not REDIS_URL
CELERY_TASK_EAGER_PROPAGATES = True
CELERY_TASK_ACKS_LATE = True
CELERY_WORKER_PREFETCH_MULTIPLIER = 1
CELERY_TIMEZONE = "America/Montreal"
CELERY_BEAT_SCHEDULE: dict = {}

# --- Retention purge (privacy.retention) ------------------------------------
# Windows come from the data map; this overrides a model's length in days:
# {"app_label.Model": {"keep_for_days": N}}. The privacy officer sees the
# effective rules in admin (Retention purges > Effective rules).
PRIVACY_RETENTION: dict[str, dict[str, int]] = {}
# Rows per batch; each batch is one transaction.
PRIVACY_PURGE_BATCH_SIZE = env.int("PRIVACY_PURGE_BATCH_SIZE", default=20000)
# The nightly purge runs at this hour, Montreal time (CELERY_TIMEZONE).
PRIVACY_PURGE_HOUR = env.int("PRIVACY_PURGE_HOUR", default=3)
# A task stops between batches after the budget and re-queues itself; the soft
# limit interrupts a batch that overruns (rolled back, then re-queued); the hard
# limit kills the worker child. The lock outlives the hard limit.
PRIVACY_PURGE_TIME_BUDGET = 14 * 60
PRIVACY_PURGE_SOFT_TIME_LIMIT = 15 * 60
PRIVACY_PURGE_HARD_TIME_LIMIT = 17 * 60
# Long tasks (the purge) hold a lock renewed by a heartbeat every third of this many
# seconds: a holder killed with kill -9 releases it within this time (at once on the
# same machine). See privacy/retention/lease.py.
PRIVACY_LOCK_LEASE_SECONDS = env.int("PRIVACY_LOCK_LEASE_SECONDS", default=90)
CELERY_BEAT_SCHEDULE["privacy-purge-expired"] = {
    "task": "privacy.purge_expired",
    "schedule": crontab(hour=PRIVACY_PURGE_HOUR, minute=0),
}

# --- Accounts (django-allauth) --------------------------------------------
AUTH_USER_MODEL = "members.User"
AUTHENTICATION_BACKENDS = [
    # Django's and allauth's, loading the member record with the account.
    "members.backends.ModelBackend",
    "members.backends.AuthenticationBackend",
]
AUTH_PASSWORD_VALIDATORS = [
    {"NAME": "django.contrib.auth.password_validation.UserAttributeSimilarityValidator"},
    {
        "NAME": "django.contrib.auth.password_validation.MinimumLengthValidator",
        "OPTIONS": {"min_length": 10},
    },
    {"NAME": "django.contrib.auth.password_validation.CommonPasswordValidator"},
    {"NAME": "django.contrib.auth.password_validation.NumericPasswordValidator"},
]
LOGIN_URL = "account_login"
LOGIN_REDIRECT_URL = "home"
ACCOUNT_ADAPTER = "members.adapter.AccountAdapter"
# allauth names the account by first name or e-mail, never by its id.
ACCOUNT_USER_DISPLAY = "members.adapter.user_display"
ACCOUNT_LOGIN_METHODS = {"email"}
ACCOUNT_SIGNUP_FIELDS = ["email*", "password1*", "password2*"]
ACCOUNT_USER_MODEL_USERNAME_FIELD = None
ACCOUNT_EMAIL_VERIFICATION = "mandatory"
ACCOUNT_UNIQUE_EMAIL = True
ACCOUNT_CONFIRM_EMAIL_ON_GET = False
ACCOUNT_LOGIN_ON_EMAIL_CONFIRMATION = False
ACCOUNT_LOGOUT_ON_PASSWORD_CHANGE = False
ACCOUNT_SESSION_REMEMBER = False
ACCOUNT_PREVENT_ENUMERATION = True
ACCOUNT_REAUTHENTICATION_TIMEOUT = 300
# Failed sign-ins are limited by members.signin (MEMBERS_SIGNIN_FAILURES_*): per
# account and client together, a known device apart. allauth's own count is left
# to the second factor (per account: whoever reaches it knows the password), and
# its per-address limit on every sign-in post is off: it locked out whole campuses.
ACCOUNT_RATE_LIMITS = {
    "login": "",
    "login_failed": "5/300s/key",
    "signup": "20/m/ip",
    "reset_password": "20/m/ip,5/m/key",
}
ACCOUNT_EMAIL_SUBJECT_PREFIX = ""
# TOTP secrets and recovery-code seeds sealed with the field encryption, bound to their row.
MFA_ADAPTER = "members.mfa.MFAAdapter"
# The passkey forms, with their name field labelled in the page's language.
MFA_FORMS = {
    "add_webauthn": "members.passkey_forms.AddWebAuthnForm",
    "signup_webauthn": "members.passkey_forms.SignupWebAuthnForm",
    "edit_webauthn": "members.passkey_forms.EditWebAuthnForm",
}
# Tell the member by mail when their password, address or two-step methods change.
ACCOUNT_EMAIL_NOTIFICATIONS = True
MFA_SUPPORTED_TYPES = ["totp", "recovery_codes", "webauthn"]
MFA_PASSKEY_LOGIN_ENABLED = True
MFA_TOTP_ISSUER = env("MFA_TOTP_ISSUER", default="ASEQ")
MFA_WEBAUTHN_ALLOW_INSECURE_ORIGIN = False
USERSESSIONS_TRACK_ACTIVITY = True

# --- Writes by one client (aseq_portal.middleware.WriteRateLimitMiddleware) ---
# Every anonymous post (consent form, sign-up, password reset...) per network
# (IPv4 /24, IPv6 /48); every signed-in member's posts per account. Staff are not
# counted; sign-in has its own limits (per account and client, members.signin).
PORTAL_ANONYMOUS_WRITE_RATE_LIMIT = env("PORTAL_ANONYMOUS_WRITE_RATE_LIMIT", default="60/m")
PORTAL_MEMBER_WRITE_RATE_LIMIT = env("PORTAL_MEMBER_WRITE_RATE_LIMIT", default="60/m")
PORTAL_WRITE_RATE_LIMIT_EXEMPT = ("account_login",)

# --- Sessions --------------------------------------------------------------
# Browser-session cookies; idle and absolute limits are enforced server-side by
# members.middleware.SessionLifetimeMiddleware (staff get shorter ones).
SESSION_EXPIRE_AT_BROWSER_CLOSE = True
SESSION_COOKIE_AGE = int(timedelta(hours=12).total_seconds())
SESSION_IDLE_TIMEOUT = env.int("SESSION_IDLE_TIMEOUT", default=30 * 60)
SESSION_ABSOLUTE_LIFETIME = env.int("SESSION_ABSOLUTE_LIFETIME", default=12 * 3600)
STAFF_SESSION_IDLE_TIMEOUT = env.int("STAFF_SESSION_IDLE_TIMEOUT", default=15 * 60)
STAFF_SESSION_ABSOLUTE_LIFETIME = env.int("STAFF_SESSION_ABSOLUTE_LIFETIME", default=8 * 3600)
SESSION_COOKIE_HTTPONLY = True
SESSION_COOKIE_SAMESITE = "Lax"
CSRF_COOKIE_HTTPONLY = True
CSRF_COOKIE_SAMESITE = "Lax"
CSRF_FAILURE_VIEW = "aseq_portal.views.csrf_failure"

# Flash messages ride in the session: no cookie carries them.
MESSAGE_STORAGE = "django.contrib.messages.storage.session.SessionStorage"

# --- Members ---------------------------------------------------------------
# Plan rules and limits of the member's corner (members/app_settings.py reads them).
# A dependent child must be younger than this (full years).
MEMBERS_CHILD_MAX_AGE = env.int("MEMBERS_CHILD_MAX_AGE", default=25)
# Most dependants (spouse and children) one member may have on file: the plan's rule.
MEMBERS_MAX_DEPENDANTS = env.int("MEMBERS_MAX_DEPENDANTS", default=15)
# From this age a dependant's details are shown to the member as an overview only.
MEMBERS_ADULT_AGE = env.int("MEMBERS_ADULT_AGE", default=18)
# Claim-your-record attempts: per account, and per truncated client address.
MEMBERS_CLAIM_RATE_LIMIT = env("MEMBERS_CLAIM_RATE_LIMIT", default="5/h")
MEMBERS_CLAIM_RATE_LIMIT_PER_NETWORK = env("MEMBERS_CLAIM_RATE_LIMIT_PER_NETWORK", default="30/h")
# Failed sign-ins (count/period, s|m|h|d), members.signin. On a known device (the
# member signed in there before): that device's own failures only.
MEMBERS_SIGNIN_FAILURES_PER_DEVICE = env("MEMBERS_SIGNIN_FAILURES_PER_DEVICE", default="5/5m")
# From any other client: per account and client network together, per account
# across all such clients, and per client network across accounts.
MEMBERS_SIGNIN_FAILURES_PER_CLIENT = env("MEMBERS_SIGNIN_FAILURES_PER_CLIENT", default="5/5m")
MEMBERS_SIGNIN_FAILURES_PER_ACCOUNT = env("MEMBERS_SIGNIN_FAILURES_PER_ACCOUNT", default="30/h")
MEMBERS_SIGNIN_FAILURES_PER_NETWORK = env("MEMBERS_SIGNIN_FAILURES_PER_NETWORK", default="30/m")
# The known-device cookie (essential, signed, HttpOnly), set at each sign-in.
MEMBERS_KNOWN_DEVICE_COOKIE_NAME = "known_device"
MEMBERS_KNOWN_DEVICE_COOKIE_AGE = int(timedelta(days=180).total_seconds())
# Unlock by e-mail: the link's life (seconds) and the mails one account may get.
MEMBERS_SIGNIN_UNLOCK_LINK_AGE = env.int("MEMBERS_SIGNIN_UNLOCK_LINK_AGE", default=3600)
MEMBERS_SIGNIN_UNLOCK_MAILS = env("MEMBERS_SIGNIN_UNLOCK_MAILS", default="3/h")
# How long the member's own activity and claim attempts are kept (days).
MEMBERS_ACTIVITY_RETENTION_DAYS = env.int("MEMBERS_ACTIVITY_RETENTION_DAYS", default=365)
# A coarse location kept with consent is forgotten after this many days anyway.
MEMBERS_LOCATION_RETENTION_DAYS = env.int("MEMBERS_LOCATION_RETENTION_DAYS", default=90)
# A member's record and dependants are kept this long after their last update, and in
# any case while an enrolment or claim (seven years after its policy year) points to them.
MEMBERS_RECORD_RETENTION_DAYS = env.int("MEMBERS_RECORD_RETENTION_DAYS", default=7 * 365)
# An account with no member record that has not signed in for this long is deleted.
MEMBERS_UNUSED_ACCOUNT_DAYS = env.int("MEMBERS_UNUSED_ACCOUNT_DAYS", default=180)
MEMBERS_PROVIDER_SEARCH_RADIUS_KM = env.int("MEMBERS_PROVIDER_SEARCH_RADIUS_KM", default=25)
MEMBERS_PROVIDER_RESULTS = env.int("MEMBERS_PROVIDER_RESULTS", default=20)

# --- Privacy: consent layer ------------------------------------------------
# The visitor's choice lives in this essential cookie (signed; never in the
# session). A choice older than its age, or made under an older policy
# version, is asked again.
PRIVACY_CONSENT_COOKIE_NAME = "consent"
PRIVACY_CONSENT_COOKIE_AGE = int(timedelta(days=180).total_seconds())
PRIVACY_CONSENT_COOKIE_SECURE = False

# --- Internationalisation --------------------------------------------------
LANGUAGE_CODE = "fr"
LANGUAGES = [("fr", _("Français")), ("en", _("English"))]
LOCALE_PATHS = [BASE_DIR / "locale"]
USE_I18N = True
USE_TZ = True
TIME_ZONE = "America/Montreal"

# One deployment answers on both host names of the service, each with its own
# brand and default language (the policy names mobile.aseq.ca and
# mobile.studentcare.ca). Format: host=Brand:language, comma-separated.
PORTAL_SITES = {
    host: {"brand": brand, "language": language}
    for host, brand, language in (
        (item.split("=")[0].strip(), *item.split("=")[1].strip().split(":"))
        for item in env.list(
            "PORTAL_SITES",
            default=["mobile.aseq.ca=ASEQ:fr", "mobile.studentcare.ca=Studentcare:en"],
        )
    )
}
# Absolute links in mail: https on the host's standard port, except locally.
PORTAL_LINK_SCHEME = "https"
PORTAL_LINK_PORT: int | None = None
PORTAL_DEFAULT_SITE = {
    "brand": env("PORTAL_DEFAULT_BRAND", default="ASEQ"),
    "language": env("PORTAL_DEFAULT_LANGUAGE", default="fr"),
}
SERVICE_CENTRE_PHONE = "1 866 416-8708"
SERVICE_CENTRE_TIMEZONE = "America/Montreal"

# --- Static files ----------------------------------------------------------
STATIC_URL = "/static/"
STATIC_ROOT = BASE_DIR / "staticfiles"
STATICFILES_DIRS = [BASE_DIR / "static"]
MEDIA_ROOT = env("MEDIA_ROOT", default=str(VAR_DIR / "media"))
STORAGES = {
    "default": {"BACKEND": "django.core.files.storage.FileSystemStorage"},
    "staticfiles": {"BACKEND": "django.contrib.staticfiles.storage.StaticFilesStorage"},
}

# --- Mail ------------------------------------------------------------------
EMAIL_BACKEND = "django.core.mail.backends.console.EmailBackend"
DEFAULT_FROM_EMAIL = env("DEFAULT_FROM_EMAIL", default="ASEQ <no-reply@mobile.aseq.ca>")
SERVER_EMAIL = DEFAULT_FROM_EMAIL

# --- Security baseline -----------------------------------------------------
# Addresses or networks of the reverse proxies in front of gunicorn, comma-separated.
# Only their X-Forwarded-For (the client's address: rate limits, stored prefixes) and,
# through gunicorn's forwarded_allow_ips (aseq_portal/gunicorn_config.py),
# X-Forwarded-Proto are believed. Empty: no proxy, the peer is the client.
PORTAL_TRUSTED_PROXIES = env.list("PORTAL_TRUSTED_PROXIES", default=[])
SECURE_CONTENT_TYPE_NOSNIFF = True
SECURE_REFERRER_POLICY = "same-origin"
SECURE_CROSS_ORIGIN_OPENER_POLICY = "same-origin"
X_FRAME_OPTIONS = "DENY"
# Every feature is off unless a page needs it; geolocation is governed by the
# visitor's consent (see privacy).
PERMISSIONS_POLICY = {
    "accelerometer": "()",
    "camera": "()",
    "geolocation": "()",
    "gyroscope": "()",
    "magnetometer": "()",
    "microphone": "()",
    "payment": "()",
    "usb": "()",
    "interest-cohort": "()",
    "browsing-topics": "()",
}
CONTENT_SECURITY_POLICY = {
    "DIRECTIVES": {
        "default-src": [NONE],
        "script-src": [SELF, NONCE],
        "style-src": [SELF],
        "img-src": [SELF, "data:"],
        "font-src": [SELF],
        "connect-src": [SELF],
        "manifest-src": [SELF],
        "form-action": [SELF],
        "base-uri": [NONE],
        "frame-ancestors": [NONE],
        "object-src": [NONE],
    },
}

# --- Field encryption (privacy) --------------------------------------------
# Keyring "keyid:base64key,oldid:base64key": 32-byte AES-256-GCM keys; the
# first seals, every key opens the values it sealed (rotation: see README).
# The blind index key (HMAC-SHA256 for exact lookups) is separate, >= 32 bytes.
# The previous blind index key is set only while the indexes are re-computed
# under a new one (manage.py reindex_blind_indexes, docs/deployment.md).
# Unset in local settings: generated on first run into var/local-keys.env.
# A system check (privacy/checks.py) refuses missing or malformed keys.
PRIVACY_ENCRYPTION_KEYS = env("PRIVACY_ENCRYPTION_KEYS", default="")
PRIVACY_BLIND_INDEX_KEY = env("PRIVACY_BLIND_INDEX_KEY", default="")
PRIVACY_BLIND_INDEX_PREVIOUS_KEY = env("PRIVACY_BLIND_INDEX_PREVIOUS_KEY", default="")

# --- Coverage -------------------------------------------------------------
# Seconds a proof-of-coverage QR code (signed token) stays valid.
COVERAGE_PROOF_TOKEN_MAX_AGE = env.int("COVERAGE_PROOF_TOKEN_MAX_AGE", default=30 * 24 * 3600)
# Public verifications allowed per minute from one network (IPv4 /24, IPv6 /48).
COVERAGE_VERIFY_RATE_LIMIT = env.int("COVERAGE_VERIFY_RATE_LIMIT", default=30)
# Largest proof-of-other-coverage upload (bytes), stored encrypted.
COVERAGE_PROOF_UPLOAD_MAX_BYTES = env.int(
    "COVERAGE_PROOF_UPLOAD_MAX_BYTES", default=5 * 1024 * 1024
)
# Lines applied per chunk by manage.py import_coverage (memory stays flat).
COVERAGE_IMPORT_CHUNK_SIZE = env.int("COVERAGE_IMPORT_CHUNK_SIZE", default=2000)

# --- Logging: nothing personal, ever ---------------------------------------
LOGGING = {
    "version": 1,
    "disable_existing_loggers": False,
    "formatters": {"plain": {"format": "%(asctime)s %(levelname)s %(name)s %(message)s"}},
    "handlers": {"console": {"class": "logging.StreamHandler", "formatter": "plain"}},
    "root": {"handlers": ["console"], "level": env("DJANGO_LOG_LEVEL", default="INFO")},
    "loggers": {
        # Request logs carry full URLs and client addresses; keep them quiet.
        "django.server": {"level": "WARNING"},
    },
}

# --- Privacy requests (access, correction, deletion) ------------------------
# Law 25: an answer within 30 days; one extension of at most 30 days, with
# reasons and notice to the member.
PRIVACY_REQUEST_DUE_DAYS = env.int("PRIVACY_REQUEST_DUE_DAYS", default=30)
PRIVACY_REQUEST_MAX_EXTENSION_DAYS = env.int("PRIVACY_REQUEST_MAX_EXTENSION_DAYS", default=30)
# The staff queue shows requests due within this many days in the warning band.
PRIVACY_REQUEST_DUE_SOON_DAYS = env.int("PRIVACY_REQUEST_DUE_SOON_DAYS", default=7)
# A refused member may turn to the Commission d'accès à l'information within 30
# days: their rows stay under a recourse hold that long after closing.
PRIVACY_REQUEST_RECOURSE_DAYS = env.int("PRIVACY_REQUEST_RECOURSE_DAYS", default=30)
# Access exports: the download link lives this many days, then the archive is purged.
PRIVACY_EXPORT_LINK_DAYS = env.int("PRIVACY_EXPORT_LINK_DAYS", default=7)
# Supporting document of a correction request (PDF, PNG or JPEG).
PRIVACY_CORRECTION_DOCUMENT_MAX_BYTES = env.int(
    "PRIVACY_CORRECTION_DOCUMENT_MAX_BYTES", default=5 * 1024 * 1024
)
# Models the member changes themselves (account settings): not offered for correction.
PRIVACY_CORRECTION_SELF_SERVICE_MODELS = ("members.User", "account.EmailAddress")
# Personal fields (blind-indexed) that staff may search requests by, exactly.
PRIVACY_REQUEST_SEARCH_FIELDS = ("student_number",)
CELERY_IMPORTS = (
    "privacy.requests.tasks",
    "privacy.retention.tasks",
    "privacy.rotation.tasks",
    "privacy.audit.tasks",
    "privacy.sealed_mail",
)
CELERY_BEAT_SCHEDULE["privacy-export-purge-expired"] = {
    "task": "privacy.requests.tasks.privacy_export_purge_expired",
    "schedule": timedelta(hours=1),
}

# --- Audit log anchors (privacy.audit.anchors) -------------------------------
# The chain head is signed (Ed25519) with this key, which is never in the
# database: base64 of 32 random bytes, from the secret store. Unset in local
# settings: generated on first run into var/audit-anchor-key.env.
AUDIT_ANCHOR_SIGNING_KEY = env("AUDIT_ANCHOR_SIGNING_KEY", default="")
# Public keys (base64) of earlier signing keys, to keep verifying older anchors.
AUDIT_ANCHOR_VERIFY_KEYS = env.list("AUDIT_ANCHOR_VERIFY_KEYS", default=[])
# Where the signed anchors are appended (audit-anchors.jsonl): beside the
# backups, out of the database's reach. They are also written to the log stream.
AUDIT_ANCHOR_DIR = env("AUDIT_ANCHOR_DIR", default=str(VAR_DIR / "audit-anchors"))
# Minutes between two anchors (and one after every purge of old entries).
AUDIT_ANCHOR_INTERVAL_MINUTES = env.int("AUDIT_ANCHOR_INTERVAL_MINUTES", default=60)
# Optionally mailed too (the privacy officer's address): comma-separated.
AUDIT_ANCHOR_MAIL_TO = env.list("AUDIT_ANCHOR_MAIL_TO", default=[])
CELERY_BEAT_SCHEDULE["privacy-audit-anchor"] = {
    "task": "privacy.audit_anchor",
    "schedule": timedelta(minutes=AUDIT_ANCHOR_INTERVAL_MINUTES),
}

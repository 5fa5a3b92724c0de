"""Django settings for Mamori, read from the environment (see README: Configuration)."""

from __future__ import annotations

import ipaddress
from pathlib import Path
from urllib.parse import urlsplit

import dj_database_url
from django.core.exceptions import ImproperlyConfigured
from django.utils.translation import gettext_lazy as _

from mamori.conf import data_dir, env, env_bool, env_int, env_list, private_files, secret_key, trail_key

BASE_DIR = Path(__file__).resolve().parent
private_files()  # umask 077: the database, keys, uploads, outbox and backups are the owner's only
DATA_DIR = data_dir()

DEBUG = env_bool("MAMORI_DEBUG", False)
SECRET_KEY = secret_key(DATA_DIR)
MAMORI_TRAIL_KEY = trail_key(DATA_DIR)
ALLOWED_HOSTS = env_list("MAMORI_ALLOWED_HOSTS", ["127.0.0.1", "localhost", "[::1]", "testserver"])
PORT = env_int("MAMORI_PORT", 8000, minimum=1, maximum=65535)
# The address links in e-mails point to (invitations, password reset).
BASE_URL = (env("MAMORI_BASE_URL") or f"http://127.0.0.1:{PORT}").rstrip("/")
_base = urlsplit(BASE_URL)
if _base.scheme not in {"http", "https"} or not _base.hostname:
    raise ImproperlyConfigured(f"MAMORI_BASE_URL must look like https://mamori.example.jp, not {BASE_URL!r}")
# The public address is always an allowed host and a trusted origin for form posts (behind a proxy
# the browser's Origin is the public https address).
if _base.hostname not in ALLOWED_HOSTS and f"[{_base.hostname}]" not in ALLOWED_HOSTS:
    ALLOWED_HOSTS.append(f"[{_base.hostname}]" if ":" in _base.hostname else _base.hostname)
CSRF_TRUSTED_ORIGINS = [
    f"{_base.scheme}://{_base.netloc}",
    *env_list("MAMORI_CSRF_TRUSTED_ORIGINS", []),
]

INSTALLED_APPS = [
    "django.contrib.auth",
    "django.contrib.contenttypes",
    "django.contrib.sessions",
    "django.contrib.messages",
    "django.contrib.staticfiles",
    "django_htmx",
    "ninja",
    "django_tasks",
    "django_tasks_db",
    "mamori.platform.accounts",
    "mamori.platform.tenancy",
    "mamori.platform.trail",
    "mamori.ledger",
    "mamori.vendors",
    "mamori.checksheets",
    "mamori.incidents",
    "mamori.audits",
    "mamori.risk",
    "mamori.provisions",
    "mamori.preparedness",
    "mamori.standards",
    "mamori.portfolio",
    "mamori.answerlib",
    "mamori.platform.web",
    "mamori.demo",
    "mamori.taskleases",
]

MIDDLEWARE = [
    "django.middleware.security.SecurityMiddleware",
    "whitenoise.middleware.WhiteNoiseMiddleware",
    "csp.middleware.CSPMiddleware",
    "django.contrib.sessions.middleware.SessionMiddleware",
    "mamori.platform.web.middleware.LanguageMiddleware",
    "mamori.platform.web.middleware.UploadLimitMiddleware",
    "mamori.platform.web.middleware.RefuseNulMiddleware",
    "django.middleware.common.CommonMiddleware",
    "django.middleware.csrf.CsrfViewMiddleware",
    "django.contrib.auth.middleware.AuthenticationMiddleware",
    "mamori.platform.web.middleware.NoStoreMiddleware",
    "django.contrib.messages.middleware.MessageMiddleware",
    "django.middleware.clickjacking.XFrameOptionsMiddleware",
    "django_htmx.middleware.HtmxMiddleware",
    "mamori.platform.tenancy.middleware.CurrentOrganizationMiddleware",
    "mamori.platform.web.middleware.SetupRedirectMiddleware",
    "mamori.platform.trail.middleware.TrailActorMiddleware",
]

ROOT_URLCONF = "mamori.urls"
WSGI_APPLICATION = "mamori.wsgi.application"

TEMPLATES = [
    {
        "BACKEND": "django.template.backends.django.DjangoTemplates",
        "DIRS": [BASE_DIR / "templates"],
        "APP_DIRS": True,
        "OPTIONS": {
            "context_processors": [
                "django.template.context_processors.request",
                "django.template.context_processors.i18n",
                "django.contrib.auth.context_processors.auth",
                "django.contrib.messages.context_processors.messages",
                "mamori.platform.web.context.navigation",
            ],
        },
    },
]

# --- Database -------------------------------------------------------------------------------
DATABASE_URL = env("DATABASE_URL")
# Each web thread keeps its connection this many seconds (0: a new one per request). On SQLite too:
# a new connection re-reads the schema and re-prepares every statement, which cost about a third of
# a request's CPU (benchmarks/profile_requests.py).
DB_CONN_MAX_AGE = env_int("MAMORI_DB_CONN_MAX_AGE", 60, minimum=0)
if DATABASE_URL:
    try:
        DATABASES = {
            "default": dj_database_url.parse(
                DATABASE_URL,
                conn_max_age=DB_CONN_MAX_AGE,
                conn_health_checks=True,
            )
        }
    except ValueError as exc:
        raise ImproperlyConfigured(f"DATABASE_URL is not a valid database address: {exc}") from exc
else:
    DATABASES = {
        "default": {
            "ENGINE": "django.db.backends.sqlite3",
            "NAME": DATA_DIR / "mamori.sqlite3",
            "CONN_MAX_AGE": DB_CONN_MAX_AGE,
        }
    }
if DATABASES["default"]["ENGINE"] == "django.db.backends.sqlite3":
    DATABASES["default"]["CONN_HEALTH_CHECKS"] = False  # a file: nothing to lose on the way
if DATABASES["default"]["ENGINE"] == "django.db.backends.sqlite3":
    # WAL lets readers proceed while one writer writes; IMMEDIATE transactions take the write
    # lock up front so two writers wait (busy timeout) instead of failing half-way.
    DATABASES["default"].setdefault("OPTIONS", {}).update(
        {
            "transaction_mode": "IMMEDIATE",
            "timeout": 20,
            "init_command": (
                "PRAGMA journal_mode=WAL;"
                "PRAGMA synchronous=NORMAL;"
                "PRAGMA foreign_keys=ON;"
                "PRAGMA busy_timeout=20000;"
            ),
        }
    )
DATABASES["default"]["ATOMIC_REQUESTS"] = False
DEFAULT_AUTO_FIELD = "django.db.models.BigAutoField"

# --- Accounts -------------------------------------------------------------------------------
AUTH_USER_MODEL = "accounts.User"
AUTHENTICATION_BACKENDS = ["mamori.platform.accounts.backends.EmailBackend"]
PASSWORD_HASHERS = [
    "django.contrib.auth.hashers.Argon2PasswordHasher",
    "django.contrib.auth.hashers.PBKDF2PasswordHasher",
]
AUTH_PASSWORD_VALIDATORS = [
    {"NAME": "django.contrib.auth.password_validation.UserAttributeSimilarityValidator"},
    {"NAME": "django.contrib.auth.password_validation.MinimumLengthValidator", "OPTIONS": {"min_length": 10}},
    {"NAME": "django.contrib.auth.password_validation.CommonPasswordValidator"},
    {"NAME": "django.contrib.auth.password_validation.NumericPasswordValidator"},
]
LOGIN_URL = "accounts:login"
LOGIN_REDIRECT_URL = "web:dashboard"
LOGOUT_REDIRECT_URL = "accounts:login"
PASSWORD_RESET_TIMEOUT = 60 * 60 * 3
# Lock-out: this many failed sign-ins for one e-mail address within the window lock it for the window.
MAMORI_LOGIN_MAX_FAILURES = env_int("MAMORI_LOGIN_MAX_FAILURES", 5, minimum=1, maximum=100)
MAMORI_LOGIN_LOCK_SECONDS = env_int("MAMORI_LOGIN_LOCK_SECONDS", 15 * 60, minimum=1)
MAMORI_INVITATION_DAYS = env_int("MAMORI_INVITATION_DAYS", 7, minimum=1, maximum=90)

# --- Sessions, cookies, headers -------------------------------------------------------------
SESSION_COOKIE_AGE = 60 * 60 * 12
# Session keys are stored as keyed hashes and session data sealed (mamori.platform.accounts.sessions).
SESSION_ENGINE = "mamori.platform.accounts.sessions"
SESSION_COOKIE_HTTPONLY = True
SESSION_COOKIE_SAMESITE = "Lax"
CSRF_COOKIE_SAMESITE = "Lax"
CSRF_FAILURE_VIEW = "mamori.platform.web.errors.csrf_failure"
# Outside debug cookies are only sent over HTTPS; set MAMORI_SECURE_COOKIES=false to serve plain
# HTTP on a trusted network (the README explains).
SESSION_COOKIE_SECURE = CSRF_COOKIE_SECURE = env_bool("MAMORI_SECURE_COOKIES", not DEBUG)
SECURE_CONTENT_TYPE_NOSNIFF = True
SECURE_REFERRER_POLICY = "same-origin"
SECURE_CROSS_ORIGIN_OPENER_POLICY = "same-origin"
X_FRAME_OPTIONS = "DENY"
# Behind a TLS-terminating reverse proxy on this host: trust its X-Forwarded-Proto and the address it
# appends to X-Forwarded-For (mamori.platform.actor.client_ip).
# The web server (mamori.server: gunicorn's forwarded_allow_ips) takes X-Forwarded-Proto only from
# MAMORI_TRUSTED_PROXIES, so Django sees https through wsgi.url_scheme; SECURE_PROXY_SSL_HEADER is
# deliberately not set (Django would believe the header from anyone who reaches the port).
MAMORI_BEHIND_TLS_PROXY = env_bool("MAMORI_BEHIND_TLS_PROXY", False)
MAMORI_TRUSTED_PROXIES = env_list("MAMORI_TRUSTED_PROXIES", ["127.0.0.1", "::1"])
for _proxy in MAMORI_TRUSTED_PROXIES:
    try:
        if _proxy != "*":
            ipaddress.ip_network(_proxy)
    except ValueError as exc:
        raise ImproperlyConfigured(
            f"MAMORI_TRUSTED_PROXIES: {_proxy!r} is not an IP address or network: {exc}"
        ) from exc
if MAMORI_BEHIND_TLS_PROXY:
    SECURE_HSTS_SECONDS = 60 * 60 * 24 * 365
CONTENT_SECURITY_POLICY = {
    "DIRECTIVES": {
        "default-src": ["'self'"],
        "script-src": ["'self'"],
        "style-src": ["'self'"],
        "img-src": ["'self'", "data:"],
        "font-src": ["'self'"],
        "connect-src": ["'self'"],
        "frame-ancestors": ["'none'"],
        "form-action": ["'self'"],
        "base-uri": ["'none'"],
        "object-src": ["'none'"],
    }
}

# --- Files ----------------------------------------------------------------------------------
MEDIA_ROOT = DATA_DIR / "files"
MEDIA_URL = "/files/"  # never served directly: downloads go through views that check access
STATIC_URL = "/static/"
STATIC_ROOT = DATA_DIR / "static"
STATIC_ROOT.mkdir(exist_ok=True)
STATICFILES_DIRS = [BASE_DIR / "static"]
WHITENOISE_USE_FINDERS = True
WHITENOISE_AUTOREFRESH = DEBUG
# Form fields other than files stay small; files above 5 MB go to a temporary file, not memory.
# The whole body is refused from its Content-Length above MAMORI_MAX_UPLOAD_MB
# (mamori.platform.web.middleware.UploadLimitMiddleware).
DATA_UPLOAD_MAX_MEMORY_SIZE = 5 * 1024 * 1024
FILE_UPLOAD_MAX_MEMORY_SIZE = 5 * 1024 * 1024
MAMORI_MAX_UPLOAD_BYTES = env_int("MAMORI_MAX_UPLOAD_MB", 50, minimum=1) * 1024 * 1024
# Read by mamori.scan.xlsx_guard (which stays free of Django); validated here at start-up.
MAMORI_MAX_SHEET_ROWS = env_int("MAMORI_MAX_SHEET_ROWS", 1_000_000, minimum=1)
MAMORI_MAX_SHEET_COLUMNS = env_int("MAMORI_MAX_SHEET_COLUMNS", 1_000, minimum=1)
MAMORI_MAX_SHEET_XML_MB = env_int("MAMORI_MAX_SHEET_XML_MB", 1024, minimum=1)
# Uploaded files are read in a child process with these limits (mamori.platform.isolation): scans
# in the worker, imports in the request with a shorter time limit. Imports are capped in rows and bytes.
MAMORI_CHILD_MEMORY_MB = env_int("MAMORI_CHILD_MEMORY_MB", 1024, minimum=512)
MAMORI_CHILD_SECONDS = env_int("MAMORI_CHILD_SECONDS", 300, minimum=1)
MAMORI_IMPORT_SECONDS = env_int("MAMORI_IMPORT_SECONDS", 60, minimum=1)
# Rows are checked outside the write transaction, then written in bulk in one transaction
# (benchmarks/import_bench.py). SQLite holds its one write lock for the whole of it (5,000 vendors
# with contacts: 13 s on the loaded bench machine, 50,000: 240 s), so its default stays 5,000;
# PostgreSQL locks only the organization's trail head (50,000: 125 s, other organizations go on),
# so its default is 50,000.
MAMORI_MAX_IMPORT_ROWS = env_int(
    "MAMORI_MAX_IMPORT_ROWS",
    5_000 if DATABASES["default"]["ENGINE"] == "django.db.backends.sqlite3" else 50_000,
    minimum=1,
)
MAMORI_MAX_IMPORT_BYTES = env_int("MAMORI_MAX_IMPORT_MB", 20, minimum=1) * 1024 * 1024
# Uploads waiting for the worker (owner-only files, deleted once read).
MAMORI_PENDING_DIR = DATA_DIR / "uploads" / "pending"

# --- Data at rest (owner-only files) ------------------------------------------------------------
# Django would chmod uploads to 0644 whatever the umask: keep them the owner's only.
FILE_UPLOAD_PERMISSIONS = 0o600
FILE_UPLOAD_DIRECTORY_PERMISSIONS = 0o700
# The trail's daily anchors (its chain heads, outside the database): mamori.platform.trail.anchors.
MAMORI_TRAIL_ANCHORS_FILE = DATA_DIR / "trail-anchors.log"

# --- Mail -----------------------------------------------------------------------------------
# Every message goes through the task queue (mamori.mail.QueuedEmailBackend); the worker hands
# it to the delivery backend: SMTP when MAMORI_SMTP_HOST is set, else .eml files in the outbox.
EMAIL_BACKEND = "mamori.mail.QueuedEmailBackend"
MAMORI_OUTBOX_DIR = DATA_DIR / "outbox"
EMAIL_HOST = env("MAMORI_SMTP_HOST", "") or ""
if EMAIL_HOST:
    MAMORI_DELIVERY_EMAIL_BACKEND = "django.core.mail.backends.smtp.EmailBackend"
    EMAIL_PORT = env_int("MAMORI_SMTP_PORT", 587, minimum=1, maximum=65535)
    EMAIL_HOST_USER = env("MAMORI_SMTP_USER", "") or ""
    EMAIL_HOST_PASSWORD = env("MAMORI_SMTP_PASSWORD", "") or ""
    EMAIL_USE_TLS = env_bool("MAMORI_SMTP_STARTTLS", True)
    EMAIL_USE_SSL = env_bool("MAMORI_SMTP_SSL", False)
    EMAIL_TIMEOUT = 30
else:
    MAMORI_DELIVERY_EMAIL_BACKEND = "mamori.mail.OutboxEmailBackend"
DEFAULT_FROM_EMAIL = env("MAMORI_MAIL_FROM", "Mamori <mamori@localhost>")

# --- Background work ------------------------------------------------------------------------
TASKS = {"default": {"BACKEND": "django_tasks_db.DatabaseBackend"}}

# --- Language and time ----------------------------------------------------------------------
LANGUAGE_CODE = "ja"
LANGUAGES = [("ja", _("Japanese")), ("en", _("English"))]
LOCALE_PATHS = [BASE_DIR / "locale"]
USE_I18N = True
TIME_ZONE = "Asia/Tokyo"
USE_TZ = True

LOGGING = {
    "version": 1,
    "disable_existing_loggers": False,
    "handlers": {"console": {"class": "logging.StreamHandler"}},
    "root": {"handlers": ["console"], "level": env("MAMORI_LOG_LEVEL", "INFO")},
    "loggers": {"django.db.backends": {"level": "WARNING"}},
}

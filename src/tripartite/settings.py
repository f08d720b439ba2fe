"""One settings module, driven by the environment (see docs/subsystems/settings.md).

A fresh checkout needs no variable at all: data lives in ./var, SQLite is the
database, and a secret key is generated into the data dir on first run.
"""

from __future__ import annotations

import json
import os
import secrets
from pathlib import Path
from typing import Any

import dj_database_url

BASE_DIR = Path(__file__).resolve().parent


def _env_bool(name: str, default: bool = False) -> bool:
    value = os.environ.get(name)
    if value is None:
        return default
    return value.strip().lower() in {"1", "true", "yes", "on"}


DATA_DIR = Path(os.environ.get("TRIPARTITE_DATA_DIR", "var")).resolve()
DATA_DIR.mkdir(parents=True, exist_ok=True)


DEBUG = _env_bool("TRIPARTITE_DEBUG", False)


def _weak_secret(key: str) -> bool:
    """What Django's check --deploy calls insecure (security.W009): short, repetitive, or
    one of Django's throwaway development keys."""
    return len(key) < 50 or len(set(key)) < 5 or key.startswith("django-insecure-")


def _secret_key() -> str:
    """The key from TRIPARTITE_SECRET_KEY, else from the file TRIPARTITE_SECRET_KEY_FILE
    names (a secrets mount), else one generated once into the data dir (mode 0600).

    There is no built-in default key. With DEBUG off a weak key given by the operator is
    refused at start-up rather than merely warned about: it would let anyone forge
    sessions, password-reset and unsubscribe links."""
    key = os.environ.get("TRIPARTITE_SECRET_KEY", "")
    key_path = os.environ.get("TRIPARTITE_SECRET_KEY_FILE")
    if not key and key_path:
        key = Path(key_path).read_text().strip()
    if key:
        if not DEBUG and _weak_secret(key):
            from django.core.exceptions import ImproperlyConfigured

            raise ImproperlyConfigured(
                "TRIPARTITE_SECRET_KEY is too weak for production: use at least 50 random "
                "characters (python -c 'import secrets; print(secrets.token_urlsafe(50))'), "
                "or unset it to have one generated into the data directory."
            )
        return key
    key_file = DATA_DIR / "secret_key"
    if not key_file.exists():
        fd = os.open(key_file, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o600)
        with os.fdopen(fd, "w") as handle:
            handle.write(secrets.token_urlsafe(50))
    return key_file.read_text().strip()


SECRET_KEY = _secret_key()
ALLOWED_HOSTS = [
    host.strip()
    for host in os.environ.get("TRIPARTITE_ALLOWED_HOSTS", "127.0.0.1,localhost").split(",")
    if host.strip()
]
CSRF_TRUSTED_ORIGINS = [
    origin.strip()
    for origin in os.environ.get("TRIPARTITE_CSRF_TRUSTED_ORIGINS", "").split(",")
    if origin.strip()
]

INSTALLED_APPS = [
    "django.contrib.admin",
    "django.contrib.auth",
    "django.contrib.contenttypes",
    "django.contrib.sessions",
    "django.contrib.messages",
    "whitenoise.runserver_nostatic",
    "django.contrib.staticfiles",
    "ninja",  # serves the API docs' Swagger UI from our own static files, not a CDN
    "django_tasks",
    "django_tasks_db",
    "tripartite.core",
    "tripartite.ledger",
    "tripartite.web",
    "tripartite.forums",
    "tripartite.plans",
    "tripartite.oversight",
    "tripartite.documents",
    "tripartite.opendata",
    "tripartite.accounts",
    "tripartite.confidential",
    "tripartite.notifications",
    "tripartite.demo",
    # After our apps, so the templates of tripartite.accounts override allauth's.
    "allauth",
    "allauth.account",
    "allauth.mfa",
]

MIDDLEWARE = [
    # First: database and storage faults anywhere below become a 503 with Retry-After.
    "tripartite.core.unavailable.UnavailableMiddleware",
    "django.middleware.security.SecurityMiddleware",
    "whitenoise.middleware.WhiteNoiseMiddleware",
    "django.contrib.sessions.middleware.SessionMiddleware",
    "django.middleware.locale.LocaleMiddleware",
    "django.middleware.common.CommonMiddleware",
    "django.middleware.csrf.CsrfViewMiddleware",
    "django.contrib.auth.middleware.AuthenticationMiddleware",
    "django.contrib.messages.middleware.MessageMiddleware",
    "allauth.account.middleware.AccountMiddleware",
    "tripartite.accounts.middleware.SessionListMiddleware",
    "tripartite.accounts.middleware.StaffMFAMiddleware",
    "django.middleware.clickjacking.XFrameOptionsMiddleware",
    "csp.middleware.CSPMiddleware",
    # Last, so it sees the resolved page: 304s and stored pages (docs/subsystems/caching.md).
    "tripartite.core.page_cache.FreshnessMiddleware",
]

ROOT_URLCONF = "tripartite.urls"
WSGI_APPLICATION = "tripartite.wsgi.application"

TEMPLATES = [
    {
        "BACKEND": "django.template.backends.django.DjangoTemplates",
        "DIRS": [],
        "APP_DIRS": True,
        "OPTIONS": {
            "context_processors": [
                "django.template.context_processors.request",
                "django.template.context_processors.i18n",
                "django.contrib.auth.context_processors.auth",
                "django.contrib.messages.context_processors.messages",
            ],
        },
    },
]


def _database() -> dict[str, Any]:
    url = os.environ.get("DATABASE_URL") or f"sqlite:///{DATA_DIR / 'tripartite.sqlite3'}"
    config: dict[str, Any] = dict(
        dj_database_url.parse(url, conn_max_age=600, conn_health_checks=True)
    )
    if config["ENGINE"] == "django.db.backends.sqlite3":
        # WAL lets readers proceed during a write; IMMEDIATE takes the write lock at BEGIN
        # so two writers queue on busy_timeout instead of failing with "database is locked".
        config["OPTIONS"] = {
            "init_command": (
                "PRAGMA journal_mode=WAL; PRAGMA synchronous=NORMAL; "
                "PRAGMA foreign_keys=ON; PRAGMA busy_timeout=10000;"
            ),
            "transaction_mode": "IMMEDIATE",
        }
    return config


DATABASES = {"default": _database()}
# A streaming replica of the primary for public reads (docs/subsystems/replica.md): safe
# requests read from it, writes and everything outside a web request use the primary, and
# a client that just wrote reads from the primary for TRIPARTITE_REPLICA_PIN_SECONDS.
TRIPARTITE_REPLICA_PIN_SECONDS = int(os.environ.get("TRIPARTITE_REPLICA_PIN_SECONDS", "10"))
if os.environ.get("DATABASE_REPLICA_URL"):
    DATABASES["replica"] = {
        **dj_database_url.parse(
            os.environ["DATABASE_REPLICA_URL"], conn_max_age=600, conn_health_checks=True
        ),
        # A test run has no second server: the alias then reads the test primary.
        "TEST": {"MIRROR": "default"},
    }
    DATABASE_ROUTERS = ["tripartite.core.routers.ReplicaRouter"]
    # Last, inside sessions and authentication, which thus always read the primary.
    MIDDLEWARE = [*MIDDLEWARE, "tripartite.core.routers.ReplicaReadsMiddleware"]


def _cache(url: str) -> dict[str, Any]:
    """The default cache from TRIPARTITE_CACHE_URL (docs/deployment.md): memory of this
    process when unset (one machine), else one cache all app servers share, so that rate
    limits count across them: redis://host:6379/0 (or rediss://; needs the redis
    package) or db://table (a table in the database; `tripartite manage createcachetable`)."""
    scheme, _sep, rest = url.partition("://")
    if not url or scheme == "locmem":
        return {"BACKEND": "django.core.cache.backends.locmem.LocMemCache"}
    if scheme in {"redis", "rediss"}:
        return {"BACKEND": "django.core.cache.backends.redis.RedisCache", "LOCATION": url}
    if scheme == "db" and rest:
        return {"BACKEND": "django.core.cache.backends.db.DatabaseCache", "LOCATION": rest}
    from django.core.exceptions import ImproperlyConfigured

    raise ImproperlyConfigured(
        f"TRIPARTITE_CACHE_URL must be redis://…, rediss://…, db://table or locmem://, not {url!r}"
    )


CACHES = {
    "default": {
        **_cache(os.environ.get("TRIPARTITE_CACHE_URL", "").strip()),
        "KEY_PREFIX": os.environ.get("TRIPARTITE_CACHE_PREFIX", "tripartite"),
    }
}
DEFAULT_AUTO_FIELD = "django.db.models.BigAutoField"

AUTH_PASSWORD_VALIDATORS = [
    {"NAME": "django.contrib.auth.password_validation.UserAttributeSimilarityValidator"},
    {"NAME": "django.contrib.auth.password_validation.MinimumLengthValidator"},
    {"NAME": "django.contrib.auth.password_validation.CommonPasswordValidator"},
    {"NAME": "django.contrib.auth.password_validation.NumericPasswordValidator"},
]
LOGIN_URL = "account_login"
LOGIN_REDIRECT_URL = "home"
LOGOUT_REDIRECT_URL = "home"

LANGUAGE_CODE = "en"
LANGUAGES = [("en", "English"), ("es", "Español"), ("fr", "Français")]
LOCALE_PATHS = [BASE_DIR / "locale"]
TIME_ZONE = "UTC"
USE_I18N = True
USE_TZ = True

STATIC_URL = "/static/"
STATIC_ROOT = DATA_DIR / "static"
STATIC_ROOT.mkdir(exist_ok=True)
STORAGES = {
    "default": {"BACKEND": "django.core.files.storage.FileSystemStorage"},
    "staticfiles": {
        "BACKEND": (
            "django.contrib.staticfiles.storage.StaticFilesStorage"
            if DEBUG
            else "whitenoise.storage.CompressedManifestStaticFilesStorage"
        )
    },
}
WHITENOISE_USE_FINDERS = True
WHITENOISE_AUTOREFRESH = DEBUG
MEDIA_ROOT = DATA_DIR / "media"

TASKS = {"default": {"BACKEND": "django_tasks_db.DatabaseBackend"}}

# Outgoing mail: SMTP as soon as TRIPARTITE_EMAIL_HOST is set (production), else files in
# DATA_DIR/mail (the demo). TRIPARTITE_EMAIL_BACKEND overrides either.
EMAIL_HOST = os.environ.get("TRIPARTITE_EMAIL_HOST", "")
EMAIL_BACKEND = os.environ.get("TRIPARTITE_EMAIL_BACKEND") or (
    "django.core.mail.backends.smtp.EmailBackend"
    if EMAIL_HOST
    else "django.core.mail.backends.filebased.EmailBackend"
)
EMAIL_FILE_PATH = DATA_DIR / "mail"
EMAIL_PORT = int(os.environ.get("TRIPARTITE_EMAIL_PORT", "587"))
EMAIL_HOST_USER = os.environ.get("TRIPARTITE_EMAIL_USER", "")
EMAIL_HOST_PASSWORD = os.environ.get("TRIPARTITE_EMAIL_PASSWORD", "")
EMAIL_USE_SSL = _env_bool("TRIPARTITE_EMAIL_USE_SSL", False)
EMAIL_USE_TLS = _env_bool("TRIPARTITE_EMAIL_USE_TLS", not EMAIL_USE_SSL and EMAIL_PORT == 587)
EMAIL_TIMEOUT = 30
DEFAULT_FROM_EMAIL = os.environ.get("TRIPARTITE_FROM_EMAIL", "tripartite@localhost")
SERVER_EMAIL = DEFAULT_FROM_EMAIL

# No page loads anything from another host: everything is 'self'.
CONTENT_SECURITY_POLICY = {
    "DIRECTIVES": {
        "default-src": ["'self'"],
        "script-src": ["'self'"],
        "style-src": ["'self'"],
        "img-src": ["'self'", "data:"],
        "form-action": ["'self'"],
        "frame-ancestors": ["'none'"],
        "base-uri": ["'none'"],
        "object-src": ["'none'"],
    }
}
SECURE_CONTENT_TYPE_NOSNIFF = True
SECURE_REFERRER_POLICY = "same-origin"
SECURE_CROSS_ORIGIN_OPENER_POLICY = "same-origin"
X_FRAME_OPTIONS = "DENY"
# Cookies: HttpOnly, SameSite=Lax, and Secure in production (DEBUG off) unless
# TRIPARTITE_SECURE_COOKIES=0 (plain-HTTP set-ups only; the demo runs with DEBUG on).
SESSION_COOKIE_HTTPONLY = True
SESSION_COOKIE_SAMESITE = "Lax"
SESSION_COOKIE_SECURE = _env_bool("TRIPARTITE_SECURE_COOKIES", not DEBUG)
CSRF_COOKIE_HTTPONLY = True
CSRF_COOKIE_SAMESITE = "Lax"
CSRF_COOKIE_SECURE = SESSION_COOKIE_SECURE
LANGUAGE_COOKIE_SAMESITE = "Lax"
LANGUAGE_COOKIE_HTTPONLY = True
# HTTPS only in production (DEBUG off): plain-HTTP requests are redirected to HTTPS, and
# browsers are told by HSTS to use nothing else. A set-up that really serves plain HTTP
# (the benchmark, a server on loopback) sets TRIPARTITE_SSL_REDIRECT=0 together with
# TRIPARTITE_SECURE_COOKIES=0; the test suite turns the redirect off in conftest.py.
# SECURE_REDIRECT_EXEMPT stays empty: no page is served over HTTP.
SECURE_SSL_REDIRECT = _env_bool("TRIPARTITE_SSL_REDIRECT", not DEBUG)
# Behind a TLS-terminating reverse proxy Django sees plain HTTP; the proxy must set
# X-Forwarded-Proto (and strip any the client sent), and TRIPARTITE_PROXY_SSL_HEADER names
# it: "X-Forwarded-Proto" (meaning "X-Forwarded-Proto: https"), or "Header-Name: value".
# Without it, every request through such a proxy would be redirected again and again.
_proxy_header = os.environ.get("TRIPARTITE_PROXY_SSL_HEADER", "").strip()
if _proxy_header:
    _name, _, _value = _proxy_header.partition(":")
    _meta_name = _name.strip().upper().replace("-", "_")
    SECURE_PROXY_SSL_HEADER = (
        _meta_name if _meta_name.startswith("HTTP_") else f"HTTP_{_meta_name}",
        _value.strip() or "https",
    )
# HSTS is sent only on HTTPS responses. One year in production, off under DEBUG.
SECURE_HSTS_SECONDS = int(
    os.environ.get("TRIPARTITE_HSTS_SECONDS", "0" if DEBUG else str(365 * 24 * 3600))
)
SECURE_HSTS_INCLUDE_SUBDOMAINS = _env_bool("TRIPARTITE_HSTS_INCLUDE_SUBDOMAINS", True)
SECURE_HSTS_PRELOAD = _env_bool("TRIPARTITE_HSTS_PRELOAD", False)
# Preloading puts the domain into the browsers' built-in HTTPS-only list, which is slow to
# undo; only the domain's owner can decide that (TRIPARTITE_HSTS_PRELOAD=1), so its
# reminder (security.W021) alone is silenced while preload is off. Nothing else is.
SILENCED_SYSTEM_CHECKS = [] if SECURE_HSTS_PRELOAD else ["security.W021"]

LOGGING = {
    "version": 1,
    "disable_existing_loggers": False,
    "handlers": {"console": {"class": "logging.StreamHandler"}},
    "root": {"handlers": ["console"], "level": os.environ.get("TRIPARTITE_LOG_LEVEL", "WARNING")},
}

# Lists are paginated; the API never returns more than this many items per page.
TRIPARTITE_PAGE_SIZE = 50
NINJA_PAGINATION_PER_PAGE = TRIPARTITE_PAGE_SIZE
NINJA_PAGINATION_MAX_LIMIT = TRIPARTITE_PAGE_SIZE


# ---------------------------------------------------------------- transparency log (ledger)
# See docs/subsystems/ledger.md. The log's Ed25519 key is generated into DATA_DIR/log_key
# (mode 0600) on first use; its name is the origin, which identifies the log to witnesses.
TRIPARTITE_LOG_ORIGIN = os.environ.get("TRIPARTITE_LOG_ORIGIN", "localhost/tripartite")

# The public address links in e-mails point to (notifications); the demo's by default.
TRIPARTITE_SITE_URL = os.environ.get("TRIPARTITE_SITE_URL", "http://127.0.0.1:8000")
# The hour (0-23, in TIME_ZONE) at which `tripartite worker` sends the daily digest.
TRIPARTITE_DIGEST_HOUR = int(os.environ.get("TRIPARTITE_DIGEST_HOUR", "6"))
# Elsewhere than DATA_DIR/log_key (e.g. a secrets mount): TRIPARTITE_LOG_KEY_FILE.
TRIPARTITE_LOG_KEY_FILE = os.environ.get("TRIPARTITE_LOG_KEY_FILE") or None
# Verifier keys of earlier log keys (after a rotation), separated by spaces or newlines.
TRIPARTITE_LOG_RETIRED_VKEYS = os.environ.get("TRIPARTITE_LOG_RETIRED_VKEYS", "").split()
# The checkpointer signs a new checkpoint at most this often, and only after writes (seconds).
TRIPARTITE_LOG_CHECKPOINT_INTERVAL = float(
    os.environ.get("TRIPARTITE_LOG_CHECKPOINT_INTERVAL", "5")
)
# Witnesses asked to cosign each checkpoint (C2SP tlog-witness): a JSON list of objects
# {"name": ..., "sector": ..., "url": <submission prefix>, "vkey": <cosigner verifier key>}.
try:
    TRIPARTITE_LOG_WITNESSES: list[dict[str, str]] = json.loads(
        os.environ.get("TRIPARTITE_LOG_WITNESSES") or "[]"
    )
except ValueError as _error:
    raise ValueError(f"TRIPARTITE_LOG_WITNESSES is not a JSON list: {_error}") from _error
TRIPARTITE_LOG_WITNESS_TIMEOUT = float(os.environ.get("TRIPARTITE_LOG_WITNESS_TIMEOUT", "5"))
# When the latest checkpoint misses its quorum, ask the witnesses again after this long.
TRIPARTITE_LOG_WITNESS_RETRY = float(os.environ.get("TRIPARTITE_LOG_WITNESS_RETRY", "300"))
# The forum's witness policy (c2sp.org/tlog-policy) as a file; by default one witness of
# every sector that has a configured witness must cosign.
TRIPARTITE_LOG_POLICY_FILE = os.environ.get("TRIPARTITE_LOG_POLICY_FILE") or None


# ---------------------------------------------------------------- documents (uploads, search)
# See docs/subsystems/documents.md. Files live once under their SHA-256 in the blob dir.
TRIPARTITE_BLOB_DIR = Path(os.environ.get("TRIPARTITE_BLOB_DIR") or DATA_DIR / "blobs")
TRIPARTITE_UPLOAD_MAX_BYTES = int(os.environ.get("TRIPARTITE_UPLOAD_MAX_BYTES", 25 * 1024 * 1024))
TRIPARTITE_UPLOAD_MAX_PAGES = int(os.environ.get("TRIPARTITE_UPLOAD_MAX_PAGES", "2000"))
# A DOCX or ODT is a ZIP: the most it may expand to, and the highest ratio of one large part.
TRIPARTITE_UPLOAD_MAX_EXPANDED_BYTES = int(
    os.environ.get("TRIPARTITE_UPLOAD_MAX_EXPANDED_BYTES", 100 * 1024 * 1024)
)
TRIPARTITE_UPLOAD_MAX_RATIO = int(os.environ.get("TRIPARTITE_UPLOAD_MAX_RATIO", "100"))
TRIPARTITE_EXTRACTION_SECONDS = float(os.environ.get("TRIPARTITE_EXTRACTION_SECONDS", "60"))
TRIPARTITE_EXTRACTION_MAX_CHARS = int(os.environ.get("TRIPARTITE_EXTRACTION_MAX_CHARS", "2000000"))
# Django keeps uploads above this size in a temporary file rather than in memory.
FILE_UPLOAD_MAX_MEMORY_SIZE = 2 * 1024 * 1024


# ---------------------------------------------------------------- accounts (django-allauth)
# See docs/subsystems/accounts.md. Sessions live in the database (the session list reads
# them); the session list stores only when a session began and was last seen.
SESSION_ENGINE = "django.contrib.sessions.backends.db"
AUTHENTICATION_BACKENDS = [
    "django.contrib.auth.backends.ModelBackend",
    "allauth.account.auth_backends.AuthenticationBackend",
]
# Argon2id first; the others stay so that older hashes still verify and get upgraded.
PASSWORD_HASHERS = [
    "django.contrib.auth.hashers.Argon2PasswordHasher",
    "django.contrib.auth.hashers.PBKDF2PasswordHasher",
    "django.contrib.auth.hashers.PBKDF2SHA1PasswordHasher",
    "django.contrib.auth.hashers.BCryptSHA256PasswordHasher",
    "django.contrib.auth.hashers.ScryptPasswordHasher",
]
ACCOUNT_ADAPTER = "tripartite.accounts.adapter.AccountAdapter"
MFA_ADAPTER = "tripartite.accounts.adapter.MFAAdapter"
ACCOUNT_FORMS = {"login": "tripartite.accounts.forms.LoginForm"}
ACCOUNT_LOGIN_METHODS = {"username", "email"}
ACCOUNT_SIGNUP_FIELDS = ["email*", "username*", "password1*", "password2*"]
ACCOUNT_EMAIL_VERIFICATION = "mandatory"
ACCOUNT_UNIQUE_EMAIL = True
ACCOUNT_CONFIRM_EMAIL_ON_GET = False  # a link preview must not confirm an address
ACCOUNT_LOGIN_ON_EMAIL_CONFIRMATION = False
ACCOUNT_LOGOUT_ON_GET = False
ACCOUNT_LOGOUT_ON_PASSWORD_CHANGE = False
ACCOUNT_LOGIN_ON_PASSWORD_RESET = False
ACCOUNT_SESSION_REMEMBER = None  # the "remember me" box decides
ACCOUNT_EMAIL_SUBJECT_PREFIX = "[Tripartite] "
ACCOUNT_DEFAULT_HTTP_PROTOCOL = "http" if DEBUG else "https"
ACCOUNT_PREVENT_ENUMERATION = True
ACCOUNT_REAUTHENTICATION_TIMEOUT = 300
# allauth's rate limits (counted in the cache only, for short windows): sign-in attempts
# per address and per account, sign-up, password reset, e-mail confirmation.
# Behind a reverse proxy the client's address comes from X-Forwarded-For (this many proxies
# of ours append to it) or from a header the proxy sets; used by allauth's limits and ours.
ALLAUTH_TRUSTED_PROXY_COUNT = int(os.environ.get("TRIPARTITE_TRUSTED_PROXY_COUNT", "0"))
ALLAUTH_TRUSTED_CLIENT_IP_HEADER = os.environ.get("TRIPARTITE_CLIENT_IP_HEADER") or None
ACCOUNT_RATE_LIMITS = {
    "login": "30/m/ip",
    "login_failed": "10/m/ip,5/300s/key",
    "signup": "20/m/ip",
    "reset_password": "20/m/ip,5/m/key",
    "reset_password_from_key": "20/m/ip",
    "change_password": "5/m/user",
    "manage_email": "10/m/user",
    "reauthenticate": "10/m/user",
    "confirm_email": "1/180s/key",
}
MFA_SUPPORTED_TYPES = ["totp", "recovery_codes"]
MFA_TOTP_ISSUER = os.environ.get("TRIPARTITE_MFA_ISSUER", "Tripartite")
MFA_TOTP_TOLERANCE = 1  # the code before and after the current one, for clock drift
# How long an invitation link to set a password stays valid (seconds).
PASSWORD_RESET_TIMEOUT = int(os.environ.get("TRIPARTITE_INVITATION_SECONDS", 3 * 24 * 3600))


# ---------------------------------------------------------------- rate limits of public forms
# See core/ratelimit.py: "<count>/<period>" (s, m, h, d; "5/300s") per client, counted by
# account when signed in, else by a salted hash of the address, in the cache only, for the
# window's length. An empty value switches a scope's limit off; TRIPARTITE_RATE_LIMITS_ENABLED=0
# switches them all off (the test suite does; its rate-limit tests switch them back on).
TRIPARTITE_RATE_LIMITS_ENABLED = _env_bool("TRIPARTITE_RATE_LIMITS_ENABLED", True)
TRIPARTITE_RATE_LIMITS = {
    # co-creation input: the form and POST /api/v1/plans/{key}/inputs together
    "input": os.environ.get("TRIPARTITE_RATE_LIMIT_INPUT", "10/h"),
    # staff document uploads: new documents, new files, redacted copies
    "upload": os.environ.get("TRIPARTITE_RATE_LIMIT_UPLOAD", "30/h"),
    # sealed submissions to the Steering Committee
    "sealed": os.environ.get("TRIPARTITE_RATE_LIMIT_SEALED", "5/h"),
    # "Delete my account" asks for the password: attempts per account
    "account_delete": os.environ.get("TRIPARTITE_RATE_LIMIT_ACCOUNT_DELETE", "10/h"),
}

"""Django settings. Everything an operator sets comes from the environment.

DATABASE_URL chooses the database (default: an SQLite file under LSOPLAN_HOME, which defaults to
~/.local/share/lsoplan). SECRET_KEY must be set in production; for the demo and tests a key is
generated once and kept under LSOPLAN_HOME so sessions survive restarts.
"""

from __future__ import annotations

import os
import secrets
from pathlib import Path

import dj_database_url

BASE_DIR = Path(__file__).resolve().parent


def _home() -> Path:
    home = Path(os.environ.get("LSOPLAN_HOME", Path.home() / ".local" / "share" / "lsoplan"))
    # Said here in one line: otherwise the first mkdir below fails with an OSError naming a sub-folder.
    if home.exists() and not home.is_dir():
        from django.core.exceptions import ImproperlyConfigured

        raise ImproperlyConfigured(f"LSOPLAN_HOME ({home}) är en fil; ange en katalog")
    return home


HOME = _home()


def _env_bool(name: str, default: bool) -> bool:
    value = os.environ.get(name)
    if value is None:
        return default
    return value.strip().lower() in {"1", "true", "yes", "ja", "on"}


# LSOPLAN_ENV=production: HTTPS-only cookies, HSTS, SSL redirect, hashed static files, and a
# SECRET_KEY that must come from the environment (several servers must share one key).
PRODUCTION = os.environ.get("LSOPLAN_ENV", "development").strip().lower() == "production"


def _env_int(name: str, default: int) -> int:
    value = os.environ.get(name)
    if value is None:
        return default
    try:
        return int(value)
    except ValueError:
        from django.core.exceptions import ImproperlyConfigured

        raise ImproperlyConfigured(f"{name} ska vara ett heltal, inte '{value}'") from None


def _env_list(name: str, default: str = "") -> list[str]:
    return [item.strip() for item in os.environ.get(name, default).split(",") if item.strip()]


def _secret_key() -> str:
    if key := os.environ.get("SECRET_KEY"):
        return key
    if PRODUCTION:
        from django.core.exceptions import ImproperlyConfigured

        raise ImproperlyConfigured("SECRET_KEY måste sättas i miljön när LSOPLAN_ENV=production.")
    HOME.mkdir(parents=True, exist_ok=True)
    path = HOME / "secret_key"
    if not path.exists():
        path.write_text(secrets.token_urlsafe(50))
        path.chmod(0o600)
    return path.read_text().strip()


SECRET_KEY = _secret_key()
DEBUG = _env_bool("LSOPLAN_DEBUG", False)
ALLOWED_HOSTS = [h.strip() for h in os.environ.get("ALLOWED_HOSTS", "127.0.0.1,localhost").split(",") if h]

INSTALLED_APPS = [
    "django.contrib.auth",
    "django.contrib.contenttypes",
    "django.contrib.sessions",
    "django.contrib.messages",
    "django.contrib.staticfiles",
    "django.contrib.humanize",
    "django_tasks",
    "django_tasks_db",
    "lsoplan.accounts",
    "lsoplan.audit",
    "lsoplan.programmes",
    "lsoplan.conditions",
    "lsoplan.goals",
    "lsoplan.followup",
    "lsoplan.incidents",
    "lsoplan.areas",
    "lsoplan.evaluation",
    "lsoplan.checks",
    "lsoplan.reports",
    "lsoplan.publicdata",
    "lsoplan.consultation",
    "lsoplan.public",
    "lsoplan.ops",
    "lsoplan.api",
    # Last: its post_migrate syncs reference data once every other table exists.
    "lsoplan.web",
]

MIDDLEWARE = [
    "django.middleware.security.SecurityMiddleware",
    # /api/ only: size limits, JSON errors for every failure, ETags (lsoplan.api.middleware).
    "lsoplan.api.middleware.ApiMiddleware",
    "whitenoise.middleware.WhiteNoiseMiddleware",
    "django.contrib.sessions.middleware.SessionMiddleware",
    "django.middleware.common.CommonMiddleware",
    "django.middleware.csrf.CsrfViewMiddleware",
    "django.contrib.auth.middleware.AuthenticationMiddleware",
    # The data versions read once per request (cache keys of computed results).
    "lsoplan.audit.dataversion.DataVersionMiddleware",
    "django.contrib.messages.middleware.MessageMiddleware",
    # After messages: a refused login is answered with a message on the login page.
    "lsoplan.ops.throttle.LoginThrottleMiddleware",
    "django.middleware.clickjacking.XFrameOptionsMiddleware",
    "csp.middleware.CSPMiddleware",
    "lsoplan.web.security.SecurityHeadersMiddleware",
]

ROOT_URLCONF = "lsoplan.urls"
CSRF_FAILURE_VIEW = "lsoplan.web.views.csrf_failure"  # Swedish, in the site layout
WSGI_APPLICATION = "lsoplan.wsgi.application"

TEMPLATES = [
    {
        "BACKEND": "django.template.backends.django.DjangoTemplates",
        "DIRS": [],
        "APP_DIRS": True,
        "OPTIONS": {
            "context_processors": [
                "django.template.context_processors.request",
                "django.contrib.auth.context_processors.auth",
                "django.contrib.messages.context_processors.messages",
                "lsoplan.web.context.site",
            ],
        },
    },
]

# Fields and widgets through Jinja2: Django's own form templates in its Jinja2 form renderer give the
# same markup (blank lines aside) for a fraction of the processor time of a template per field.
FORM_RENDERER = "django.forms.renderers.Jinja2"

DATABASES = {
    "default": dj_database_url.parse(
        os.environ.get("DATABASE_URL", f"sqlite:///{HOME / 'lsoplan.sqlite3'}"),
        conn_max_age=_env_int("CONN_MAX_AGE", 0),
    )
}
DEFAULT_AUTO_FIELD = "django.db.models.BigAutoField"

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
LOGIN_URL = "login"
LOGIN_REDIRECT_URL = "home"
LOGOUT_REDIRECT_URL = "login"

LANGUAGE_CODE = "sv"
LANGUAGES = [("sv", "Svenska"), ("en", "English")]
TIME_ZONE = "Europe/Stockholm"
USE_I18N = True
USE_TZ = True
# Off: years must print as "2026"; figures are formatted by the sv_number filter instead.
USE_THOUSAND_SEPARATOR = False

STATIC_URL = "/static/"
STATIC_ROOT = Path(os.environ.get("LSOPLAN_STATIC_ROOT", HOME / "static"))
# WhiteNoise warns about a missing root even when it serves from the app folders.
STATIC_ROOT.mkdir(parents=True, exist_ok=True)
STORAGES = {
    "default": {"BACKEND": "django.core.files.storage.FileSystemStorage"},
    "staticfiles": {
        # Production: hashed, compressed copies made by collectstatic (`lsoplan serve` runs it),
        # so browsers may cache them for a year.
        "BACKEND": "lsoplan.ops.storage.StaticStorage"
        if PRODUCTION
        else "django.contrib.staticfiles.storage.StaticFilesStorage"
    },
}
# The demo and tests serve straight from the app folders; production runs collectstatic.
WHITENOISE_USE_FINDERS = not PRODUCTION
WHITENOISE_AUTOREFRESH = DEBUG
# Uploaded files (incident files, attachments); `lsoplan backup` includes them.
MEDIA_ROOT = Path(os.environ.get("LSOPLAN_UPLOADS", HOME / "uploads"))
# Rendered documents and chart images kept by content (reports.cache); derived, never backed up.
LSOPLAN_CACHE_DIR = Path(os.environ.get("LSOPLAN_CACHE_DIR", HOME / "cache"))


def _caches(url: str) -> dict[str, dict[str, object]]:
    """LSOPLAN_CACHE_URL: where computed page results (verdicts, checks, counts) are kept.

    ``locmem:`` (default) each process its own memory; ``file:`` or ``file:///path`` a folder
    (default LSOPLAN_HOME/cache/pages); ``db:`` or ``db:TABLE`` the database (table made by
    ``lsoplan migrate``), shared by every worker and server; ``redis://…`` Redis (needs the
    ``redis`` package). Any choice is correct: keys carry the data version (audit.dataversion).
    """
    scheme, _, rest = url.strip().partition(":")
    scheme = scheme.lower()
    backends = "django.core.cache.backends."
    if scheme in {"", "locmem"}:
        cache = {"BACKEND": backends + "locmem.LocMemCache", "LOCATION": "lsoplan"}
        return {"default": cache | {"OPTIONS": {"MAX_ENTRIES": 20000}}}
    if scheme == "file":
        folder = rest.removeprefix("//") or str(LSOPLAN_CACHE_DIR / "pages")
        cache = {"BACKEND": backends + "filebased.FileBasedCache", "LOCATION": folder}
        return {"default": cache | {"OPTIONS": {"MAX_ENTRIES": 20000}}}
    if scheme == "db":
        cache = {"BACKEND": backends + "db.DatabaseCache", "LOCATION": rest or "lsoplan_cache"}
        return {"default": cache | {"OPTIONS": {"MAX_ENTRIES": 50000}}}
    if scheme in {"redis", "rediss"}:
        return {"default": {"BACKEND": backends + "redis.RedisCache", "LOCATION": url.strip()}}
    from django.core.exceptions import ImproperlyConfigured

    raise ImproperlyConfigured(
        f"LSOPLAN_CACHE_URL ska börja med locmem:, file:, db: eller redis://, inte '{url}'"
    )


CACHES = _caches(os.environ.get("LSOPLAN_CACHE_URL", "locmem:"))
# Off (LSOPLAN_PAGE_CACHE=0): every page computes everything, as before issue 19 (for measuring).
LSOPLAN_PAGE_CACHE = _env_bool("LSOPLAN_PAGE_CACHE", True)

# Jobs (documents built at adoption, imports through the API, fetches) go through Django's tasks API
# with the database as the queue, so SQLite and PostgreSQL need nothing else; `lsoplan worker` runs
# them. LSOPLAN_TASKS=immediate runs each job inside the call that enqueues it (tests, one-off scripts).
TASKS = {
    "default": (
        {"BACKEND": "django_tasks.backends.immediate.ImmediateBackend"}
        if os.environ.get("LSOPLAN_TASKS", "database").strip().lower() == "immediate"
        else {"BACKEND": "django_tasks_db.DatabaseBackend", "QUEUES": ["default"]}
    )
}

SESSION_COOKIE_HTTPONLY = True
SESSION_COOKIE_SAMESITE = "Lax"
CSRF_COOKIE_SAMESITE = "Lax"
X_FRAME_OPTIONS = "DENY"
SECURE_CONTENT_TYPE_NOSNIFF = True
SECURE_REFERRER_POLICY = "same-origin"

# --- Production and security (see docs/operator-guide.md) ----------------------------------------
CSRF_TRUSTED_ORIGINS = _env_list("CSRF_TRUSTED_ORIGINS")
# A working day; a shared computer in a fire station must not stay logged in for weeks.
SESSION_COOKIE_AGE = _env_int("LSOPLAN_SESSION_SECONDS", 8 * 3600)
SESSION_EXPIRE_AT_BROWSER_CLOSE = _env_bool("LSOPLAN_SESSION_BROWSER_CLOSE", True)
# Templates pass the token to htmx in a header, so no script needs to read the cookie.
CSRF_COOKIE_HTTPONLY = True
SESSION_COOKIE_SECURE = CSRF_COOKIE_SECURE = _env_bool("LSOPLAN_SECURE_COOKIES", PRODUCTION)
SECURE_SSL_REDIRECT = _env_bool("LSOPLAN_SSL_REDIRECT", PRODUCTION)
SECURE_HSTS_SECONDS = _env_int("LSOPLAN_HSTS_SECONDS", 31536000 if PRODUCTION else 0)
SECURE_HSTS_INCLUDE_SUBDOMAINS = _env_bool("LSOPLAN_HSTS_INCLUDE_SUBDOMAINS", PRODUCTION)
SECURE_HSTS_PRELOAD = _env_bool("LSOPLAN_HSTS_PRELOAD", PRODUCTION)
SECURE_CROSS_ORIGIN_OPENER_POLICY = "same-origin"
# Only behind a proxy that terminates TLS and overwrites X-Forwarded-Proto; otherwise a client
# could claim HTTPS itself.
if _env_bool("LSOPLAN_PROXY_SSL_HEADER", False):
    SECURE_PROXY_SSL_HEADER = ("HTTP_X_FORWARDED_PROTO", "https")

# Only same-origin files: htmx, vega and charts.js are vendored, and no template has inline script
# or style. The one hash is the indicator style htmx 2.0.11 inserts itself (htmx.config
# includeIndicatorStyles). A browser test (tests/security) reports any violation.
_CSP = {
    "DIRECTIVES": {
        "default-src": ["'self'"],
        "script-src": ["'self'"],
        "style-src": ["'self'", "'sha256-faU7yAF8NxuMTNEwVmBz+VcYeIoBQ2EMHW3WaVxCvnk='"],
        "img-src": ["'self'", "data:"],
        "font-src": ["'self'"],
        "connect-src": ["'self'"],
        "object-src": ["'none'"],
        "base-uri": ["'none'"],
        "frame-ancestors": ["'none'"],
        "form-action": ["'self'"],
    }
}
# Vega compiles chart expressions with Function() unless its CSP-safe interpreter is vendored and
# charts.js asks for it (ast: true); until then charts need 'unsafe-eval'.
if not (BASE_DIR / "web" / "static" / "vendor" / "vega-interpreter.min.js").exists():
    _CSP["DIRECTIVES"]["script-src"].append("'unsafe-eval'")
# Enforced everywhere, so the demo and the tests behave as production does; LSOPLAN_CSP_ENFORCE=0
# only reports violations (for trying out a change to the policy on a running server).
LSOPLAN_CSP_ENFORCE = _env_bool("LSOPLAN_CSP_ENFORCE", True)
if LSOPLAN_CSP_ENFORCE:
    CONTENT_SECURITY_POLICY = _CSP
else:
    CONTENT_SECURITY_POLICY_REPORT_ONLY = _CSP

# Failed logins per user name and address within the window, then a pause (lsoplan.ops.throttle).
LSOPLAN_LOGIN_MAX_FAILURES = int(os.environ.get("LSOPLAN_LOGIN_MAX_FAILURES", "5"))
LSOPLAN_LOGIN_MAX_FAILURES_PER_ADDRESS = int(os.environ.get("LSOPLAN_LOGIN_MAX_FAILURES_PER_ADDRESS", "30"))
LSOPLAN_LOGIN_WINDOW_SECONDS = int(os.environ.get("LSOPLAN_LOGIN_WINDOW_SECONDS", "900"))
# Citizens' views on the public pages: at most this many per address and window (public app).
LSOPLAN_PUBLIC_VIEWS_PER_ADDRESS = int(os.environ.get("LSOPLAN_PUBLIC_VIEWS_PER_ADDRESS", "5"))
LSOPLAN_PUBLIC_VIEWS_WINDOW_SECONDS = int(os.environ.get("LSOPLAN_PUBLIC_VIEWS_WINDOW_SECONDS", "3600"))
# How many proxies in front append to X-Forwarded-For (0: use the peer address).
LSOPLAN_PROXY_COUNT = int(os.environ.get("LSOPLAN_PROXY_COUNT", "0"))

# Single sign-on with OpenID Connect (e.g. Microsoft Entra ID), on when a client id is set.
LSOPLAN_OIDC_ENABLED = bool(os.environ.get("LSOPLAN_OIDC_CLIENT_ID"))
# Password logins look the account up by its canonical name (NFKC, case-folded: lib.usernames).
AUTHENTICATION_BACKENDS = ["lsoplan.accounts.backends.CanonicalNameBackend"]
if LSOPLAN_OIDC_ENABLED:
    from lsoplan.ops.oidc_settings import oidc_settings

    globals().update(oidc_settings(os.environ))
    AUTHENTICATION_BACKENDS.append("lsoplan.ops.oidc.OIDCBackend")

# Authority names change (MSB became MCF on 2026-01-01, SFS 2025:1077); keep them configurable.
LSOPLAN_AUTHORITY_NAME = os.environ.get("LSOPLAN_AUTHORITY_NAME", "Myndigheten för civilt försvar (MCF)")
LSOPLAN_UPLOAD_MAX_BYTES = _env_int("LSOPLAN_UPLOAD_MAX_BYTES", 50 * 1024 * 1024)
# The HTTP API: calls per token per window (counted in the cache), and the largest JSON body.
LSOPLAN_API_RATE = _env_int("LSOPLAN_API_RATE", 120)
LSOPLAN_API_RATE_SECONDS = _env_int("LSOPLAN_API_RATE_SECONDS", 60)
LSOPLAN_API_MAX_BODY_BYTES = _env_int("LSOPLAN_API_MAX_BODY_BYTES", 1024 * 1024)

# Remiss without accounts (consultation app): a party's link works until the remiss end date plus
# this many days; attachments are limited; pages without login are throttled per address.
LSOPLAN_REMISS_GRACE_DAYS = _env_int("LSOPLAN_REMISS_GRACE_DAYS", 14)
LSOPLAN_REMISS_ATTACHMENT_MAX_BYTES = _env_int("LSOPLAN_REMISS_ATTACHMENT_MAX_BYTES", 10 * 1024 * 1024)
LSOPLAN_REMISS_VIEWS_PER_WINDOW = _env_int("LSOPLAN_REMISS_VIEWS_PER_WINDOW", 120)
LSOPLAN_REMISS_POSTS_PER_WINDOW = _env_int("LSOPLAN_REMISS_POSTS_PER_WINDOW", 10)
LSOPLAN_REMISS_WINDOW_SECONDS = _env_int("LSOPLAN_REMISS_WINDOW_SECONDS", 600)
# E-mail (remiss links) only when the operator names a mail server; otherwise planners copy links.
EMAIL_HOST = os.environ.get("LSOPLAN_EMAIL_HOST", "")
EMAIL_PORT = _env_int("LSOPLAN_EMAIL_PORT", 587)
EMAIL_HOST_USER = os.environ.get("LSOPLAN_EMAIL_USER", "")
EMAIL_HOST_PASSWORD = os.environ.get("LSOPLAN_EMAIL_PASSWORD", "")
EMAIL_USE_TLS = _env_bool("LSOPLAN_EMAIL_TLS", True)
DEFAULT_FROM_EMAIL = os.environ.get("LSOPLAN_EMAIL_FROM", "lsoplan@localhost")

LOGGING = {
    "version": 1,
    "disable_existing_loggers": False,
    "handlers": {"console": {"class": "logging.StreamHandler"}},
    "root": {"handlers": ["console"], "level": os.environ.get("LSOPLAN_LOG_LEVEL", "WARNING")},
}

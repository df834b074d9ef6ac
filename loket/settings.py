"""Loket settings: one module, configured from the environment.

Environment variables:
    LOKET_DATA_DIR     folder for the SQLite file, the generated secret key and uploads
                       (default: ./data next to the project, created on first run)
    DATABASE_URL       e.g. postgres://user@127.0.0.1:5432/loket (default: SQLite in the data folder)
    LOKET_SECRET_KEY   secret key; when unset one is generated once and kept in the data folder
    LOKET_DEBUG        "1"/"true" turns debug on (off unless asked)
    LOKET_ALLOWED_HOSTS  comma-separated host names (default: localhost,127.0.0.1,[::1])
    LOKET_DEFAULT_OFFICE slug of the office the public pages show at "/" (default: the first office)
    LOKET_INSECURE_COOKIES "1" lets cookies travel over plain HTTP (local trial only); also turns
                       off HSTS and the HTTPS redirect
    LOKET_BEHIND_PROXY "1" when a reverse proxy (nginx/caddy) terminates TLS in front of Loket and
                       sets X-Forwarded-Proto and appends X-Forwarded-For; Django then trusts
                       X-Forwarded-Proto: https, and the client address for login lockouts and
                       rate limits is the last X-Forwarded-For entry (the one the proxy added).
                       Never set it when clients can reach gunicorn directly: they could forge both.
    LOKET_SSL_REDIRECT "1"/"0": redirect http:// to https:// in Django (default: on when
                       LOKET_BEHIND_PROXY is on and cookies are secure, since only then can Django
                       tell the scheme; without a proxy header a redirect would loop)
    LOKET_HSTS_SECONDS Strict-Transport-Security max-age (default 31536000 = one year when debug is off
                       and cookies are secure, else 0 = no HSTS). Only sent on HTTPS requests.
    LOKET_HSTS_INCLUDE_SUBDOMAINS  "0" leaves includeSubDomains out of HSTS (default on)
    LOKET_HSTS_PRELOAD "1" adds "preload" to HSTS (default off: preloading binds the whole
                       registrable domain, usually the regency's, and is hard to undo)
    LOKET_SESSION_IDLE_MINUTES  a signed-in session with no request for this long ends (default 480
                       = 8 hours, one working day; loket/core/sessions.py)
    LOKET_LOGIN_ADDRESS_LIMIT  failed logins per client address, whatever the user names, within 15
                       minutes before every login from that address is held until the window ends
                       (default 30; loket/core/logins.py)
    LOKET_PUBLIC_URL   the address citizens reach the site at, scheme and host only, e.g.
                       https://loket.kartoharjo.go.id; every QR code and printed or shown link
                       (receipt, return slip, verification label, tracking links) uses it.
                       Unset: the address of the request (fine on a one-PC trial, wrong when the
                       clerk's browser uses http://127.0.0.1:8000; loket/core/web.py public_url)
    LOKET_SIGNING_REMOTE_URL   base address of a remote (BSrE-style) signing service; with
                               LOKET_SIGNING_REMOTE_USER / LOKET_SIGNING_REMOTE_PASSWORD
    LOKET_SIGNING_TRUST_ROOTS  colon-separated paths of PEM files with the root certificates an
                       electronic signature must chain to, e.g. the BSrE root (docs/signing.md);
                       the demo CA (loket signing democa) is trusted too when it exists
"""

import os
import secrets
from datetime import timedelta
from pathlib import Path

import dj_database_url

BASE_DIR = Path(__file__).resolve().parent
PROJECT_DIR = BASE_DIR.parent


def _env_bool(name: str, default: bool = False) -> bool:
    value = os.environ.get(name)
    if value is None:
        return default
    return value.strip().lower() in {"1", "true", "yes", "on"}


DATA_DIR = Path(os.environ.get("LOKET_DATA_DIR") or PROJECT_DIR / "data").resolve()
DATA_DIR.mkdir(parents=True, exist_ok=True)


def _secret_key() -> str:
    if os.environ.get("LOKET_SECRET_KEY"):
        return os.environ["LOKET_SECRET_KEY"]
    key_file = DATA_DIR / "secret_key"
    if not key_file.exists():
        # Written once with owner-only permissions; kept across restarts so sessions survive.
        fd = os.open(key_file, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o600)
        with os.fdopen(fd, "w") as fh:
            # 50 random bytes -> 67 URL-safe characters: passes Django's deploy check (>= 50
            # characters, >= 5 distinct), whose security.W009 refuses shorter or repetitive keys.
            fh.write(secrets.token_urlsafe(50))
    return key_file.read_text().strip()


SECRET_KEY = _secret_key()
DEBUG = _env_bool("LOKET_DEBUG")
ALLOWED_HOSTS = [
    h.strip() for h in os.environ.get("LOKET_ALLOWED_HOSTS", "localhost,127.0.0.1,[::1]").split(",") if h.strip()
]
CSRF_TRUSTED_ORIGINS = [
    o.strip() for o in os.environ.get("LOKET_CSRF_TRUSTED_ORIGINS", "").split(",") if o.strip()
]

INSTALLED_APPS = [
    "django.contrib.admin",
    "django.contrib.auth",
    "django.contrib.contenttypes",
    "django.contrib.sessions",
    "django.contrib.messages",
    "whitenoise.runserver_nostatic",
    "django.contrib.staticfiles",
    "django_htmx",
    "ninja",
    "axes",
    "csp",
    "loket.core",
    "loket.offices",
    "loket.catalog",
    "loket.registers",
    "loket.privacy",
    "loket.papers",
    "loket.dossiers",
    "loket.complaints",
    "loket.surveys",
    "loket.rentals",
    "loket.deeds",
    "loket.leadership",
    "loket.api",
    "loket.site",  # the composition root: setup, demo, staff home, search (imports every app)
]

MIDDLEWARE = [
    "django.middleware.security.SecurityMiddleware",
    "loket.core.middleware.NoStoreForStaffMiddleware",  # outermost but one: sees the user the view set
    "csp.middleware.CSPMiddleware",  # before WhiteNoise, so static files get the policy too
    "whitenoise.middleware.WhiteNoiseMiddleware",
    "django.contrib.sessions.middleware.SessionMiddleware",
    "loket.core.middleware.RefuseControlCharactersMiddleware",
    "loket.core.middleware.IndonesianFirstMiddleware",
    "django.middleware.locale.LocaleMiddleware",
    "django.middleware.common.CommonMiddleware",
    "django.middleware.csrf.CsrfViewMiddleware",
    "django.contrib.auth.middleware.AuthenticationMiddleware",
    "django.contrib.messages.middleware.MessageMiddleware",
    "loket.core.sessions.SessionIdleMiddleware",  # after auth and messages: logs out, leaves a message
    # After sessions, users and messages: a form posted twice runs once (loket/core/once.py).
    "loket.core.once.SingleUseFormMiddleware",
    "django.middleware.clickjacking.XFrameOptionsMiddleware",
    "django_htmx.middleware.HtmxMiddleware",
    "loket.core.logins.LoginAddressLimitMiddleware",  # the page of a login held per address
    "axes.middleware.AxesMiddleware",  # last, as django-axes requires: turns a lockout into its page
]

ROOT_URLCONF = "loket.urls"
WSGI_APPLICATION = "loket.wsgi.application"

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
                "loket.site.context.site",
            ],
        },
    },
]

_default_db = f"sqlite:///{DATA_DIR / 'loket.sqlite3'}"
DATABASES = {"default": dj_database_url.parse(os.environ.get("DATABASE_URL") or _default_db, conn_max_age=60)}
if DATABASES["default"]["ENGINE"] == "django.db.backends.sqlite3":
    # WAL and a busy timeout let a small office run several clerks on the embedded database.
    DATABASES["default"]["OPTIONS"] = {
        "timeout": 20,
        "transaction_mode": "IMMEDIATE",
        "init_command": "PRAGMA journal_mode=WAL; PRAGMA synchronous=NORMAL;",
    }
    DATABASES["default"]["CONN_MAX_AGE"] = 0

DEFAULT_AUTO_FIELD = "django.db.models.BigAutoField"

AUTHENTICATION_BACKENDS = [
    # Refuses a locked-out (username, address) before any password is checked. Every caller of
    # authenticate() must pass the request (LoginView and the admin login do; API tokens do not
    # go through authenticate() at all, so they are not counted or locked).
    "axes.backends.AxesStandaloneBackend",
    # Refuses every login from an address with too many failures across user names (spraying).
    "loket.core.logins.AddressLimitBackend",
    "django.contrib.auth.backends.ModelBackend",
]

AUTH_PASSWORD_VALIDATORS = [
    {"NAME": "django.contrib.auth.password_validation.UserAttributeSimilarityValidator"},
    {"NAME": "django.contrib.auth.password_validation.MinimumLengthValidator"},
    {"NAME": "django.contrib.auth.password_validation.CommonPasswordValidator"},
    {"NAME": "django.contrib.auth.password_validation.NumericPasswordValidator"},
]

LANGUAGE_CODE = "id"
LANGUAGES = [("id", "Bahasa Indonesia"), ("en", "English")]
LOCALE_PATHS = [BASE_DIR / "locale"]
TIME_ZONE = "Asia/Jakarta"
USE_I18N = True
USE_TZ = True

# "default" is shared by every server process (rate limits, lockout counts must not be per
# worker): files in the data folder, or Redis with LOKET_REDIS_URL. "pages" keeps rendered
# public pages in each process's memory (loket/core/cache.py).
CACHES = {
    "default": (
        {"BACKEND": "django.core.cache.backends.redis.RedisCache", "LOCATION": os.environ["LOKET_REDIS_URL"]}
        if os.environ.get("LOKET_REDIS_URL")
        else {"BACKEND": "django.core.cache.backends.filebased.FileBasedCache", "LOCATION": str(DATA_DIR / "cache")}
    ),
    "pages": {"BACKEND": "django.core.cache.backends.locmem.LocMemCache", "LOCATION": "loket-pages"},
}

STATIC_URL = "/static/"
STATIC_ROOT = DATA_DIR / "static"
STATIC_ROOT.mkdir(exist_ok=True)  # WhiteNoise serves from here after collectstatic
MEDIA_URL = "/media/"
MEDIA_ROOT = DATA_DIR / "media"  # never served as a folder: attachments go out through permission-checked views
# Uploads (complaint attachments, PPAT documents): bodies are small, files spool to disk and
# are checked by content with loket.core.uploads.upload_check (max LOKET_UPLOAD_MAX_BYTES).
DATA_UPLOAD_MAX_MEMORY_SIZE = 1024 * 1024
FILE_UPLOAD_MAX_MEMORY_SIZE = 1024 * 1024
DATA_UPLOAD_MAX_NUMBER_FILES = 10
FILE_UPLOAD_TEMP_DIR = DATA_DIR / "tmp"
FILE_UPLOAD_TEMP_DIR.mkdir(exist_ok=True)
FILE_UPLOAD_PERMISSIONS = 0o640
FILE_UPLOAD_DIRECTORY_PERMISSIONS = 0o750
# A remote signing service (BSrE-style TTE server, docs/signing.md): its base address, and the
# Basic-auth account Loket uses there. Unset: signers sign with their own imported certificate.
LOKET_SIGNING_REMOTE_URL = os.environ.get("LOKET_SIGNING_REMOTE_URL", "").rstrip("/")
LOKET_SIGNING_REMOTE_USER = os.environ.get("LOKET_SIGNING_REMOTE_USER", "")
LOKET_SIGNING_REMOTE_PASSWORD = os.environ.get("LOKET_SIGNING_REMOTE_PASSWORD", "")
LOKET_SIGNING_TRUST_ROOTS = [p for p in os.environ.get("LOKET_SIGNING_TRUST_ROOTS", "").split(":") if p.strip()]
LOKET_UPLOAD_MAX_BYTES = int(os.environ.get("LOKET_UPLOAD_MAX_BYTES", str(5 * 1024 * 1024)))
STORAGES = {
    "default": {"BACKEND": "django.core.files.storage.FileSystemStorage"},
    "staticfiles": {"BACKEND": "whitenoise.storage.CompressedStaticFilesStorage"},
}
WHITENOISE_USE_FINDERS = True  # serve straight from the packages when collectstatic has not run

LOGIN_URL = "login"
LOGIN_REDIRECT_URL = "dossiers:home"
LOGOUT_REDIRECT_URL = "/"

# --- login brute force: django-axes ---------------------------------------------------------
# Five wrong passwords for one user name from one address lock that pair out for 15 minutes
# (HTTP 429, registration/locked.html). Another user at the same counter PC, or the same user
# from another PC, can still log in. Each attempt during the lockout starts the 15 minutes again,
# so the page can honestly say "15 minutes from now". An admin unlocks early in /admin/ (Axes →
# Access attempts: delete the row) or with `loket axes_reset_username NAME`.
AXES_FAILURE_LIMIT = 5
AXES_COOLOFF_TIME = timedelta(minutes=15)
AXES_LOCKOUT_PARAMETERS = [["username", "ip_address"]]
AXES_RESET_ON_SUCCESS = True
AXES_LOCKOUT_TEMPLATE = "registration/locked.html"
AXES_HTTP_RESPONSE_CODE = 429
AXES_CLIENT_IP_CALLABLE = "loket.core.ratelimit.address_of"  # the address the rate limits use too
AXES_VERBOSE = False  # no start-up banner on every `loket` command; failures are still logged
# A second, higher limit per address alone (password spraying over many user names) is Loket's
# own: loket/core/logins.py, LOKET_LOGIN_ADDRESS_LIMIT (axes has one failure limit for all its
# lockout parameters, and a success from the address would reset an address-wide count).

# --- staff sessions: loket/core/sessions.py -------------------------------------------------
# A session idle for LOKET_SESSION_IDLE_MINUTES ends at its next request; the database and the
# cookie drop it an hour later by themselves. "Komputer bersama" on the login form ends it at
# browser close.
LOKET_SESSION_IDLE_MINUTES = int(os.environ.get("LOKET_SESSION_IDLE_MINUTES", "480"))
SESSION_COOKIE_AGE = LOKET_SESSION_IDLE_MINUTES * 60 + 3600

# --- Content Security Policy: django-csp 4 ----------------------------------------------------
# No 'unsafe-inline' and no 'unsafe-eval': pages load only Loket's own scripts and stylesheets
# (templates carry no inline <script>, style="…" or on…= handlers; htmx's inline indicator
# <style> is switched off in base.html). The Swagger page of the API uses only files too.
_SELF, _NONE = "'self'", "'none'"
CONTENT_SECURITY_POLICY = {
    "DIRECTIVES": {
        "default-src": [_SELF],
        "script-src": [_SELF],
        "style-src": [_SELF],
        "img-src": [_SELF, "data:"],
        "connect-src": [_SELF],
        "frame-ancestors": [_NONE],
        "form-action": [_SELF],
        "base-uri": [_SELF],
        "object-src": [_NONE],
    },
}

# --- cookies, headers, HTTPS --------------------------------------------------------------------
SESSION_COOKIE_HTTPONLY = True
SESSION_COOKIE_SAMESITE = "Lax"
CSRF_COOKIE_SAMESITE = "Lax"
X_FRAME_OPTIONS = "DENY"
SECURE_CONTENT_TYPE_NOSNIFF = True
SECURE_REFERRER_POLICY = "same-origin"
LOKET_BEHIND_PROXY = _env_bool("LOKET_BEHIND_PROXY")
if LOKET_BEHIND_PROXY:
    # The proxy must set (not pass through) this header: nginx `proxy_set_header X-Forwarded-Proto $scheme;`
    SECURE_PROXY_SSL_HEADER = ("HTTP_X_FORWARDED_PROTO", "https")
if not DEBUG:
    # Behind a TLS-terminating proxy in production; LOKET_INSECURE_COOKIES=1 for plain-HTTP intranet trials.
    _secure = not _env_bool("LOKET_INSECURE_COOKIES")
    SESSION_COOKIE_SECURE = _secure
    CSRF_COOKIE_SECURE = _secure
    SECURE_SSL_REDIRECT = _env_bool("LOKET_SSL_REDIRECT", default=_secure and LOKET_BEHIND_PROXY)
    SECURE_REDIRECT_EXEMPT = [r"^healthz/$"]  # monitoring may call gunicorn directly over HTTP
    SECURE_HSTS_SECONDS = int(os.environ.get("LOKET_HSTS_SECONDS") or (31_536_000 if _secure else 0))
    SECURE_HSTS_INCLUDE_SUBDOMAINS = _env_bool("LOKET_HSTS_INCLUDE_SUBDOMAINS", default=True)
    SECURE_HSTS_PRELOAD = _env_bool("LOKET_HSTS_PRELOAD")
    if SECURE_HSTS_SECONDS and not SECURE_HSTS_PRELOAD:
        # security.W021 only says the site cannot be submitted to the browsers' preload list.
        # Not asking for that is deliberate (see LOKET_HSTS_PRELOAD above), not an oversight.
        SILENCED_SYSTEM_CHECKS = ["security.W021"]

LOKET_DEFAULT_OFFICE = os.environ.get("LOKET_DEFAULT_OFFICE", "")


def _public_url(value: str) -> str:
    """LOKET_PUBLIC_URL as "scheme://host[:port]", checked at start-up: a typo here would be
    printed on every receipt's QR code."""
    from urllib.parse import urlsplit

    from django.core.exceptions import ImproperlyConfigured

    value = value.strip().rstrip("/")
    if not value:
        return ""
    parts = urlsplit(value)
    if parts.scheme not in {"http", "https"} or not parts.hostname or parts.path or parts.query or parts.fragment:
        raise ImproperlyConfigured(
            f"LOKET_PUBLIC_URL harus berupa alamat situs tanpa jalur, mis. https://loket.contoh.go.id (bukan {value!r})."
        )
    return f"{parts.scheme}://{parts.netloc}"


CSRF_FAILURE_VIEW = "loket.core.views.csrf_failure"  # the styled 403 page (templates/403_csrf.html)
LOKET_PUBLIC_URL = _public_url(os.environ.get("LOKET_PUBLIC_URL", ""))

LOGGING = {
    "version": 1,
    "disable_existing_loggers": False,
    # django.request attaches the request to 4xx/5xx records; its repr has the query string, which
    # may hold a NIK or a phone (a search): only method and path stay (loket/core/logfilters.py)
    "filters": {"no_query": {"()": "loket.core.logfilters.DropQueryString"}},
    "handlers": {"console": {"class": "logging.StreamHandler"}},
    "loggers": {"django.request": {"filters": ["no_query"]}},
    "root": {"handlers": ["console"], "level": os.environ.get("LOKET_LOG_LEVEL", "INFO")},
}

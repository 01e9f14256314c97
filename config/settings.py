"""Settings for hoptac, read from the environment.

Every value that differs between a laptop and a server comes from an environment
variable; a bad value stops start-up with a message instead of running half-configured.
"""

import os
import secrets
from pathlib import Path

import dj_database_url
from django.core.exceptions import ImproperlyConfigured
from django.utils.csp import CSP
from django.utils.translation import gettext_lazy as _

BASE_DIR = Path(__file__).resolve().parent.parent
VAR_DIR = Path(os.environ.get("HOPTAC_VAR_DIR", BASE_DIR / "var"))


def env_bool(name: str, default: bool) -> bool:
    value = os.environ.get(name)
    if value is None or value == "":
        return default
    if value.lower() in {"1", "true", "yes", "on"}:
        return True
    if value.lower() in {"0", "false", "no", "off"}:
        return False
    raise ImproperlyConfigured(f"{name} must be true or false, not {value!r}")


def env_list(name: str, default: list[str]) -> list[str]:
    value = os.environ.get(name)
    if not value:
        return default
    return [item.strip() for item in value.split(",") if item.strip()]


def _secret_key() -> str:
    # A laptop install keeps a generated key in var/ so sessions survive restarts;
    # a server must set SECRET_KEY explicitly (DEBUG off refuses to invent one).
    key = os.environ.get("SECRET_KEY")
    if key:
        return key
    if not DEBUG:
        raise ImproperlyConfigured("SECRET_KEY must be set when DEBUG is off")
    VAR_DIR.mkdir(parents=True, exist_ok=True)
    path = VAR_DIR / "secret_key"
    if not path.exists():
        path.write_text(secrets.token_urlsafe(50))
    return path.read_text().strip()


DEBUG = env_bool("DEBUG", True)
# --- counting index (issue #9): SQLite keeps the key columns of PostgreSQL's covering indexes.
SILENCED_SYSTEM_CHECKS = ["models.W040"]
# --- end counting index
SECRET_KEY = _secret_key()
ALLOWED_HOSTS = env_list("ALLOWED_HOSTS", ["127.0.0.1", "localhost", "[::1]"])
CSRF_TRUSTED_ORIGINS = env_list("CSRF_TRUSTED_ORIGINS", [])

INSTALLED_APPS = [
    "django.contrib.admin",
    "django.contrib.auth",
    "django.contrib.contenttypes",
    "django.contrib.sessions",
    "django.contrib.messages",
    "django.contrib.staticfiles",
    "django.contrib.humanize",
    "axes",
    "hoptac.core",
    "hoptac.geo",
    "hoptac.registry",
    "hoptac.fund",
    "hoptac.awards",
    "hoptac.journal",
    "hoptac.training",
    "hoptac.valuechain",
    "hoptac.briefing",
    "hoptac.returns",
    "hoptac.analytics",
]

# --- portal (issue #7): the public site's apps, middleware and settings; owned by the portal work.
# The news pages are edited in Wagtail (docs/decisions/0009-portal-cms.md). Only the Wagtail apps
# the portal uses: no embeds (they call third-party servers), no forms, no redirects.
PORTAL_APPS: list[str] = [
    "hoptac.portal",
    "wagtail.sites",
    "wagtail.users",
    "wagtail.snippets",
    "wagtail.documents",
    "wagtail.images",
    "wagtail.search",
    "wagtail.admin",
    "wagtail",
    "modelcluster",
    "taggit",
    "django_filters",
    "django.contrib.sitemaps",
    # Wagtail's search index on PostgreSQL uses its GIN indexes (harmless on SQLite).
    "django.contrib.postgres",
]
# Counts public page views (no personal data); relaxes the CSP for the CMS's own pages only.
PORTAL_MIDDLEWARE: list[str] = ["hoptac.portal.middleware.PortalMiddleware"]
PORTAL_CMS_PREFIX = "/cms/"
# Public pages: the home page ("/", only itself) and every page under these prefixes are counted as visits.
PORTAL_PUBLIC_PREFIXES = ["/portal/", "/directory/", "/bao-cao/"]
WAGTAIL_SITE_NAME = os.environ.get("ALLIANCE_NAME", "Liên minh Hợp tác xã tỉnh Bắc Giang")
# The public address of the site: links in e-mails and feeds, and the address the report names.
SITE_URL = os.environ.get("SITE_URL", "http://127.0.0.1:8000")
WAGTAILADMIN_BASE_URL = SITE_URL
WAGTAIL_I18N_ENABLED = False
WAGTAIL_CONTENT_LANGUAGES = [("vi", "Tiếng Việt")]
WAGTAILADMIN_PERMITTED_LANGUAGES = [("vi", "Tiếng Việt"), ("en", "English")]
WAGTAILSEARCH_BACKENDS = {"default": {"BACKEND": "wagtail.search.backends.database"}}
# Nothing from the internet: no avatars from gravatar.com, no update check, no "what's new" banner.
WAGTAIL_GRAVATAR_PROVIDER_URL = None
WAGTAIL_ENABLE_UPDATE_CHECK = False
WAGTAIL_ENABLE_WHATS_NEW_BANNER = False
WAGTAIL_MODERATION_ENABLED = True
WAGTAIL_WORKFLOW_ENABLED = True
WAGTAILADMIN_COMMENTS_ENABLED = True
# Attachments are streamed by Django (documents/<id>/<name>), never by a public media folder.
WAGTAILDOCS_SERVE_METHOD = "serve_view"
WAGTAILDOCS_EXTENSIONS = ["pdf", "doc", "docx", "xls", "xlsx", "odt", "ods", "ppt", "pptx", "zip", "txt", "csv"]
WAGTAILDOCS_MAX_UPLOAD_SIZE = 30 * 1024 * 1024
WAGTAILIMAGES_EXTENSIONS = ["jpg", "jpeg", "png", "webp", "gif"]
WAGTAILIMAGES_MAX_UPLOAD_SIZE = 10 * 1024 * 1024
# Wagtail's images are public; the portal serves only their folders (images/, original_images/)
# under this URL, never the rest of MEDIA_ROOT (reports, fund documents are private).
MEDIA_URL = "/media/"
DATA_UPLOAD_MAX_NUMBER_FIELDS = 10_000
TAGGIT_CASE_INSENSITIVE = True
# --- end portal

# --- api (issue #7): the REST API's apps and settings; owned by the API work.
# REST framework, the OpenAPI schema and the self-hosted Swagger UI files (docs/decisions/0010-api.md).
API_APPS: list[str] = [
    app
    for app in ["rest_framework", "drf_spectacular", "drf_spectacular_sidecar", "hoptac.api"]
    if app not in PORTAL_APPS
]
# Requests an anonymous client (per address) and a token holder may make: "<n>/second|minute|hour|day".
API_ANON_RATE = os.environ.get("API_ANON_RATE", "60/minute")
API_USER_RATE = os.environ.get("API_USER_RATE", "600/minute")
for _rate_name, _rate in (("API_ANON_RATE", API_ANON_RATE), ("API_USER_RATE", API_USER_RATE)):
    _count, _slash, _period = _rate.partition("/")
    if not (_count.isdigit() and int(_count) > 0 and _period in ("second", "minute", "hour", "day")):
        raise ImproperlyConfigured(f"{_rate_name} must look like 60/minute, not {_rate!r}")
# Only the API's own views read these; every other DRF setting is set on hoptac.api's base view,
# so other users of DRF in the project (Wagtail's admin API) keep their defaults.
REST_FRAMEWORK = {
    "DEFAULT_SCHEMA_CLASS": "drf_spectacular.openapi.AutoSchema",
    "DEFAULT_THROTTLE_RATES": {"anon": API_ANON_RATE, "user": API_USER_RATE},
    # Proxies in front of the server: 0 trusts only the socket address (a proxy must be counted
    # here, or every visitor shares the proxy's quota; X-Forwarded-For is not trusted otherwise).
    "NUM_PROXIES": int(os.environ.get("API_NUM_PROXIES", "0")),
}
SPECTACULAR_SETTINGS = {
    "TITLE": "API Hệ thống CSDL Kinh tế tập thể",
    "DESCRIPTION": "Dữ liệu mở và dữ liệu nghiệp vụ của Liên minh HTX tỉnh: danh bạ, số liệu thống kê, báo cáo "
    "đã công bố (không cần mã truy cập); sổ đăng ký, Quỹ hỗ trợ (cần mã truy cập theo vai trò). Hướng dẫn: "
    "docs/user-guide-api.md.\n\nOpen data, and the registry and fund by token (the token's account decides "
    'what it sees). Errors: {"error": {"code", "message", "fields"}}.',
    "TAGS": [
        {"name": "directory", "description": "Public: organisations operating today (public fields only)."},
        {"name": "statistics", "description": "Public: the figures on any date."},
        {"name": "reports", "description": "Public: the alliance's published reports."},
        {"name": "units", "description": "Public: administrative units of the province, of every era."},
        {"name": "registry", "description": "Token: the organisations the account may see; writes audited."},
        {"name": "returns", "description": "Token: open, fill and submit returns (annual reports, gradings)."},
        {"name": "fund", "description": "Token: loans and their positions."},
        {"name": "account", "description": "Token: who the token acts as."},
    ],
    "VERSION": "1.0.0",
    "SCHEMA_PATH_PREFIX": "/api/v1",
    "SERVE_INCLUDE_SCHEMA": False,
    "COMPONENT_SPLIT_REQUEST": True,
    "ENUM_NAME_OVERRIDES": {
        "OrgKindEnum": "hoptac.registry.models.OrgKind",
        "SectorEnum": "hoptac.registry.models.Sector",
        "EventKindEnum": "hoptac.registry.models.EventKind",
        "LawEnum": "hoptac.registry.models.Law",
        "UnitKindEnum": "hoptac.geo.models.Kind",
        "OrganizationStatusEnum": "hoptac.registry.models.Status",
        "ReturnStatusEnum": "hoptac.returns.models.Status",
    },
    # Only /api/v1/: the CMS has DRF views of its own that are not this API.
    "PREPROCESSING_HOOKS": ["hoptac.api.schema.only_this_api"],
    "POSTPROCESSING_HOOKS": [
        "drf_spectacular.hooks.postprocess_schema_enums",
        "hoptac.api.schema.add_error_responses",
    ],
}
# --- end api

INSTALLED_APPS += PORTAL_APPS + API_APPS

MIDDLEWARE = [
    "django.middleware.security.SecurityMiddleware",
    "whitenoise.middleware.WhiteNoiseMiddleware",
    "django.contrib.sessions.middleware.SessionMiddleware",
    "hoptac.core.middleware.VietnameseFirstMiddleware",
    "django.middleware.locale.LocaleMiddleware",
    "django.middleware.common.CommonMiddleware",
    "django.middleware.csrf.CsrfViewMiddleware",
    "django.contrib.auth.middleware.AuthenticationMiddleware",
    "django.contrib.messages.middleware.MessageMiddleware",
    # After authentication and messages: the second factor and session timeouts (issue #8).
    "django_otp.middleware.OTPMiddleware",
    "hoptac.core.auth.middleware.AccountGuardMiddleware",
    "django.middleware.clickjacking.XFrameOptionsMiddleware",
    "django.middleware.csp.ContentSecurityPolicyMiddleware",
    *PORTAL_MIDDLEWARE,
    # Last, as django-axes asks: it reads the outcome of authentication.
    "axes.middleware.AxesMiddleware",
]

ROOT_URLCONF = "config.urls"
WSGI_APPLICATION = "config.wsgi.application"

TEMPLATES = [
    {
        "BACKEND": "django.template.backends.django.DjangoTemplates",
        "DIRS": [],
        "APP_DIRS": True,
        "OPTIONS": {
            "context_processors": [
                "django.template.context_processors.request",
                "django.template.context_processors.i18n",
                "django.template.context_processors.csp",
                "django.contrib.auth.context_processors.auth",
                "django.contrib.messages.context_processors.messages",
            ],
        },
    },
]

DATABASES = {
    "default": dj_database_url.parse(
        os.environ.get("DATABASE_URL") or f"sqlite:///{VAR_DIR / 'hoptac.sqlite3'}",
        conn_max_age=int(os.environ.get("DB_CONN_MAX_AGE", "60")),
    )
}
if DATABASES["default"]["ENGINE"] == "django.db.backends.sqlite3":
    VAR_DIR.mkdir(parents=True, exist_ok=True)
    # WAL lets the web server read while an import writes.
    DATABASES["default"].setdefault("OPTIONS", {})["init_command"] = (
        "PRAGMA journal_mode=WAL; PRAGMA synchronous=NORMAL;"
    )
    DATABASES["default"]["OPTIONS"]["transaction_mode"] = "IMMEDIATE"
IS_POSTGRES = DATABASES["default"]["ENGINE"] == "django.db.backends.postgresql"
# --- bench (issue #9): planner settings of the application's PostgreSQL connections (DB_OPTIONS).
# jit=off: the statistics' aggregates cost enough for the planner to JIT-compile them, and
# compiling took 0,3–0,5 s of a 1,5 s query on the national data; nothing gains from it.
# random_page_cost=1.1: on SSDs a random read costs about a sequential one; with the default 4
# the planner hashes every return value of an indicator (200.000 rows) instead of looking up
# the 12.000 returns of one year by index: the pivot's query 1,9 s → 0,34 s (docs/performance.md).
DB_OPTIONS = os.environ.get("DB_OPTIONS", "-c jit=off -c random_page_cost=1.1")
if IS_POSTGRES and DB_OPTIONS:
    _options = DATABASES["default"].setdefault("OPTIONS", {})
    _options["options"] = (_options.get("options", "") + " " + DB_OPTIONS).strip()
# --- end bench

DEFAULT_AUTO_FIELD = "django.db.models.BigAutoField"
AUTH_USER_MODEL = "core.User"

AUTHENTICATION_BACKENDS = [
    "axes.backends.AxesStandaloneBackend",
    "django.contrib.auth.backends.ModelBackend",
]
AUTH_PASSWORD_VALIDATORS = [
    {"NAME": "django.contrib.auth.password_validation.UserAttributeSimilarityValidator"},
    {"NAME": "hoptac.core.auth.passwords.MinimumLengthValidator", "OPTIONS": {"min_length": 10}},
    {"NAME": "django.contrib.auth.password_validation.CommonPasswordValidator"},
    {"NAME": "django.contrib.auth.password_validation.NumericPasswordValidator"},
]
LOGIN_URL = "login"
LOGIN_REDIRECT_URL = "registry:list"
LOGOUT_REDIRECT_URL = "home"

# Login lockout: five failures lock the username from that address for 30 minutes.
AXES_FAILURE_LIMIT = int(os.environ.get("AXES_FAILURE_LIMIT", "5"))
AXES_COOLOFF_TIME = 0.5  # hours
AXES_LOCKOUT_PARAMETERS = [["username", "ip_address"]]
AXES_LOCKOUT_TEMPLATE = "core/locked_out.html"
AXES_RESET_ON_SUCCESS = True

LANGUAGE_CODE = "vi"
LANGUAGES = [("vi", _("Tiếng Việt")), ("en", _("English"))]
LOCALE_PATHS = [BASE_DIR / "locale"]
TIME_ZONE = "Asia/Ho_Chi_Minh"
USE_I18N = True
USE_TZ = True

STATIC_URL = "/static/"
STATIC_ROOT = VAR_DIR / "static"
MEDIA_ROOT = Path(os.environ.get("MEDIA_ROOT", VAR_DIR / "media"))
STORAGES = {
    "default": {"BACKEND": "django.core.files.storage.FileSystemStorage"},
    "staticfiles": {
        "BACKEND": "django.contrib.staticfiles.storage.StaticFilesStorage"
        if DEBUG
        else "whitenoise.storage.CompressedManifestStaticFilesStorage"
    },
}
WHITENOISE_USE_FINDERS = DEBUG

# Largest upload accepted in memory before streaming to a temp file, and the hard cap.
DATA_UPLOAD_MAX_MEMORY_SIZE = 20 * 1024 * 1024
FILE_UPLOAD_MAX_MEMORY_SIZE = 5 * 1024 * 1024
IMPORT_MAX_BYTES = int(os.environ.get("IMPORT_MAX_BYTES", str(30 * 1024 * 1024)))

# Security headers. Every asset is served by the product, so the policy is strict:
# no inline script or style, no third-party origin.
SECURE_CONTENT_TYPE_NOSNIFF = True
SECURE_REFERRER_POLICY = "same-origin"
SECURE_CROSS_ORIGIN_OPENER_POLICY = "same-origin"
X_FRAME_OPTIONS = "DENY"
SESSION_COOKIE_HTTPONLY = True
SESSION_COOKIE_AGE = 8 * 3600
CSRF_COOKIE_HTTPONLY = True
SECURE_CSP = {
    "default-src": [CSP.SELF],
    "script-src": [CSP.SELF],
    "style-src": [CSP.SELF],
    "img-src": [CSP.SELF, "data:"],
    "font-src": [CSP.SELF],
    "connect-src": [CSP.SELF],
    "frame-ancestors": [CSP.NONE],
    "form-action": [CSP.SELF],
    "base-uri": [CSP.SELF],
    "object-src": [CSP.NONE],
}
HTTPS = env_bool("HTTPS", False)
if HTTPS:
    SESSION_COOKIE_SECURE = True
    CSRF_COOKIE_SECURE = True
    SECURE_SSL_REDIRECT = True
    SECURE_PROXY_SSL_HEADER = ("HTTP_X_FORWARDED_PROTO", "https")
    SECURE_HSTS_SECONDS = 31536000
    SECURE_HSTS_INCLUDE_SUBDOMAINS = True

# --- security (issue #8): two-factor sign-in, session timeouts, the audit of sign-ins; owned by the
# security work (hoptac/core/auth/, docs/security.md).
# TOTP apps and single-use backup codes (docs/decisions/0011-two-factor.md). Administrators can do
# nothing before they have turned it on, unless this is off; for everyone else it is optional.
TWO_FACTOR_REQUIRED_FOR_ADMINS = env_bool("TWO_FACTOR_REQUIRED_FOR_ADMINS", True)
INSTALLED_APPS += ["django_otp", "django_otp.plugins.otp_totp", "django_otp.plugins.otp_static"]


def OTP_TOTP_ISSUER(device) -> str:  # a setting django-otp calls when it draws the QR code
    """The name the authenticator app shows above the account's codes."""
    return f"CSDL KTTT {ALLIANCE_PLACE}"


OTP_ADMIN_HIDE_SENSITIVE_DATA = True
# A session ends after this many minutes without a request (0: never), and SESSION_COOKIE_AGE
# after sign-in whatever the activity; the login page then says why.
SESSION_IDLE_MINUTES = int(os.environ.get("SESSION_IDLE_MINUTES", "30"))
if SESSION_IDLE_MINUTES < 0:
    raise ImproperlyConfigured(f"SESSION_IDLE_MINUTES must be 0 or more, not {SESSION_IDLE_MINUTES}")
# Lockouts and the audit see the client's address, not the reverse proxy's (API_NUM_PROXIES).
AXES_CLIENT_IP_CALLABLE = "hoptac.core.auth.sessions.client_ip"
# A failed two-factor code is kept with the failed attempt: not the code itself.
AXES_SENSITIVE_PARAMETERS = ["password", "code"]
# Only the product's login asks for the second factor: the CMS's password reset by e-mail would
# be another way in (the alliance administrator resets passwords).
WAGTAIL_PASSWORD_RESET_ENABLED = False
if HTTPS:
    # Harmless on a host that is not submitted to the browsers' list; check --deploy asks for it.
    SECURE_HSTS_PRELOAD = True
# --- end security

# The alliance this install serves: names the reports and picks the default province.
ALLIANCE_NAME = os.environ.get("ALLIANCE_NAME", "Liên minh Hợp tác xã tỉnh Bắc Giang")
ALLIANCE_PROVINCE_CODE = os.environ.get("ALLIANCE_PROVINCE_CODE", "24")
# What official documents print (Decree 30/2020): the issuing body and its superior, the place
# in the date line, the suffix of report numbers (05/BC-LMHTX).
ALLIANCE_SUPERIOR = os.environ.get("ALLIANCE_SUPERIOR", "LIÊN MINH HTX VIỆT NAM")
ALLIANCE_SHORT_NAME = os.environ.get("ALLIANCE_SHORT_NAME", "LIÊN MINH HTX TỈNH BẮC GIANG")
ALLIANCE_PLACE = os.environ.get("ALLIANCE_PLACE", "Bắc Giang")
REPORT_NUMBER_SUFFIX = os.environ.get("REPORT_NUMBER_SUFFIX", "BC-LMHTX")

LOGGING = {
    "version": 1,
    "disable_existing_loggers": False,
    "handlers": {"console": {"class": "logging.StreamHandler"}},
    "root": {"handlers": ["console"], "level": os.environ.get("LOG_LEVEL", "INFO")},
    "loggers": {"axes": {"level": "WARNING"}, "weasyprint": {"level": "WARNING"}, "fontTools": {"level": "WARNING"}},
}

FORMAT_MODULE_PATH = ["config.formats"]

# --- backup (issue #8): `manage.py backup` and `restore` (docs/backup.md); owned by the backup work.
# Where archives are written by default. Keep it outside MEDIA_ROOT; copy it to another machine.
BACKUP_DIR = Path(os.environ.get("BACKUP_DIR") or VAR_DIR / "backups")
# --- end backup

# --- several servers (issue #9): the task queue, the shared cache; owned by the multi-server work
# (docs/deployment.md "Nhiều máy chủ / Several servers", docs/decisions/0012-background-tasks.md).
# Long work (the registry's Excel import) runs in `manage.py db_worker`, which takes tasks from a
# table of the database every web server writes to: no broker to run. Tests use the immediate
# backend (conftest.py), which runs a task at once in the process that enqueues it.
INSTALLED_APPS += ["django_tasks_db"]
TASKS = {"default": {"BACKEND": "django_tasks_db.DatabaseBackend"}}
# A task's result row is deleted by `manage.py prune_db_task_results` (the worker's timer);
# the import's own record (registry.ImportJob) keeps what the user sees.


def _cache_from_url(url: str) -> dict:
    """CACHE_URL: "db" (the default, a table of the database, shared by every server), a
    redis://host:port/db address (Django's Redis cache; needs the redis package, not installed
    by default), or "locmem" (this process only: one server on a laptop)."""
    if url in ("", "db"):
        return {"BACKEND": "django.core.cache.backends.db.DatabaseCache", "LOCATION": "hoptac_cache"}
    if url.startswith(("redis://", "rediss://", "unix://")):
        return {"BACKEND": "django.core.cache.backends.redis.RedisCache", "LOCATION": url}
    if url == "locmem":
        return {"BACKEND": "django.core.cache.backends.locmem.LocMemCache"}
    raise ImproperlyConfigured(f"CACHE_URL must be db, locmem or redis://…, not {url!r}")


# The cache holds the API's request counts (throttling) and the import's progress; every web
# server and worker must see the same one. The table is made by a migration (registry 0003) and
# `make setup` (createcachetable).
CACHES = {
    "default": _cache_from_url(os.environ.get("CACHE_URL", "db")),
    # Wagtail's renditions of a picture never change under one key: each process keeps its own
    # copy (one query per picture per page otherwise, with the cache in the database).
    "renditions": {"BACKEND": "django.core.cache.backends.locmem.LocMemCache", "LOCATION": "renditions"},
}
# Sessions stay in the database (Django's default engine, said here so no one moves them into
# a per-process cache): a session made on one server works on every other.
SESSION_ENGINE = "django.contrib.sessions.backends.db"
# Failed logins and lockouts are rows of the database too (django-axes's default handler).
AXES_HANDLER = "axes.handlers.database.AxesDatabaseHandler"
# Rows the import checks between two progress updates of its job.
IMPORT_PROGRESS_EVERY = int(os.environ.get("IMPORT_PROGRESS_EVERY", "500"))
# --- end several servers

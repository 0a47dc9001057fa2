"""Settings shared by every environment; everything that varies comes from the environment."""

from pathlib import Path

from csp.constants import NONE, SELF, UNSAFE_INLINE
from django.utils.translation import gettext_lazy as _

from .environment import (
    cache_from_env,
    database_from_env,
    elasticsearch_options_from_env,
    elasticsearch_url_from_env,
    env_bool,
    env_int,
    env_list,
    env_str,
    storages_from_env,
)

BASE_DIR = Path(__file__).resolve().parent.parent.parent
PROJECT_DIR = BASE_DIR / "intranet"

SECRET_KEY = env_str("SECRET_KEY")
DEBUG = env_bool("DEBUG", default=False)
ALLOWED_HOSTS = env_list("ALLOWED_HOSTS", default=[])
CSRF_TRUSTED_ORIGINS = env_list("CSRF_TRUSTED_ORIGINS", default=[])

INSTALLED_APPS = [
    "intranet.apps.IntranetConfig",
    "core",
    "people",
    "home",
    "knowledge",
    "workflow",
    "workflow.numbering",
    "workflow.redhead",
    "workflow.seal",
    "agenda",
    "stats",
    "archive",
    "search",
    # Before django_tasks_db: its `db_worker` command adds the worker's heartbeat.
    "operations",
    "notifications",
    "demo",
    "wagtail.contrib.forms",
    "wagtail.contrib.redirects",
    "wagtail.contrib.settings",
    "wagtail.contrib.table_block",
    "wagtail.embeds",
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
    "viewflow",
    "viewflow.workflow",
    "django_filters",
    "ninja",
    "django_tasks",
    "django_tasks_db",
    "axes",
    "django.contrib.admin",
    "django.contrib.auth",
    "django.contrib.contenttypes",
    "django.contrib.sessions",
    # Only for its translations: Wagtail's admin says "a second ago" through humanize's strings.
    "django.contrib.humanize",
    "django.contrib.messages",
    "intranet.apps.IntranetStaticFilesConfig",
]

MIDDLEWARE = [
    # First, so that every log line of the request, whichever layer writes it, carries the id.
    "operations.request_id.RequestIdMiddleware",
    "django.middleware.security.SecurityMiddleware",
    "whitenoise.middleware.WhiteNoiseMiddleware",
    "django.contrib.sessions.middleware.SessionMiddleware",
    "intranet.middleware.IntranetLocaleMiddleware",
    "django.middleware.common.CommonMiddleware",
    "django.middleware.csrf.CsrfViewMiddleware",
    "django.contrib.auth.middleware.AuthenticationMiddleware",
    "intranet.middleware.IntranetLoginRequiredMiddleware",
    "django.contrib.messages.middleware.MessageMiddleware",
    "django.middleware.clickjacking.XFrameOptionsMiddleware",
    "intranet.csp.IntranetCSPMiddleware",
    "wagtail.contrib.redirects.middleware.RedirectMiddleware",
    "intranet.middleware.DatabaseBusyMiddleware",
    # Last, as django-axes asks: it turns lockouts into its response.
    "axes.middleware.AxesMiddleware",
    # After every other: a kept page is answered once the user, language and CSRF cookie are known.
    "core.page_cache.PageCacheMiddleware",
]

# Everything from the intranet itself: no CDN, no inline script.
# Inline style attributes stay allowed (style-src-attr): templates set layout variables such as
# a tree node's depth, and a style attribute cannot run code. The Wagtail admin gets its own
# allowances (intranet/csp.py).
CONTENT_SECURITY_POLICY = {
    "DIRECTIVES": {
        "default-src": [SELF],
        "script-src": [SELF],
        # The hash is the <style> of the progress bar of Turbo (viewflow's page navigation): a
        # nonce would not do, as a Turbo visit swaps the page but keeps the first page's policy.
        "style-src": [SELF, "'sha256-WAyOw4V+FqDc35lQPyRADLBWbuNK8ahvYEaQIYF1+Ps='"],
        "style-src-attr": [UNSAFE_INLINE],
        "img-src": [SELF, "data:", "blob:"],
        "font-src": [SELF, "data:"],
        "connect-src": [SELF],
        "frame-src": [SELF],
        "frame-ancestors": [SELF],
        "object-src": [NONE],
        "base-uri": [SELF],
        "form-action": [SELF],
    }
}

ROOT_URLCONF = "intranet.urls"

TEMPLATES = [
    {
        "BACKEND": "django.template.backends.django.DjangoTemplates",
        "DIRS": [PROJECT_DIR / "templates"],
        "APP_DIRS": True,
        "OPTIONS": {
            "context_processors": [
                "django.template.context_processors.debug",
                "django.template.context_processors.request",
                "django.template.context_processors.i18n",
                "django.contrib.auth.context_processors.auth",
                "django.contrib.messages.context_processors.messages",
                "intranet.context_processors.intranet",
            ],
        },
    },
]

WSGI_APPLICATION = "intranet.wsgi.application"

DATABASES = {"default": database_from_env(str(BASE_DIR / "var" / "db.sqlite3"))}
DEFAULT_AUTO_FIELD = "django.db.models.BigAutoField"

AUTH_USER_MODEL = "people.User"
AUTHENTICATION_BACKENDS = [
    # django-axes first: it refuses locked-out accounts before any password is checked.
    "axes.backends.AxesStandaloneBackend",
    "people.backends.AccountBackend",
]
AUTH_PASSWORD_VALIDATORS = [
    {"NAME": "django.contrib.auth.password_validation.UserAttributeSimilarityValidator"},
    {"NAME": "django.contrib.auth.password_validation.MinimumLengthValidator"},
    {"NAME": "django.contrib.auth.password_validation.CommonPasswordValidator"},
    {"NAME": "django.contrib.auth.password_validation.NumericPasswordValidator"},
]
LOGIN_URL = "login"

# Login throttling (django-axes): an account is locked after repeated failures from one address.
AXES_FAILURE_LIMIT = env_int("AXES_FAILURE_LIMIT", 5)
AXES_COOLOFF_TIME = env_int("AXES_COOLOFF_HOURS", 1)
AXES_LOCKOUT_PARAMETERS = [["username", "ip_address"]]
AXES_LOCKOUT_TEMPLATE = "registration/locked_out.html"
AXES_RESET_ON_SUCCESS = True
AXES_VERBOSE = False

# Page types that are publishing columns (栏目), offered when granting column rights.
PEOPLE_COLUMN_PAGE_MODELS = ["home.NewsColumnPage", "home.NoticeIndexPage"]

# Optional LDAP/AD login: see intranet/settings/ldap.py.
if env_str("LDAP_SERVER_URI", "-") != "-":
    from .ldap import *  # noqa: F403
LOGIN_REDIRECT_URL = "/"
LOGOUT_REDIRECT_URL = "login"

# Internationalisation: the intranet speaks Simplified Chinese first, English second.
LANGUAGE_CODE = "zh-hans"
LANGUAGES = [("zh-hans", "简体中文"), ("en", "English")]
# The second catalog holds our Chinese for viewflow, whose own zh_Hans catalog is empty.
LOCALE_PATHS = [PROJECT_DIR / "locale", PROJECT_DIR / "locale_viewflow"]
TIME_ZONE = "Asia/Shanghai"
USE_I18N = True
USE_TZ = True
WAGTAIL_I18N_ENABLED = False
WAGTAILADMIN_PERMITTED_LANGUAGES = LANGUAGES

STATIC_URL = "/static/"
STATIC_ROOT = BASE_DIR / "var" / "static"
STATICFILES_DIRS = [PROJECT_DIR / "static"]
MEDIA_URL = "/media/"
MEDIA_ROOT = Path(env_str("MEDIA_ROOT", str(BASE_DIR / "var" / "media")))
STORAGES = {
    **storages_from_env(),
    "staticfiles": {"BACKEND": "intranet.staticfiles.IntranetStaticFilesStorage"},
}

# Background work runs through django-tasks; `manage.py db_worker` executes queued tasks.
TASKS = {"default": {"BACKEND": "django_tasks_db.DatabaseBackend"}}

# Search: Elasticsearch when configured, otherwise the database serves (docs/search.md).
ELASTICSEARCH_URL = elasticsearch_url_from_env()
# Client options: credentials, CA certificate, and the server mode ("serverless" for
# OpenSearch-compatible servers, which refuse the compatibility media type of "stack").
ELASTICSEARCH_OPTIONS = elasticsearch_options_from_env()
SEARCH_INDEX_ALIAS = env_str("SEARCH_INDEX_ALIAS", "xietong-entries")
SEARCH_INDEX_REPLICAS = env_int("SEARCH_INDEX_REPLICAS", 0)
SEARCH_ELASTICSEARCH_TIMEOUT = env_int("SEARCH_ELASTICSEARCH_TIMEOUT", 5)
SEARCH_OUTBOX_BATCH_SIZE = 500
SEARCH_RETRY_BASE_SECONDS = 10
SEARCH_RETRY_MAX_SECONDS = 3600
SEARCH_OUTBOX_RETENTION_DAYS = 7
SEARCH_JIEBA_TMP_DIR = BASE_DIR / "var" / "jieba"
# Wagtail's own index (admin search of pages, images, documents) stays in the database even with
# Elasticsearch: Wagtail writes it during the editor's request and searches it without a fallback,
# so an Elasticsearch outage would slow every publish and break the admin search (docs/search.md).
WAGTAILSEARCH_BACKENDS = {"default": {"BACKEND": "wagtail.search.backends.database"}}

# One process: memory. Several processes (gunicorn workers, hosts) must share a cache so that
# publishing invalidates every process's cached lists: CACHE_URL=redis://host:6379/0.
CACHES = {"default": cache_from_env()}
# Production refuses a per-process cache (see production.py and intranet.checks).
INTRANET_REQUIRE_SHARED_CACHE = False
# Sessions are signed cookies: no cache or database read on any request, the same in every app
# process. They stay revocable: the signature covers the user's password and session generation
# (people.User), and the user, active or not, is read on every request; signing out ends the
# user's sessions everywhere. Only the login (user id, backend, signature) and short-lived
# messages are kept in them.
SESSION_ENGINE = "django.contrib.sessions.backends.signed_cookies"
# Whole pages kept per user until what they show changes (core.page_cache); off: every page is
# rendered, as the bench measures beside.
INTRANET_PAGE_CACHE = env_bool("INTRANET_PAGE_CACHE", True)

# Wagtail
WAGTAIL_SITE_NAME = "协同办公平台"
WAGTAILADMIN_BASE_URL = env_str("WAGTAILADMIN_BASE_URL", "http://127.0.0.1:8000")
WAGTAIL_GRAVATAR_PROVIDER_URL = None  # the intranet has no internet access
WAGTAIL_FRONTEND_LOGIN_URL = LOGIN_URL
WAGTAIL_ENABLE_UPDATE_CHECK = False
WAGTAIL_ENABLE_WHATS_NEW_BANNER = False
WAGTAILDOCS_SERVE_METHOD = "serve_view"
# Uploads follow core.uploads' policies (WAGTAIL_DOCUMENTS, WAGTAIL_IMAGES); tests keep these equal.
WAGTAILDOCS_DOCUMENT_FORM_BASE = "core.wagtail_uploads.DocumentForm"
WAGTAILDOCS_EXTENSIONS = ["pdf", "ofd", "docx", "doc", "xlsx", "xls", "pptx", "ppt", "txt"]
WAGTAILDOCS_EXTENSIONS += ["jpg", "jpeg", "png"]
WAGTAILDOCS_MAX_UPLOAD_SIZE = 50 * 2**20
# Served by their checked type; only PDFs open in the browser, everything else downloads.
WAGTAILDOCS_CONTENT_TYPES = {"ofd": "application/ofd", "txt": "text/plain"}
WAGTAILDOCS_INLINE_CONTENT_TYPES = ["application/pdf"]
WAGTAILIMAGES_IMAGE_FORM_BASE = "core.wagtail_uploads.ImageForm"
WAGTAILIMAGES_EXTENSIONS = ["jpg", "jpeg", "png", "gif", "webp"]
WAGTAILIMAGES_MAX_UPLOAD_SIZE = 10 * 2**20
WAGTAILIMAGES_MAX_IMAGE_PIXELS = 40_000_000
# Autosave posts the whole edit form in the background, including the action a click has just
# added (approve, publish): it raced the real submit and left approved pages not live, and on the
# add form it created drafts (and attachments) the editor never saved. Editors save explicitly.
WAGTAIL_AUTOSAVE_INTERVAL = 0

# The name shown in the header of every page; each deployment names its own group.
INTRANET_GROUP_NAME = env_str("INTRANET_GROUP_NAME", "东方重工集团")
INTRANET_SITE_TITLE = _("Collaborative Office")

# GB/T 9704 typefaces of the red-head PDF: for each, the font families tried in order. The
# defaults are the free stand-ins the Makefile installs (FandolFang 仿宋, AR PL KaitiM GB 楷体,
# Noto Sans CJK SC 黑体, Noto Serif CJK SC in bold for 小标宋). A unit holding licences installs
# its fonts and names them first, e.g. REDHEAD_FONT_XIAOBIAOSONG="方正小标宋简体" with
# REDHEAD_XIAOBIAOSONG_WEIGHT=normal (the licensed face is heavy by itself).
REDHEAD_FONTS = {
    "fangsong": env_list("REDHEAD_FONT_FANGSONG", default=["FandolFang"]),
    "xiaobiaosong": env_list("REDHEAD_FONT_XIAOBIAOSONG", default=["Noto Serif CJK SC"]),
    "heiti": env_list("REDHEAD_FONT_HEITI", default=["Noto Sans CJK SC"]),
    "kaiti": env_list("REDHEAD_FONT_KAITI", default=["AR PL KaitiM GB"]),
}
REDHEAD_XIAOBIAOSONG_WEIGHT = env_str("REDHEAD_XIAOBIAOSONG_WEIGHT", "bold")

# Encrypts the units' seal signing keys and the seal authority's key in the database. Any long
# random string; keep it out of the database backups' reach. Without it no seal can be applied.
SEAL_ENCRYPTION_KEY = env_str("SEAL_ENCRYPTION_KEY", "")

# Demo accounts (load_demo) are refused where this is false: production sets it so.
INTRANET_ALLOW_DEMO_DATA = True

# Notifications go out by e-mail (per kind, as each user chooses) only when SMTP is configured.
EMAIL_HOST = env_str("EMAIL_HOST", "")
EMAIL_BACKEND = env_str(
    "EMAIL_BACKEND",
    "django.core.mail.backends.smtp.EmailBackend"
    if EMAIL_HOST
    else "django.core.mail.backends.console.EmailBackend",
)
DEFAULT_FROM_EMAIL = env_str("DEFAULT_FROM_EMAIL", "xietong@localhost")
EMAIL_PORT = env_int("EMAIL_PORT", 25)
EMAIL_HOST_USER = env_str("EMAIL_HOST_USER", "")
EMAIL_HOST_PASSWORD = env_str("EMAIL_HOST_PASSWORD", "")
EMAIL_USE_TLS = env_str("EMAIL_USE_TLS", "") == "1"
# Read notifications older than this are deleted by `prune_notifications` (unread ones stay).
NOTIFICATIONS_RETENTION_DAYS = env_int("NOTIFICATIONS_RETENTION_DAYS", 90)

LOGGING = {
    "version": 1,
    "disable_existing_loggers": False,
    "filters": {"request_id": {"()": "operations.request_id.RequestIdFilter"}},
    "formatters": {"json": {"()": "operations.json_logs.JsonFormatter"}},
    "handlers": {
        "console": {
            "class": "logging.StreamHandler",
            "filters": ["request_id"],
            # LOG_FORMAT=json: one JSON object per line (production's default).
            **({"formatter": "json"} if env_str("LOG_FORMAT", "text") == "json" else {}),
        }
    },
    "root": {"handlers": ["console"], "level": env_str("LOG_LEVEL", "INFO")},
    "loggers": {
        # Wagtail and django-tasks log every page action and task run at INFO.
        "wagtail": {"level": "WARNING"},
        "django_tasks": {"level": "WARNING"},
        "axes": {"level": "WARNING"},
        # WeasyPrint logs each layout step of every PDF at INFO.
        "weasyprint": {"level": "WARNING"},
        # The Elasticsearch transport logs every request at INFO.
        "elastic_transport": {"level": "WARNING"},
    },
}

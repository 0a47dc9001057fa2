"""Settings shared by every environment; everything that varies comes from the environment."""

from pathlib import Path

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
)

BASE_DIR = Path(__file__).resolve().parent.parent.parent
PROJECT_DIR = BASE_DIR / "intranet"

SECRET_KEY = env_str("SECRET_KEY")
DEBUG = env_bool("DEBUG", default=False)
ALLOWED_HOSTS = env_list("ALLOWED_HOSTS", default=[])
CSRF_TRUSTED_ORIGINS = env_list("CSRF_TRUSTED_ORIGINS", default=[])

INSTALLED_APPS = [
    "intranet.apps.IntranetConfig",
    "people",
    "home",
    "knowledge",
    "workflow",
    "workflow.numbering",
    "workflow.redhead",
    "search",
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
    "wagtail.contrib.redirects.middleware.RedirectMiddleware",
    # Last, as django-axes asks: it turns lockouts into its response.
    "axes.middleware.AxesMiddleware",
]

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
    "django.contrib.auth.backends.ModelBackend",
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
    "default": {"BACKEND": "django.core.files.storage.FileSystemStorage"},
    "staticfiles": {"BACKEND": "whitenoise.storage.CompressedManifestStaticFilesStorage"},
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
if ELASTICSEARCH_URL:
    WAGTAILSEARCH_BACKENDS = {
        "default": {
            "BACKEND": "wagtail.search.backends.elasticsearch9",
            "URLS": [ELASTICSEARCH_URL],
            "INDEX_PREFIX": env_str("WAGTAILSEARCH_INDEX_PREFIX", "xietong-wagtail-"),
            "TIMEOUT": SEARCH_ELASTICSEARCH_TIMEOUT,
            "OPTIONS": ELASTICSEARCH_OPTIONS,
        }
    }
else:
    WAGTAILSEARCH_BACKENDS = {"default": {"BACKEND": "wagtail.search.backends.database"}}

# One process: memory. Several processes (gunicorn workers, hosts) must share a cache so that
# publishing invalidates every process's cached lists: CACHE_URL=redis://host:6379/0.
CACHES = {"default": cache_from_env()}
# Sessions are read from the cache (written through to the database), one query less per request.
SESSION_ENGINE = "django.contrib.sessions.backends.cached_db"

# Wagtail
WAGTAIL_SITE_NAME = "协同办公平台"
WAGTAILADMIN_BASE_URL = env_str("WAGTAILADMIN_BASE_URL", "http://127.0.0.1:8000")
WAGTAIL_GRAVATAR_PROVIDER_URL = None  # the intranet has no internet access
WAGTAIL_FRONTEND_LOGIN_URL = LOGIN_URL
WAGTAIL_ENABLE_UPDATE_CHECK = False
WAGTAIL_ENABLE_WHATS_NEW_BANNER = False
WAGTAILDOCS_SERVE_METHOD = "serve_view"
# Autosave posts the whole edit form in the background, including the action a click has just
# added (approve, publish): it raced the real submit and left approved pages not live, and on the
# add form it created drafts (and attachments) the editor never saved. Editors save explicitly.
WAGTAIL_AUTOSAVE_INTERVAL = 0

# The name shown in the header of every page; each deployment names its own group.
INTRANET_GROUP_NAME = env_str("INTRANET_GROUP_NAME", "东方重工集团")
INTRANET_SITE_TITLE = _("Collaborative Office")

# Demo accounts (load_demo) are refused where this is false: production sets it so.
INTRANET_ALLOW_DEMO_DATA = True

EMAIL_BACKEND = env_str("EMAIL_BACKEND", "django.core.mail.backends.console.EmailBackend")
DEFAULT_FROM_EMAIL = env_str("DEFAULT_FROM_EMAIL", "xietong@localhost")

LOGGING = {
    "version": 1,
    "disable_existing_loggers": False,
    "handlers": {"console": {"class": "logging.StreamHandler"}},
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

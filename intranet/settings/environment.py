"""Reading settings from the environment, with one clear error per bad variable."""

import os
from urllib.parse import urlsplit

import dj_database_url
from django.core.exceptions import ImproperlyConfigured


class EnvironmentSettingError(ImproperlyConfigured):
    """A variable of the environment is missing or malformed; the message names it."""

    def __init__(self, variable: str, problem: str):
        self.variable = variable
        super().__init__(f"{variable}: {problem}")


def env_str(name: str, default: str | None = None) -> str:
    value = os.environ.get(name, "").strip()
    if value:
        return value
    if default is None:
        raise EnvironmentSettingError(name, "is required but not set")
    return default


def env_bool(name: str, default: bool) -> bool:
    value = os.environ.get(name, "").strip().lower()
    if not value:
        return default
    if value in {"1", "true", "yes", "on"}:
        return True
    if value in {"0", "false", "no", "off"}:
        return False
    raise EnvironmentSettingError(name, f"expected true or false, got {value!r}")


def env_list(name: str, default: list[str]) -> list[str]:
    value = os.environ.get(name, "").strip()
    if not value:
        return default
    return [item.strip() for item in value.split(",") if item.strip()]


# SQLite serves several users at once only like this: WAL lets readers go on while one writer
# writes; IMMEDIATE takes the write lock when a transaction begins, so a transaction never has to
# upgrade a read lock (which fails at once with "database is locked", whatever the timeout);
# the timeout is how long a writer waits for the lock instead of failing.
SQLITE_BUSY_TIMEOUT_SECONDS = 20
SQLITE_OPTIONS = {
    "transaction_mode": "IMMEDIATE",
    "timeout": SQLITE_BUSY_TIMEOUT_SECONDS,
    "init_command": "PRAGMA journal_mode=WAL; PRAGMA synchronous=NORMAL",
}


def database_from_env(default_sqlite_path: str) -> dict:
    url = os.environ.get("DATABASE_URL", "").strip()
    if not url:
        return {
            "ENGINE": "django.db.backends.sqlite3",
            "NAME": default_sqlite_path,
            "OPTIONS": dict(SQLITE_OPTIONS),
        }
    try:
        config = dj_database_url.parse(url, conn_max_age=60, conn_health_checks=True)
    except (ValueError, KeyError) as error:
        raise EnvironmentSettingError(
            "DATABASE_URL",
            f"cannot be understood ({error}); expected e.g. postgres://user:password@host:5432/name",
        ) from None
    engine = config.get("ENGINE", "")
    if engine not in {"django.db.backends.postgresql", "django.db.backends.sqlite3"}:
        raise EnvironmentSettingError(
            "DATABASE_URL", "only postgres:// and sqlite:// databases are supported"
        )
    if engine == "django.db.backends.postgresql" and not config.get("NAME"):
        raise EnvironmentSettingError("DATABASE_URL", "names no database (add /name at the end)")
    if engine == "django.db.backends.sqlite3":
        config["OPTIONS"] = {**SQLITE_OPTIONS, **config.get("OPTIONS", {})}
    return config


def elasticsearch_url_from_env() -> str | None:
    url = os.environ.get("ELASTICSEARCH_URL", "").strip()
    if not url:
        return None
    try:
        parts = urlsplit(url)
        port_is_valid = parts.port is None or parts.port > 0
    except ValueError as error:
        raise EnvironmentSettingError("ELASTICSEARCH_URL", f"is malformed ({error})") from None
    if parts.scheme not in {"http", "https"} or not parts.hostname or not port_is_valid:
        raise EnvironmentSettingError(
            "ELASTICSEARCH_URL", "expected http(s)://host:port, e.g. http://127.0.0.1:9200"
        )
    return url


def elasticsearch_options_from_env() -> dict:
    """Options of the Elasticsearch client beyond the URL: credentials, CA file, server mode."""
    options = {}
    username = os.environ.get("ELASTICSEARCH_USERNAME", "").strip()
    password = os.environ.get("ELASTICSEARCH_PASSWORD", "")
    if username or password:
        if not (username and password):
            raise EnvironmentSettingError(
                "ELASTICSEARCH_USERNAME" if not username else "ELASTICSEARCH_PASSWORD",
                "set both ELASTICSEARCH_USERNAME and ELASTICSEARCH_PASSWORD, or neither",
            )
        options["basic_auth"] = (username, password)
    ca_certs = os.environ.get("ELASTICSEARCH_CA_CERTS", "").strip()
    if ca_certs:
        if not os.path.isfile(ca_certs):
            raise EnvironmentSettingError("ELASTICSEARCH_CA_CERTS", f"no such file: {ca_certs}")
        options["ca_certs"] = ca_certs
    server_mode = os.environ.get("ELASTICSEARCH_SERVER_MODE", "").strip().lower() or "stack"
    if server_mode not in {"stack", "serverless"}:
        raise EnvironmentSettingError(
            "ELASTICSEARCH_SERVER_MODE",
            "expected stack (Elasticsearch) or serverless (Elastic Cloud Serverless, OpenSearch)",
        )
    options["server_mode"] = server_mode
    return options


def env_int(name: str, default: int) -> int:
    value = os.environ.get(name, "").strip()
    if not value:
        return default
    try:
        return int(value)
    except ValueError:
        raise EnvironmentSettingError(name, f"expected a whole number, got {value!r}") from None


def env_list_required(name: str) -> list[str]:
    items = env_list(name, default=[])
    if not items:
        raise EnvironmentSettingError(name, "is required but not set (comma-separated)")
    return items


def cache_from_env() -> dict:
    url = os.environ.get("CACHE_URL", "").strip()
    if not url:
        return {"BACKEND": "core.cache.PerProcessCache", "LOCATION": "xietong"}
    if urlsplit(url).scheme not in {"redis", "rediss"}:
        raise EnvironmentSettingError("CACHE_URL", "expected redis://host:6379/0")
    return {
        "BACKEND": "core.cache.RequestMemoRedisCache",
        "LOCATION": url,
        # Lets several sites (or test runs) share one Redis database.
        "KEY_PREFIX": os.environ.get("CACHE_KEY_PREFIX", "").strip(),
    }


def storages_from_env() -> dict:
    """Where uploaded files live: MEDIA_ROOT on a (shared) disk, or an S3-compatible bucket when
    S3_BUCKET is set. Either way two storages: "default" (images, Wagtail documents, 公文 files)
    and "private" (knowledge files), which no web server may publish: the application streams
    their content after its permission check, so neither needs a filesystem path."""
    bucket = os.environ.get("S3_BUCKET", "").strip()
    if not bucket:
        return {
            "default": {"BACKEND": "django.core.files.storage.FileSystemStorage"},
            "private": {"BACKEND": "core.storage.PrivateMediaStorage"},
        }
    endpoint = os.environ.get("S3_ENDPOINT_URL", "").strip() or None
    if endpoint and urlsplit(endpoint).scheme not in {"http", "https"}:
        raise EnvironmentSettingError("S3_ENDPOINT_URL", "expected http(s)://host:port")
    common = {
        "bucket_name": bucket,
        "endpoint_url": endpoint,
        "region_name": env_str("S3_REGION", "us-east-1"),
        "access_key": os.environ.get("S3_ACCESS_KEY_ID", "").strip() or None,
        "secret_key": os.environ.get("S3_SECRET_ACCESS_KEY", "").strip() or None,
        # An upload never replaces another file of the same name: names get a suffix, as on disk.
        "file_overwrite": False,
        "default_acl": None,
    }
    # Images are published by the reverse proxy under /media/ (docs/deploy.md), so pages link to
    # the intranet's own host, which the content security policy allows; without that host the
    # links are signed, short-lived bucket URLs.
    public_host = os.environ.get("S3_MEDIA_HOST", "").strip()
    default = {**common, "location": "media"}
    if public_host:
        default.update(custom_domain=public_host, querystring_auth=False)
    else:
        default["querystring_expire"] = env_int("S3_URL_EXPIRE_SECONDS", 300)
    return {
        "default": {"BACKEND": "storages.backends.s3.S3Storage", "OPTIONS": default},
        "private": {
            "BACKEND": "storages.backends.s3.S3Storage",
            "OPTIONS": {
                **common,
                "location": "private",
                "querystring_expire": env_int("S3_URL_EXPIRE_SECONDS", 300),
            },
        },
    }

"""Settings come from the environment, and a bad variable is named in one line at start-up."""

import os
import subprocess
import sys
from pathlib import Path

import pytest

from intranet.settings.environment import (
    EnvironmentSettingError,
    database_from_env,
    elasticsearch_url_from_env,
    env_bool,
    env_list,
    env_str,
)

ROOT = Path(__file__).resolve().parents[2]


class TestDatabaseUrl:
    def test_defaults_to_a_sqlite_file(self, monkeypatch):
        monkeypatch.delenv("DATABASE_URL", raising=False)
        config = database_from_env("/srv/xietong/db.sqlite3")
        assert config["ENGINE"] == "django.db.backends.sqlite3"
        assert config["NAME"] == "/srv/xietong/db.sqlite3"

    @pytest.mark.parametrize("url", ["", "sqlite:////srv/xietong/db.sqlite3"])
    def test_sqlite_serves_several_users(self, monkeypatch, url):
        """WAL, writers that take the lock when they begin, and wait for it instead of failing."""
        monkeypatch.setenv("DATABASE_URL", url)
        options = database_from_env("/srv/xietong/db.sqlite3")["OPTIONS"]
        assert options["transaction_mode"] == "IMMEDIATE"
        assert options["timeout"] >= 10
        assert "PRAGMA journal_mode=WAL" in options["init_command"]

    def test_reads_postgres(self, monkeypatch):
        monkeypatch.setenv("DATABASE_URL", "postgres://xt:secret@db.internal:5433/xietong")
        config = database_from_env("unused")
        assert config["ENGINE"] == "django.db.backends.postgresql"
        assert (config["HOST"], config["PORT"], config["NAME"]) == ("db.internal", 5433, "xietong")
        assert (config["USER"], config["PASSWORD"]) == ("xt", "secret")

    @pytest.mark.parametrize(
        "url",
        ["not a url", "mysql://root@localhost/xietong", "postgres://localhost:5432"],
    )
    def test_rejects_what_it_cannot_use(self, monkeypatch, url):
        monkeypatch.setenv("DATABASE_URL", url)
        with pytest.raises(EnvironmentSettingError) as error:
            database_from_env("unused")
        assert str(error.value).startswith("DATABASE_URL: ")


class TestElasticsearchUrl:
    def test_is_optional(self, monkeypatch):
        monkeypatch.delenv("ELASTICSEARCH_URL", raising=False)
        assert elasticsearch_url_from_env() is None

    def test_reads_a_url(self, monkeypatch):
        monkeypatch.setenv("ELASTICSEARCH_URL", "https://search.internal:9200")
        assert elasticsearch_url_from_env() == "https://search.internal:9200"

    @pytest.mark.parametrize(
        "url", ["search.internal:9200", "ftp://search.internal", "http://host:notaport"]
    )
    def test_rejects_malformed(self, monkeypatch, url):
        monkeypatch.setenv("ELASTICSEARCH_URL", url)
        with pytest.raises(EnvironmentSettingError) as error:
            elasticsearch_url_from_env()
        assert str(error.value).startswith("ELASTICSEARCH_URL: ")


class TestScalars:
    def test_required_string_missing(self, monkeypatch):
        monkeypatch.delenv("SECRET_KEY", raising=False)
        with pytest.raises(EnvironmentSettingError, match=r"^SECRET_KEY: is required"):
            env_str("SECRET_KEY")

    def test_booleans(self, monkeypatch):
        monkeypatch.setenv("DEBUG", "yes")
        assert env_bool("DEBUG", default=False) is True
        monkeypatch.setenv("DEBUG", "maybe")
        with pytest.raises(EnvironmentSettingError, match=r"^DEBUG: "):
            env_bool("DEBUG", default=False)

    def test_lists(self, monkeypatch):
        monkeypatch.setenv("ALLOWED_HOSTS", " oa.example.cn, 10.1.2.3 ,")
        assert env_list("ALLOWED_HOSTS", default=[]) == ["oa.example.cn", "10.1.2.3"]


def run_manage(*args, **env):
    ignored = {"DATABASE_URL", "DJANGO_ALLOW_ASYNC_UNSAFE"}
    environment = {k: v for k, v in os.environ.items() if k not in ignored}
    environment.update(env)
    return subprocess.run(
        [sys.executable, "manage.py", *args],
        cwd=ROOT,
        env=environment,
        capture_output=True,
        text=True,
        timeout=120,
    )


@pytest.mark.parametrize(
    ("variable", "value"),
    [("DATABASE_URL", "mysql://nope"), ("ELASTICSEARCH_URL", "localhost:9200")],
)
def test_bad_variable_stops_start_up_with_one_line(variable, value):
    result = run_manage(
        "check", **{variable: value, "DJANGO_SETTINGS_MODULE": "intranet.settings.dev"}
    )
    assert result.returncode == 2
    lines = result.stderr.strip().splitlines()
    assert len(lines) == 1, result.stderr
    assert lines[0].startswith(f"Configuration error: {variable}: ")
    assert "Traceback" not in result.stderr


def test_production_requires_a_secret_key():
    result = run_manage(
        "check",
        DJANGO_SETTINGS_MODULE="intranet.settings.production",
        SECRET_KEY="",
        ALLOWED_HOSTS="oa.example.cn",
    )
    assert result.returncode == 2
    assert result.stderr.strip() == "Configuration error: SECRET_KEY: is required but not set"


def production_environment(tmp_path, **env):
    """The environment docs/deploy.md documents (with SQLite standing in for PostgreSQL)."""
    return {
        "DJANGO_SETTINGS_MODULE": "intranet.settings.production",
        "SECRET_KEY": "x" * 20 + "a-long-random-production-secret-key-0123456789",
        "ALLOWED_HOSTS": "oa.example.cn",
        "DATABASE_URL": f"sqlite:///{tmp_path / 'db.sqlite3'}",
        "CACHE_URL": "redis://127.0.0.1:6379/0",
        **env,
    }


def test_deploy_check_is_clean_under_production_settings(tmp_path):
    result = run_manage(
        "check", "--deploy", "--fail-level", "WARNING", **production_environment(tmp_path)
    )
    assert result.returncode == 0, result.stdout + result.stderr
    assert "System check identified no issues" in result.stdout


def test_production_refuses_a_cache_in_each_process(tmp_path):
    result = run_manage("check", "--deploy", **production_environment(tmp_path, CACHE_URL=""))
    assert result.returncode == 1
    assert "intranet.E001" in result.stderr
    assert "CACHE_URL" in result.stderr


def test_a_single_process_may_keep_its_cache_when_it_says_so(tmp_path):
    result = run_manage(
        "check",
        "--deploy",
        "--fail-level",
        "WARNING",
        **production_environment(tmp_path, CACHE_URL="", ALLOW_PROCESS_LOCAL_CACHE="true"),
    )
    assert result.returncode == 0, result.stdout + result.stderr


def test_the_wsgi_server_refuses_to_start_with_a_cache_in_each_process(tmp_path):
    """gunicorn runs no system checks: the WSGI module refuses by itself."""
    environment = {k: v for k, v in os.environ.items() if k != "DATABASE_URL"}
    environment.update(production_environment(tmp_path, CACHE_URL=""))
    result = subprocess.run(
        [sys.executable, "-c", "import intranet.wsgi"],
        cwd=ROOT,
        env=environment,
        capture_output=True,
        text=True,
        timeout=120,
    )
    assert result.returncode == 2
    assert result.stderr.startswith("Configuration error: The 'default' cache is held in each")
    assert "Traceback" not in result.stderr

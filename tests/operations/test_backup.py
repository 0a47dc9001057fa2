"""Backup and restore: an installation restored into an empty database and empty storage has
the same documents, numbers, trace chains and files, and its search index is rebuilt."""

import json
import os
import shutil
import subprocess
import sys
import uuid
from pathlib import Path

import psycopg2
import pytest
from django.core.files.base import ContentFile
from django.core.files.storage import storages
from django.core.management import call_command
from django.core.management.base import CommandError
from django.db import connection
from django.test import override_settings

from tests.factories.documents import OfficeFactory, advance, draft_document
from tests.operations.fingerprint import fingerprint

pytestmark = pytest.mark.django_db(transaction=True)
ROOT = Path(__file__).resolve().parents[2]
POSTGRES = {"host": "127.0.0.1", "port": 5432, "user": "postgres"}


@pytest.fixture
def media(tmp_path):
    with override_settings(MEDIA_ROOT=tmp_path / "media"):
        yield tmp_path / "media"


@pytest.fixture
def installation(media):
    """Two documents, one numbered, a file of each storage."""
    office = OfficeFactory()
    numbered = draft_document(office, attachment_note="")
    advance(numbered, office, until="red_head")
    storages["default"].save("documents/attachments/2026/11/表.txt", ContentFile(b"a,b\n1,2"))
    draft_document(office, title="关于备份演练的通知")
    storages["private"].save("knowledge/2026/plan.txt", ContentFile("预案全文".encode()))
    return numbered


@pytest.fixture
def empty_target(tmp_path):
    """The environment of an empty database and an empty media folder."""
    environment = {
        **{k: v for k, v in os.environ.items() if not k.startswith(("CACHE_", "S3_"))},
        # Production's settings (test settings fix MEDIA_ROOT), with a cache per process.
        "DJANGO_SETTINGS_MODULE": "tests.operations.scale_settings",
        "SECRET_KEY": "restore-test-key",
        "ALLOWED_HOSTS": "127.0.0.1",
        "ALLOW_PROCESS_LOCAL_CACHE": "true",
        "MEDIA_ROOT": str(tmp_path / "restored-media"),
    }
    if connection.vendor == "postgresql":
        name = f"xietong_scale_restore_{uuid.uuid4().hex[:8]}"
        admin = psycopg2.connect(dbname="postgres", **POSTGRES)
        admin.autocommit = True
        admin.cursor().execute(f"CREATE DATABASE {name}")
        yield {**environment, "DATABASE_URL": f"postgres://postgres@127.0.0.1:5432/{name}"}
        admin.cursor().execute(f"DROP DATABASE IF EXISTS {name} WITH (FORCE)")
        admin.close()
    else:
        yield {**environment, "DATABASE_URL": f"sqlite:///{tmp_path / 'restored.sqlite3'}"}


def manage(environment: dict, *arguments: str) -> subprocess.CompletedProcess:
    return subprocess.run(
        [sys.executable, *arguments],
        cwd=ROOT,
        env=environment,
        capture_output=True,
        text=True,
        timeout=300,
    )


def test_a_restored_installation_is_identical(installation, empty_target, tmp_path, settings):
    folder = tmp_path / "backup"
    call_command("backup", str(folder))
    before = json.loads(json.dumps(fingerprint(), ensure_ascii=False, default=str))
    assert before["trace"] and before["numbers"] and before["files"]["default"]
    assert before["files"]["private"] == {
        "knowledge/2026/plan.txt": before["files"]["private"]["knowledge/2026/plan.txt"]
    }

    restored = manage(empty_target, "manage.py", "restore", str(folder))
    assert restored.returncode == 0, restored.stdout + restored.stderr
    assert "entries indexed." in restored.stdout

    verified = manage(empty_target, "manage.py", "verify_trace", "--all")
    assert verified.returncode == 0, verified.stderr
    assert "2 document(s) checked; every trace is intact." in verified.stdout
    after = manage(empty_target, "-m", "tests.operations.fingerprint")
    assert after.returncode == 0, after.stderr
    assert json.loads(after.stdout) == before


def test_restore_refuses_a_damaged_backup_and_a_database_in_use(installation, tmp_path):
    folder = tmp_path / "backup"
    call_command("backup", str(folder))
    manifest = json.loads((folder / "manifest.json").read_text())

    with pytest.raises(CommandError, match="not empty"):
        call_command("restore", str(folder))

    first_file = folder / "files" / "default" / manifest["files"][0]["name"]
    first_file.write_bytes(b"tampered")
    with pytest.raises(CommandError, match="does not match its checksum"):
        call_command("restore", str(folder))

    with pytest.raises(CommandError, match="is not empty"):
        call_command("backup", str(folder))


def test_backup_never_writes_into_a_folder_that_holds_something(tmp_path, media):
    shutil.copytree(Path(__file__).parent, tmp_path / "occupied")
    with pytest.raises(CommandError, match="is not empty"):
        call_command("backup", str(tmp_path / "occupied"))


def test_a_restore_forgets_what_the_cache_kept_of_the_database_before(monkeypatch, tmp_path):
    from django.core.cache import cache

    from operations import backup

    cache.set("home:content-version", 41, None)
    monkeypatch.setattr(backup, "read_manifest", lambda folder: {"database": {}, "files": []})
    monkeypatch.setattr(backup, "_database_is_empty", lambda: True)
    monkeypatch.setattr(backup, "files_of", lambda alias: iter(()))
    monkeypatch.setattr(backup, "_restore_database", lambda folder, database: None)
    backup.restore(tmp_path)
    assert cache.get("home:content-version") is None

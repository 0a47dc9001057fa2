"""`manage.py doctor`: silent on a sound installation, one line per problem otherwise."""

import os
import subprocess
import sys
from pathlib import Path

import pytest
from django.core.management import call_command
from django.core.management.base import CommandError
from django.test import override_settings

from operations import doctor

pytestmark = pytest.mark.django_db
ROOT = Path(__file__).resolve().parents[2]


def test_a_sound_installation_has_no_problem(capsys):
    call_command("doctor")

    assert capsys.readouterr().out.strip() == "No problems found."


def test_each_problem_is_one_line_and_the_exit_status_is_not_zero(tmp_path, monkeypatch):
    monkeypatch.setattr(doctor, "REQUIRED_FONTS", ("Noto Serif CJK SC", "No Such Face"))
    monkeypatch.setattr(doctor, "OCR_LANGUAGES", "chi_sim+xyz")
    bad_ca = tmp_path / "ca.pem"
    bad_ca.write_text("not a certificate")
    monkeypatch.setenv("LDAP_CA_FILE", str(bad_ca))
    unwritable = tmp_path / "file-not-folder"
    unwritable.write_text("")
    storages_setting = {
        "default": {"BACKEND": "django.core.files.storage.FileSystemStorage"},
        "private": {
            "BACKEND": "django.core.files.storage.FileSystemStorage",
            "OPTIONS": {"location": str(unwritable)},
        },
        "staticfiles": {"BACKEND": "django.contrib.staticfiles.storage.StaticFilesStorage"},
    }
    with override_settings(STORAGES=storages_setting):
        problems = doctor.problems()

    assert [problem.split(":")[0] for problem in problems] == [
        "fonts",
        "ocr",
        "storage private",
        "certificates",
    ]
    assert "No Such Face" in problems[0]
    assert "tesseract-ocr-xyz" in problems[1]
    assert all("\n" not in problem for problem in problems)


@override_settings(ELASTICSEARCH_URL="http://127.0.0.1:9", INTRANET_REQUIRE_SHARED_CACHE=True)
def test_a_process_local_cache_and_an_unreachable_elasticsearch_are_named():
    problems = doctor.problems()

    assert any(p.startswith("cache: each process has its own memory cache") for p in problems)
    assert any(p.startswith("search: Elasticsearch at http://127.0.0.1:9") for p in problems)


def test_the_command_exits_with_status_one_and_names_the_problem(tmp_path):
    environment = {
        **os.environ,
        "DJANGO_SETTINGS_MODULE": "intranet.settings.test",
        "DATABASE_URL": f"sqlite:///{tmp_path / 'db.sqlite3'}",
        "LDAP_CA_FILE": str(tmp_path / "missing.pem"),
    }
    completed = subprocess.run(
        [sys.executable, "manage.py", "doctor"],
        cwd=ROOT,
        env=environment,
        capture_output=True,
        text=True,
        timeout=120,
    )

    assert completed.returncode == 1
    assert "certificates: LDAP_CA_FILE=" in completed.stderr


def test_call_command_raises_on_problems(monkeypatch):
    monkeypatch.setattr(doctor, "REQUIRED_FONTS", ("No Such Face",))
    with pytest.raises(CommandError, match="1 problem"):
        call_command("doctor")

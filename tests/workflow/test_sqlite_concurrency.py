"""The SQLite default under a crowd: eight people each carry their own document from draft to
dispatch at the same moment, through the screens, on a database file; then two tabs send the
same decision at once. No request fails; one of the two is told the task was already handled."""

import json
import os
import shutil
import subprocess
import sys
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[2]
ALREADY_HANDLED = "该任务已被处理（或已撤回），本次操作未作任何更改。"
DONE = "已办理：两人同时审核的通知"


@pytest.mark.django_db
def test_eight_people_at_once_on_sqlite_meet_no_error(sqlite_schema_file, tmp_path):
    database = tmp_path / "db.sqlite3"
    if sqlite_schema_file:
        shutil.copy(sqlite_schema_file, database)
    environment = {
        **os.environ,
        "DATABASE_URL": f"sqlite:///{database}",
        "DJANGO_SETTINGS_MODULE": "intranet.settings.test",
    }
    result = subprocess.run(
        [sys.executable, "-m", "tests.workflow.sqlite_crowd", str(tmp_path / "media")],
        cwd=ROOT,
        env=environment,
        capture_output=True,
        text=True,
        timeout=900,
    )
    assert result.returncode == 0, result.stderr[-3000:]
    figures = json.loads(result.stdout.strip().splitlines()[-1])

    assert figures["journal_mode"] == "wal"
    assert figures["problems"] == []
    assert figures["statuses"] == ["dispatched"] * 8
    assert figures["numbers"] == [f"甲拖〔{figures['year']}〕{n}号" for n in range(1, 9)]
    assert figures["pdfs"] == 8
    print(f"8 documents through 10 steps at once on SQLite: {figures['crowd_seconds']} s")

    outcomes = figures["contested_outcomes"]
    assert sorted(outcome["status"] for outcome in outcomes) == [302, 302]
    pages = [outcome["page"] for outcome in outcomes]
    assert sum(DONE in page for page in pages) == 1
    assert sum(ALREADY_HANDLED in page for page in pages) == 1
    assert figures["contested_approvals"] == 1

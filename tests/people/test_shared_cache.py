"""A role revoked in one application process is no longer honoured by another, at once: the
processes share Redis. With a per-process cache the other process would keep the role, which is
why production refuses one (tests/intranet/test_environment.py)."""

import json
import os
import shutil
import subprocess
import sys
import uuid
from pathlib import Path

import pytest
import redis

from people.models import Role

pytestmark = pytest.mark.django_db

ROOT = Path(__file__).resolve().parents[2]
REDIS_URL = "redis://127.0.0.1:6379/15"


class ApplicationProcess:
    """tests/people/shared_cache_probe.py in a process of its own."""

    def __init__(self, environment: dict, log: Path):
        # The log goes to a file: a pipe nobody reads would block the process once full.
        self.log = log
        with log.open("w") as stderr:
            self.process = subprocess.Popen(
                [sys.executable, "-m", "tests.people.shared_cache_probe"],
                cwd=ROOT,
                env=environment,
                stdin=subprocess.PIPE,
                stdout=subprocess.PIPE,
                stderr=stderr,
                text=True,
            )

    def ask(self, command: str):
        self.process.stdin.write(command + "\n")
        self.process.stdin.flush()
        answer = self.process.stdout.readline()
        assert answer, self.log.read_text()[-3000:]
        return json.loads(answer)

    def close(self) -> None:
        self.process.stdin.close()
        try:
            self.process.wait(timeout=60)
        except subprocess.TimeoutExpired:
            self.process.kill()


@pytest.fixture
def redis_client():
    client = redis.Redis.from_url(REDIS_URL)
    try:
        client.ping()
    except redis.ConnectionError:
        pytest.skip(f"no Redis at {REDIS_URL}")
    yield client
    client.close()


@pytest.fixture
def environment(sqlite_schema_file, tmp_path):
    database = tmp_path / "db.sqlite3"
    if sqlite_schema_file:
        shutil.copy(sqlite_schema_file, database)
    ignored = {"CACHE_URL", "CACHE_KEY_PREFIX"}
    return {
        **{name: value for name, value in os.environ.items() if name not in ignored},
        "DATABASE_URL": f"sqlite:///{database}",
        "DJANGO_SETTINGS_MODULE": "intranet.settings.test",
    }


def revoke_in_another_process(environment, logs: Path) -> list[str]:
    """Process A reads (and caches) the admin's roles, B revokes the role, A reads again."""
    reader = ApplicationProcess(environment, logs / "reader.log")
    writer = ApplicationProcess(environment, logs / "writer.log")
    try:
        reader.ask("setup")
        assert reader.ask("roles") == [Role.UNIT_ADMIN]
        writer.ask("revoke")
        return reader.ask("roles")
    finally:
        reader.close()
        writer.close()


def test_a_revoke_takes_effect_in_the_other_process_at_once(environment, redis_client, tmp_path):
    prefix = f"xietong-test-{uuid.uuid4().hex}"
    environment.update({"CACHE_URL": REDIS_URL, "CACHE_KEY_PREFIX": prefix})
    try:
        assert revoke_in_another_process(environment, tmp_path) == []

        keys = redis_client.keys(f"{prefix}:*")
        assert keys, "the processes cached nothing in Redis"
        assert all(redis_client.ttl(key) > 0 for key in keys), "a key never expires"
    finally:
        for key in redis_client.scan_iter(f"{prefix}:*"):
            redis_client.delete(key)


def test_with_a_cache_in_each_process_the_other_keeps_the_revoked_role(environment, tmp_path):
    assert revoke_in_another_process(environment, tmp_path) == [Role.UNIT_ADMIN]

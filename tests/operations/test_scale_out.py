"""Scale-out on loopback: two application instances (gunicorn, two workers each, production
settings) and a `db_worker`, sharing one database, Redis, an OpenSearch-compatible server (osmem)
and an S3-compatible server (moto), all started here.

The database is PostgreSQL when the suite runs on PostgreSQL, else one SQLite file in WAL mode
(which several processes on one host may share; docs/deploy.md keeps SQLite to one host).
"""

import json
import os
import re
import shutil
import signal
import socket
import sqlite3
import subprocess
import sys
import time
import uuid
from pathlib import Path

import boto3
import psycopg2
import pytest
import redis
import requests
from django.db import connection

pytestmark = [pytest.mark.django_db, pytest.mark.scale_out]

ROOT = Path(__file__).resolve().parents[2]
REDIS_URL = "redis://127.0.0.1:6379/14"
POSTGRES = {"host": "127.0.0.1", "port": 5432, "user": "postgres"}
BUCKET = "xietong-scale"
PASSWORD = "Test-pass-2026"
HTTPS = {"X-Forwarded-Proto": "https"}


def free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


def wait_until(condition, timeout: float, what: str, interval: float = 0.1):
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        result = condition()
        if result:
            return result
        time.sleep(interval)
    raise AssertionError(f"timed out waiting for {what}")


class Processes:
    """Started processes, each logging to a file; all are ended at the end of the test."""

    def __init__(self, logs: Path, environment: dict):
        self.logs, self.environment, self.running = logs, environment, []

    def start(self, name: str, command: list[str]) -> subprocess.Popen:
        with (self.logs / f"{name}.log").open("w") as log:
            process = subprocess.Popen(
                command, cwd=ROOT, env=self.environment, stdout=log, stderr=subprocess.STDOUT
            )
        self.running.append(process)
        return process

    def run(self, name: str, command: list[str]) -> str:
        started = time.monotonic()
        completed = subprocess.run(
            command, cwd=ROOT, env=self.environment, capture_output=True, text=True, timeout=240
        )
        assert completed.returncode == 0, completed.stdout + completed.stderr
        print(f"{name}: {time.monotonic() - started:.1f} s")
        return completed.stdout

    def manage(self, *arguments: str) -> str:
        return self.run(arguments[0], [sys.executable, "manage.py", *arguments])

    def log(self, name: str) -> str:
        return (self.logs / f"{name}.log").read_text(errors="replace")[-4000:]

    def stop(self, process: subprocess.Popen) -> None:
        process.terminate()
        process.wait(timeout=30)

    def stop_all(self) -> None:
        for process in self.running:
            if process.poll() is None:
                process.terminate()
        for process in self.running:
            try:
                process.wait(timeout=15)
            except subprocess.TimeoutExpired:
                process.kill()


@pytest.fixture(scope="module")
def redis_prefix():
    client = redis.Redis.from_url(REDIS_URL)
    try:
        client.ping()
    except redis.ConnectionError:
        pytest.skip(f"no Redis at {REDIS_URL}")
    prefix = f"xietong-scale-{uuid.uuid4().hex}"
    yield prefix
    for key in client.scan_iter(f"{prefix}:*"):
        client.delete(key)
    client.close()


@pytest.fixture(scope="module")
def shared_database(sqlite_schema_file, tmp_path_factory):
    """(DATABASE_URL, a function counting the outbox rows still waiting)."""
    if connection.vendor == "postgresql":
        name = f"xietong_scale_{uuid.uuid4().hex[:12]}"
        admin = psycopg2.connect(dbname="postgres", **POSTGRES)
        admin.autocommit = True
        admin.cursor().execute(f"CREATE DATABASE {name}")

        def pending() -> int:
            with psycopg2.connect(dbname=name, **POSTGRES) as reader, reader.cursor() as cursor:
                cursor.execute("SELECT count(*) FROM search_outboxentry WHERE done_at IS NULL")
                return cursor.fetchone()[0]

        yield f"postgres://postgres@127.0.0.1:5432/{name}", pending
        admin.cursor().execute(f"DROP DATABASE IF EXISTS {name} WITH (FORCE)")
        admin.close()
        return
    path = tmp_path_factory.mktemp("database") / "shared.sqlite3"
    if sqlite_schema_file:
        shutil.copy(sqlite_schema_file, path)

    def pending() -> int:
        with sqlite3.connect(path, timeout=20) as reader:
            query = "SELECT count(*) FROM search_outboxentry WHERE done_at IS NULL"
            return reader.execute(query).fetchone()[0]

    yield f"sqlite:///{path}", pending


@pytest.fixture(scope="module")
def site(shared_database, redis_prefix, osmem_server, tmp_path_factory):
    """The installation, one for the module's tests (it takes a minute to start):
    (processes, instance URLs, outbox counter, ids of what setup made)."""
    database_url, pending = shared_database
    osmem = osmem_server.clone()
    tmp_path = tmp_path_factory.mktemp("site")
    s3_port = free_port()
    environment = {
        **{k: v for k, v in os.environ.items() if not k.startswith(("CACHE_", "S3_"))},
        "DJANGO_SETTINGS_MODULE": "tests.operations.scale_settings",
        "SECRET_KEY": "scale-out-test-key",
        "ALLOWED_HOSTS": "127.0.0.1",
        "DATABASE_URL": database_url,
        "CACHE_URL": REDIS_URL,
        "CACHE_KEY_PREFIX": redis_prefix,
        "ELASTICSEARCH_URL": osmem.url,
        "ELASTICSEARCH_SERVER_MODE": "serverless",
        "SEARCH_INDEX_ALIAS": f"scale-{uuid.uuid4().hex[:8]}",
        "S3_BUCKET": BUCKET,
        "S3_ENDPOINT_URL": f"http://127.0.0.1:{s3_port}",
        "S3_ACCESS_KEY_ID": "scale",
        "S3_SECRET_ACCESS_KEY": "scale-secret",
        "MEDIA_ROOT": str(tmp_path / "no-media-on-disk"),
        "LOG_FORMAT": "json",
    }
    logs = tmp_path / "logs"
    logs.mkdir()
    processes = Processes(logs, environment)
    try:
        processes.start("s3", [sys.executable, "-m", "moto.server", "-p", str(s3_port)])
        # The schema, the users and the search index, in one process (each start costs seconds).
        made = json.loads(
            processes.run("setup", [sys.executable, "-m", SITE, "setup"]).splitlines()[-1]
        )
        urls = []
        for name in ("app1", "app2"):
            port = free_port()
            gunicorn = [sys.executable, "-m", "gunicorn", "intranet.wsgi", "-w", "2", "--preload"]
            processes.start(name, [*gunicorn, "-b", f"127.0.0.1:{port}"])
            urls.append(f"http://127.0.0.1:{port}")
        wait_until(lambda: _answers(f"http://127.0.0.1:{s3_port}/"), 30, "the S3 server")
        boto3.client(
            "s3",
            endpoint_url=environment["S3_ENDPOINT_URL"],
            aws_access_key_id="scale",
            aws_secret_access_key="scale-secret",
            region_name="us-east-1",
        ).create_bucket(Bucket=BUCKET)
        for url, name in zip(urls, ("app1", "app2"), strict=True):
            wait_until(lambda u=url: _answers(f"{u}/healthz"), 60, f"{name}: {processes.log(name)}")
        yield processes, urls, pending, made
    finally:
        processes.stop_all()
        osmem.close()


SITE = "tests.operations.scale_site"


def _answers(url: str) -> bool:
    try:
        return requests.get(url, timeout=5).status_code < 500
    except requests.RequestException:
        return False


class Browser:
    """A signed-in user whose session cookie is sent to whichever instance it asks."""

    def __init__(self, login_url: str, username: str):
        self.session = requests.Session()
        self.session.headers.update(HTTPS)
        page = self.session.get(f"{login_url}/accounts/login/")
        response = self.session.post(
            f"{login_url}/accounts/login/",
            data={"username": username, "password": PASSWORD, "csrfmiddlewaretoken": _csrf(page)},
            headers={"Referer": f"https://127.0.0.1{login_url[-6:]}/accounts/login/"},
            allow_redirects=False,
        )
        assert response.status_code == 302, response.text[:2000]

    def get(self, url: str, **kwargs) -> requests.Response:
        return self.session.get(url, allow_redirects=False, timeout=30, **kwargs)

    def post(self, url: str, form_page: str, data: dict, headers=(), **kwargs):
        page = self.get(form_page)
        return self.session.post(
            url,
            data={**data, "csrfmiddlewaretoken": _csrf(page)},
            headers={"Referer": form_page.replace("http://", "https://"), **dict(headers)},
            allow_redirects=False,
            timeout=30,
            **kwargs,
        )


def _csrf(page: requests.Response) -> str:
    return re.search(r'name="csrfmiddlewaretoken" value="([^"]+)"', page.text).group(1)


def test_two_instances_and_a_worker_share_everything(site):
    processes, (one, two), pending, made = site
    worker = processes.start("worker", [sys.executable, "manage.py", "db_worker"])
    root = Browser(one, "root")
    employee = Browser(two, "employee")

    # Instance 2 caches the notice list before instance 1 publishes.
    assert "关于扩容演练的通知" not in employee.get(f"{two}/").text
    bulk = f"{one}/admin/bulk/wagtailcore/page/publish/?id={made['notice']}"
    assert root.post(bulk, bulk, {}).status_code == 302
    assert "关于扩容演练的通知" in employee.get(f"{two}/").text

    # The worker sends the outbox to the search server; instance 2 finds the notice there.
    wait_until(lambda: pending() == 0, 30, f"the outbox to drain: {processes.log('worker')}")
    found = employee.get(f"{two}/search/", params={"q": "扩容演练"}).text
    assert "关于扩容演练的通知" in re.sub(r"<[^>]+>", "", found)  # without the highlighting
    readiness = root.get(f"{one}/readyz").json()
    assert readiness["status"] == "ok", readiness

    # A document uploaded through instance 1 lands in the bucket and downloads through instance 2.
    content = "扩容演练的附件。".encode() * 1000
    added = root.post(
        f"{one}/admin/documents/multiple/add/",
        f"{one}/admin/documents/multiple/add/",
        {"collection": "1", "title": "演练附件"},
        files={"files[]": ("drill.txt", content, "text/plain")},
        headers={"X-Requested-With": "XMLHttpRequest"},
    )
    assert added.status_code == 200, added.text[:2000]
    document_id = added.json()["doc_id"]
    downloaded = root.get(f"{two}/documents/{document_id}/drill.txt")
    assert downloaded.status_code == 200
    assert b"".join(downloaded.iter_content()) == content
    assert not (Path(processes.environment["MEDIA_ROOT"]) / "documents").exists()

    # A role revoked through instance 1 stops working on both at once.
    unit_admin = Browser(one, "unitadmin")
    for instance in (one, two):
        assert unit_admin.get(f"{instance}/people/admin/users/").status_code == 200
    person = f"{one}/people/admin/users/{made['unit_admin']}/"
    revoked = root.post(f"{person}roles/{made['assignment']}/revoke/", person, {})
    assert revoked.status_code == 302, revoked.text[:2000]
    for instance in (one, two):
        assert unit_admin.get(f"{instance}/people/admin/users/").status_code == 403
    processes.stop(worker)


def test_a_worker_killed_in_a_drain_loses_nothing(site):
    processes, _urls, pending, _made = site
    processes.run("flood", [sys.executable, "-m", SITE, "flood", "3000"])
    assert pending() >= 3000

    first = processes.start("worker1", [sys.executable, "manage.py", "db_worker"])
    wait_until(
        lambda: pending() < 2900, 60, f"the drain to start: {processes.log('worker1')}", 0.02
    )
    first.send_signal(signal.SIGKILL)
    first.wait()
    left = pending()
    assert left > 0, "the worker finished before it was stopped"

    processes.start("worker2", [sys.executable, "manage.py", "db_worker"])
    wait_until(lambda: pending() == 0, 60, f"the second worker: {processes.log('worker2')}")

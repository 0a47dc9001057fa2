"""Liveness and readiness: what a load balancer and an operator learn, and what nobody else does."""

import json
import logging
from datetime import timedelta

import pytest
from django.core.management import call_command
from django.test import override_settings
from django.utils import timezone

from operations import health, heartbeat
from operations.json_logs import JsonFormatter
from operations.request_id import HEADER, RequestIdFilter
from search.models import OutboxEntry
from tests.factories import UserFactory

pytestmark = pytest.mark.django_db

DB_WORKER = {"default": {"BACKEND": "django_tasks_db.DatabaseBackend"}}


def test_liveness_answers_anonymous_callers_without_the_database(client, django_assert_num_queries):
    with django_assert_num_queries(0):
        response = client.get("/healthz")

    assert response.status_code == 200
    assert response.json() == {"status": "ok"}


def test_readiness_reports_each_check_as_ok_or_fail_only_to_anonymous_callers(client):
    heartbeat.beat()

    response = client.get("/readyz")

    assert response.status_code == 200
    assert response.json() == {
        "status": "ok",
        "checks": dict.fromkeys(("database", "cache", "search", "outbox", "worker"), "ok"),
    }
    assert response["Cache-Control"].startswith("max-age=0")


@override_settings(TASKS=DB_WORKER)
def test_without_a_worker_heartbeat_readiness_fails_without_saying_why(client):
    response = client.get("/readyz")

    assert response.status_code == 503
    body = response.json()
    assert body["checks"]["worker"] == "fail"
    assert "details" not in body


@override_settings(TASKS=DB_WORKER)
def test_a_stale_heartbeat_fails_and_a_fresh_one_passes(client, monkeypatch):
    heartbeat.beat()
    assert client.get("/readyz").json()["checks"]["worker"] == "ok"

    later = heartbeat.time.time() + heartbeat.STALE_SECONDS + 1
    monkeypatch.setattr(heartbeat.time, "time", lambda: later)
    assert client.get("/readyz").json()["checks"]["worker"] == "fail"


def test_an_outbox_row_waiting_too_long_fails_readiness(client):
    heartbeat.beat()
    OutboxEntry.objects.create(kind="notice", key="1")
    assert client.get("/readyz").json()["checks"]["outbox"] == "ok"

    OutboxEntry.objects.update(created=timezone.now() - timedelta(minutes=10))
    response = client.get("/readyz")

    assert response.status_code == 503
    assert response.json()["checks"]["outbox"] == "fail"


def test_a_database_error_is_a_failed_check_not_a_server_error(client, monkeypatch):
    def broken():
        raise RuntimeError("password authentication failed for user secret")

    monkeypatch.setitem(health.CHECKS, "database", broken)

    response = client.get("/readyz")

    assert response.status_code == 503
    assert response.json()["checks"]["database"] == "fail"
    assert b"secret" not in response.content


@override_settings(TASKS=DB_WORKER)
def test_superusers_see_the_details_and_ordinary_users_do_not(client):
    employee = UserFactory()
    client.force_login(employee)
    assert "details" not in client.get("/readyz").json()

    client.force_login(UserFactory(is_superuser=True, is_staff=True))
    details = client.get("/readyz").json()["details"]
    assert details["worker"] == "no worker has been seen"
    assert details["database"] in {"sqlite", "postgresql"}


def test_every_response_carries_a_request_id_and_keeps_a_well_formed_one_from_the_proxy(client):
    made = client.get("/healthz")[HEADER]
    assert len(made) == 32

    assert client.get("/healthz", headers={HEADER: "proxy-1234abcd"})[HEADER] == "proxy-1234abcd"
    injected = client.get("/healthz", headers={HEADER: 'x" level=ERROR\n'})[HEADER]
    assert injected != 'x" level=ERROR\n' and len(injected) == 32


def test_log_lines_are_json_with_the_request_id(client, monkeypatch):
    records = []

    class Keep(logging.Handler):
        def emit(self, record):
            records.append(record)

    handler = Keep()
    handler.addFilter(RequestIdFilter())
    logger = logging.getLogger("operations.test")
    logger.addHandler(handler)
    monkeypatch.setattr(
        "operations.views.run_checks", lambda: logger.warning("checked", extra={"n": 1}) or {}
    )
    try:
        response = client.get("/readyz")
    finally:
        logger.removeHandler(handler)

    line = json.loads(JsonFormatter().format(records[0]))
    assert line["request_id"] == response[HEADER]
    assert line["message"] == "checked"
    assert line["level"] == "WARNING"
    assert line["n"] == 1
    assert line["logger"] == "operations.test"


@pytest.mark.django_db(transaction=True)
@override_settings(TASKS=DB_WORKER)
def test_the_db_worker_beats_while_it_runs(client):
    assert heartbeat.last_seen() is None

    call_command("db_worker", "--batch", "--no-startup-delay")

    assert heartbeat.last_seen() < 5
    assert client.get("/readyz").json()["checks"]["worker"] == "ok"

"""The inbox with 100,000 notifications, and a notice's fan-out to the whole group.

Run from the repository root: `.venv/bin/python bench/notifications.py`. Builds a temporary
SQLite database with one employee whose inbox holds BENCH_INBOX_SIZE notifications (100,000 by
default: five kinds, every other one read, one a minute back in time), then, in-process with
Django's test client signed in as that employee, counts the SQL queries of the inbox (first page,
last page, unread only, one kind), of the API list and of the unread count, and times RENDERS
requests of each (median and p95). Then it puts one notice into the inboxes of BENCH_AUDIENCE
accounts (20,000 by default) through `notify`, as a notice to the whole group does. Prints the
figures and writes bench/results/notifications.json. A p95 over 100 ms, more than MAX_QUERIES
queries on a request, or any answer other than 200, fails the run.
"""

import os
import statistics
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
if str(ROOT) not in sys.path:
    sys.path.insert(0, str(ROOT))

from bench.harness import (  # noqa: E402
    finish,
    query_bound_breaches,
    require_status_ok,
    setup_in_process_django,
)

INBOX_SIZE = int(os.environ.get("BENCH_INBOX_SIZE", "100000"))
AUDIENCE = int(os.environ.get("BENCH_AUDIENCE", "20000"))
RENDERS = int(os.environ.get("BENCH_NOTIFICATION_RENDERS", "60"))
MAX_QUERIES = 6
P95_BOUND_MS = 100


def main() -> None:
    with tempfile.TemporaryDirectory() as workdir:
        setup_in_process_django(workdir)
        figures = {"inbox_size": INBOX_SIZE, "audience": AUDIENCE}
        user, seconds = prepare()
        figures["seed_seconds"] = round(seconds, 1)
        figures["requests"] = measure_requests(user)
        figures["fan_out"] = measure_fan_out()
    report(figures)


def prepare():
    from django.core.management import call_command
    from django.db import transaction
    from django.utils import timezone

    from notifications.models import Notification
    from notifications.registry import kinds
    from people.models import User
    from tests.conftest import restore_wagtail_base_rows

    started = time.perf_counter()
    call_command("migrate", verbosity=0)
    restore_wagtail_base_rows()
    user = User.objects.create_user(username="heyan", name="何燕", password="x")
    keys = [kind.key for kind in kinds()]
    now = timezone.now()
    with transaction.atomic():
        batch = []
        for number in range(INBOX_SIZE):
            created = now - timezone.timedelta(minutes=number)
            batch.append(
                Notification(
                    recipient=user,
                    kind=keys[number % len(keys)],
                    title=f"基准消息{number:06d}",
                    url="/",
                    created_at=created,
                    read_at=created if number % 2 else None,
                )
            )
            if len(batch) == 5000:
                Notification.objects.bulk_create(batch)
                batch = []
        Notification.objects.bulk_create(batch)
    return user, time.perf_counter() - started


def measure_requests(user) -> dict:
    from django.db import connection
    from django.test import Client
    from django.test.utils import CaptureQueriesContext

    from notifications.views import PER_PAGE

    client = Client()
    client.force_login(user)
    last_page = -(-INBOX_SIZE // PER_PAGE)
    views = {
        "inbox": ("/notifications/", {}),
        "inbox_last_page": ("/notifications/", {"page": last_page}),
        "inbox_unread": ("/notifications/", {"unread": "on"}),
        "inbox_one_kind": ("/notifications/", {"kind": "workflow.task"}),
        "api_list": ("/api/notifications", {"page_size": 50}),
        "api_unread_count": ("/api/notifications/unread-count", {}),
    }
    results = {}
    for name, (url, query) in views.items():
        require_status_ok(url, client.get(url, query).status_code)  # warm
        with CaptureQueriesContext(connection) as queries:
            require_status_ok(url, client.get(url, query).status_code)
        # Read now: every request clears the connection's log the capture is a view of.
        query_count = len(queries)
        timings = []
        for _ in range(RENDERS):
            started = time.perf_counter()
            require_status_ok(url, client.get(url, query).status_code)
            timings.append((time.perf_counter() - started) * 1000)
        results[name] = {
            "queries": query_count,
            "median_ms": round(statistics.median(timings), 1),
            "p95_ms": round(statistics.quantiles(timings, n=20)[-1], 1),
        }
    return results


def measure_fan_out() -> dict:
    from django.contrib.auth.hashers import make_password
    from django.db import connection, reset_queries, transaction
    from django.test.utils import CaptureQueriesContext

    from notifications.services import notify
    from people.models import PermissionRequest, User

    unusable = make_password(None)
    User.objects.bulk_create(
        [User(username=f"staff{n:06d}", password=unusable) for n in range(AUDIENCE)],
        batch_size=2000,
    )
    audience = User.objects.filter(username__startswith="staff")
    source = PermissionRequest.objects.create(
        requester=User.objects.get(username="heyan"), role="file_clerk", reason="bench"
    )
    reset_queries()
    started = time.perf_counter()
    with CaptureQueriesContext(connection) as queries, transaction.atomic():
        created = notify(audience, kind="home.notice", title="全集团通知", url="/", source=source)
    query_count = len(queries)
    elapsed = time.perf_counter() - started
    started = time.perf_counter()
    with transaction.atomic():
        again = notify(audience, kind="home.notice", title="全集团通知", url="/", source=source)
    repeat = time.perf_counter() - started
    if (created, again) != (AUDIENCE, 0):
        raise SystemExit(f"bench failed: fan-out created {created}, then {again}")
    return {
        "notifications": created,
        "seconds": round(elapsed, 2),
        "queries": query_count,
        "republish_seconds": round(repeat, 2),
    }


def report(figures: dict) -> None:
    print(
        f"Inbox of {figures['inbox_size']:,} notifications (seeded in {figures['seed_seconds']} s)"
    )
    failures = []
    for name, result in figures["requests"].items():
        print(
            f"  {name:18} {result['queries']:>2} queries  median {result['median_ms']:>6} ms  "
            f"p95 {result['p95_ms']:>6} ms"
        )
        if result["p95_ms"] > P95_BOUND_MS:
            failures.append(f"{name}: p95 {result['p95_ms']} ms, bound {P95_BOUND_MS} ms")
    failures += query_bound_breaches(
        {name: result["queries"] for name, result in figures["requests"].items()}, MAX_QUERIES
    )
    fan_out = figures["fan_out"]
    print(
        f"Fan-out to {fan_out['notifications']:,} accounts: {fan_out['seconds']} s, "
        f"{fan_out['queries']} queries; again (nothing new): {fan_out['republish_seconds']} s"
    )
    finish("notifications", figures, failures)


if __name__ == "__main__":
    main()

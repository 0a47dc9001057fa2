"""Usage statistics at scale: 1,000,000 trace rows and 200,000 logins.

Run from the repository root: `.venv/bin/python bench/stats.py`. Builds a temporary SQLite
database with BENCH_STATS_UNITS units (20) of 100 accounts each, and over the last
BENCH_STATS_DAYS days (90, ending today) BENCH_STATS_TRACE trace rows (1,000,000: each of
250,000 done tasks has an opening and a completing entry, and the rest are dispatches,
registrations and edits) and BENCH_STATS_LOGINS access-log rows (200,000), written with bulk SQL.
Then it times the rollup of one busy day (bound 10 s), rolls up every day before today, and,
in-process with Django's test client signed in as a system administrator, counts the queries of
the group view (this month, the whole range) and the unit view and times RENDERS requests of each
(median and p95, with today's live figures cached as on a busy server; the first, uncached render
is reported too). A p95 over 300 ms, a rollup over 10 s, more than 15 queries on a request, or any
answer other than 200 fails the run. Prints the figures and writes bench/results/stats.json.

Seeding takes minutes: with BENCH_STATS_KEEP=DIR the database is built under DIR and kept, and a
later run with the same DIR migrates it and measures again without seeding (the rollup of every
day is redone, so a changed rollup is measured on its own rows). Each render's CPU time in this
process (time.process_time) is reported beside its wall time: on a loaded machine it is the
steadier figure.
"""

import contextlib
import os
import random
import statistics
import sys
import tempfile
import time
from datetime import UTC, datetime, timedelta
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

UNITS = int(os.environ.get("BENCH_STATS_UNITS", "20"))
ACCOUNTS_PER_UNIT = 100
DAYS = int(os.environ.get("BENCH_STATS_DAYS", "90"))
TRACE_ROWS = int(os.environ.get("BENCH_STATS_TRACE", "1000000"))
LOGINS = int(os.environ.get("BENCH_STATS_LOGINS", "200000"))
RENDERS = int(os.environ.get("BENCH_STATS_RENDERS", "30"))
P95_BOUND_MS = 300
ROLLUP_BOUND_S = 10
MAX_QUERIES = 15
BATCH = 20000
STEPS = ["draft", "check", "verify", "sign_off", "numbering", "proofread"]


def main() -> None:
    random.seed(18)
    kept = os.environ.get("BENCH_STATS_KEEP")
    with contextlib.nullcontext(kept) if kept else tempfile.TemporaryDirectory() as workdir:
        Path(workdir).mkdir(parents=True, exist_ok=True)
        seeded = (Path(workdir) / "bench.sqlite3").exists()
        setup_in_process_django(workdir)
        figures = {"units": UNITS, "days": DAYS, "trace_rows": TRACE_ROWS, "logins": LOGINS}
        started = time.perf_counter()
        admin = reuse() if seeded else seed()
        figures["seed_seconds"] = round(time.perf_counter() - started, 1)
        figures.update(measure_rollup())
        figures["requests"] = measure_requests(admin)
    report(figures)


def reuse():
    from django.core.management import call_command

    from people.models import User

    call_command("migrate", verbosity=0)
    return User.objects.get(username="bench-admin")


def _sql_time(moment: datetime) -> str:
    return moment.astimezone(UTC).strftime("%Y-%m-%d %H:%M:%S.%f")


def _insert(table: str, columns: list[str], rows) -> None:
    from django.db import connection

    sql = f"INSERT INTO {table} ({', '.join(columns)}) VALUES ({', '.join(['%s'] * len(columns))})"
    batch = []
    with connection.cursor() as cursor:
        for row in rows:
            batch.append(row)
            if len(batch) == BATCH:
                cursor.executemany(sql, batch)
                batch = []
        if batch:
            cursor.executemany(sql, batch)


def _moment(now: datetime) -> datetime:
    """A random instant of the last DAYS days, office hours more likely."""
    day = random.randrange(DAYS)
    return now - timedelta(days=day, seconds=random.randrange(86400))


def seed():
    from django.core.management import call_command
    from django.db import transaction
    from django.utils import timezone

    from people.models import OrgUnit, Role, RoleAssignment, User
    from people.services import org_unit_create
    from tests.conftest import restore_wagtail_base_rows
    from workflow.models import Document

    call_command("migrate", verbosity=0)
    restore_wagtail_base_rows()
    now = timezone.now()
    with transaction.atomic():
        headquarters = org_unit_create(
            parent=None, code="HQ", name="集团总部", kind=OrgUnit.Kind.HEADQUARTERS
        )
        units = [headquarters] + [
            org_unit_create(parent=headquarters, code=f"U{n:02d}", name=f"单位{n:02d}", kind="unit")
            for n in range(1, UNITS)
        ]
        users = []
        for unit in units:
            department = org_unit_create(
                parent=unit, code=f"{unit.code}-BGS", name="办公室", kind="department"
            )
            users += [
                User(
                    username=f"{unit.code.lower()}-{n:03d}", name=f"员工{n}", department=department
                )
                for n in range(ACCOUNTS_PER_UNIT)
            ]
        User.objects.bulk_create(users, batch_size=5000)
        admin = User.objects.create_user(username="bench-admin", name="管理员", password="x")
        RoleAssignment.objects.create(user=admin, role=Role.SYSTEM_ADMIN)
        usernames = [user.username for user in users]
        _insert(
            "axes_accesslog",
            [
                "username",
                "attempt_time",
                "ip_address",
                "user_agent",
                "http_accept",
                "path_info",
                "session_hash",
            ],
            (
                (
                    random.choice(usernames),
                    _sql_time(_moment(now)),
                    "10.0.0.1",
                    "bench",
                    "",
                    "/",
                    "",
                )
                for _ in range(LOGINS)
            ),
        )
        documents_per_unit = TRACE_ROWS // 20 // UNITS
        Document.objects.bulk_create(
            [
                Document(
                    kind="outgoing",
                    title=f"基准公文{n}",
                    unit=unit,
                    deadline=(now - timedelta(days=random.randrange(DAYS))).date(),
                )
                for unit in units
                for n in range(documents_per_unit)
            ],
            batch_size=5000,
        )
        document_ids = list(Document.objects.values_list("pk", flat=True))
        _seed_workflow(document_ids, now)
    return admin


def _seed_workflow(document_ids, now) -> None:
    """One viewflow process per document; 250,000 done tasks with two trace entries each, then
    dispatches, registrations and edits up to TRACE_ROWS."""
    from django.db import connection

    _insert(
        "viewflow_process",
        ["id", "flow_class", "status", "created", "data"],
        ((pk, "workflow/flows.OutgoingFlow", "DONE", _sql_time(now), "{}") for pk in document_ids),
    )
    tasks = TRACE_ROWS // 4
    task_rows, trace_rows = [], []
    serial = 0

    def entry(document, task, step, action, moment):
        nonlocal serial
        serial += 1
        return (
            document,
            task,
            step,
            "员工",
            "",
            "",
            _sql_time(moment),
            action,
            "",
            "[]",
            "{}",
            f"p{serial}",
            f"h{serial}",
        )

    for pk in range(1, tasks + 1):
        document = random.choice(document_ids)
        step = random.choice(STEPS)
        finished = _moment(now)
        created = finished - timedelta(seconds=random.randrange(60, 3 * 86400))
        task_rows.append(
            (
                pk,
                document,
                f"workflow/flows.OutgoingFlow.{step}",
                "HUMAN",
                "DONE",
                _sql_time(created),
                _sql_time(finished),
                "{}",
            )
        )
        trace_rows.append(entry(document, pk, step, "open", created))
        trace_rows.append(entry(document, pk, step, "approve", finished))
    for action in ("dispatch", "register", "edit"):
        for _ in range(
            (TRACE_ROWS - len(trace_rows))
            // (3 if action == "dispatch" else 2 if action == "register" else 1)
        ):
            trace_rows.append(
                entry(random.choice(document_ids), None, "process", action, _moment(now))
            )
    columns = [f.column for f in _task_fields()]
    _insert(
        "viewflow_task",
        [
            "id",
            "process_id",
            "flow_task",
            "flow_task_type",
            "status",
            "created",
            "finished",
            "data",
            *columns,
        ],
        (row + tuple(_task_defaults()) for row in task_rows),
    )
    _insert(
        "workflow_traceentry",
        [
            "document_id",
            "task_id",
            "step",
            "actor_name",
            "on_behalf_of_name",
            "role",
            "created_at",
            "action",
            "opinion",
            "next_users",
            "extra",
            "previous_hash",
            "entry_hash",
        ],
        trace_rows,
    )
    with connection.cursor() as cursor:
        cursor.execute("ANALYZE")


def _task_fields():
    from viewflow.workflow.models import Task

    given = {
        "id",
        "process",
        "flow_task",
        "flow_task_type",
        "status",
        "created",
        "finished",
        "data",
    }
    return [f for f in Task._meta.concrete_fields if f.name not in given and not f.null]


def _task_defaults():
    from django.db import connection

    return [field.get_db_prep_save(field.get_default(), connection) for field in _task_fields()]


def measure_rollup() -> dict:
    from stats.periods import beijing_today
    from stats.services import rollup_range

    today = beijing_today()
    started = time.perf_counter()
    rollup_range(today - timedelta(days=1), today - timedelta(days=1))
    one_day = time.perf_counter() - started
    started = time.perf_counter()
    rollup_range(today - timedelta(days=DAYS), today - timedelta(days=1))
    all_days = time.perf_counter() - started
    return {
        "rollup_one_day_seconds": round(one_day, 2),
        "rollup_all_days_seconds": round(all_days, 1),
    }


def measure_requests(admin) -> dict:
    from django.core.cache import cache
    from django.db import connection
    from django.test import Client
    from django.test.utils import CaptureQueriesContext

    from people.models import OrgUnit
    from stats.periods import beijing_today

    client = Client()
    client.force_login(admin)
    today = beijing_today()
    unit = OrgUnit.objects.get(code="U01")
    whole = (
        f"?period=custom&from={(today - timedelta(days=DAYS)).isoformat()}&to={today.isoformat()}"
    )
    views = {
        "group_this_month": "/stats/group/",
        "group_whole_range": f"/stats/group/{whole}",
        "group_sorted_by_score": f"/stats/group/{whole}&sort=score",
        "unit_this_month": f"/stats/units/{unit.pk}/",
    }
    results = {}
    for name, url in views.items():
        cache.clear()
        started = time.perf_counter()
        require_status_ok(url, client.get(url).status_code)
        cold = (time.perf_counter() - started) * 1000
        with CaptureQueriesContext(connection) as queries:
            require_status_ok(url, client.get(url).status_code)
        query_count = len(queries)
        timings, cpu_timings = [], []
        for _ in range(RENDERS):
            started, cpu_started = time.perf_counter(), time.process_time()
            require_status_ok(url, client.get(url).status_code)
            timings.append((time.perf_counter() - started) * 1000)
            cpu_timings.append((time.process_time() - cpu_started) * 1000)
        results[name] = {
            "queries": query_count,
            "uncached_ms": round(cold, 1),
            "median_ms": round(statistics.median(timings), 1),
            "p95_ms": round(statistics.quantiles(timings, n=20)[-1], 1),
            "cpu_median_ms": round(statistics.median(cpu_timings), 1),
            "cpu_p95_ms": round(statistics.quantiles(cpu_timings, n=20)[-1], 1),
        }
    return results


def report(figures: dict) -> None:
    print(
        f"{figures['trace_rows']:,} trace rows and {figures['logins']:,} logins over "
        f"{figures['days']} days, {figures['units']} units (seeded in {figures['seed_seconds']} s)"
    )
    failures = []
    print(
        f"Rollup of one day: {figures['rollup_one_day_seconds']} s; of every day: "
        f"{figures['rollup_all_days_seconds']} s"
    )
    if figures["rollup_one_day_seconds"] > ROLLUP_BOUND_S:
        failures.append(
            f"rollup of one day {figures['rollup_one_day_seconds']} s, bound {ROLLUP_BOUND_S} s"
        )
    for name, result in figures["requests"].items():
        print(
            f"  {name:22} {result['queries']:>2} queries  uncached {result['uncached_ms']:>7} ms  "
            f"median {result['median_ms']:>6} ms  p95 {result['p95_ms']:>6} ms  "
            f"CPU median {result['cpu_median_ms']:>6} ms  p95 {result['cpu_p95_ms']:>6} ms"
        )
        if result["p95_ms"] > P95_BOUND_MS:
            failures.append(f"{name}: p95 {result['p95_ms']} ms, bound {P95_BOUND_MS} ms")
    failures += query_bound_breaches(
        {name: result["queries"] for name, result in figures["requests"].items()}, MAX_QUERIES
    )
    finish("stats", figures, failures)


if __name__ == "__main__":
    main()

"""Document numbers per second under 16 concurrent workers on PostgreSQL.

Run from the repository root: `.venv/bin/python bench/numbering.py`. Creates a throwaway
PostgreSQL database (BENCH_NUMBERING_DATABASE, default xt_bench_numbering, on the server of
BENCH_POSTGRES_URL, default postgres://postgres@127.0.0.1:5432), migrates it, makes a unit, its
document clerk and one prefix, then lets 16 workers each ask BENCH_NUMBERS_EACH numbers (500 by
default), every number in its own transaction as the numbering step does. Workers are processes,
as the application servers' workers are; the same load from 16 threads of one process is
measured too. Checks that the serials are exactly 1..N, then drops the database. Prints the
figures and writes bench/results/numbering.json. The aim: ≥ 300 numbers/s; a gap or a
duplicate in the serials fails the run.
"""

import json
import multiprocessing
import os
import statistics
import subprocess
import sys
import threading
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
if str(ROOT) not in sys.path:
    sys.path.insert(0, str(ROOT))

from bench.harness import PYTHON, bench_environment, finish  # noqa: E402

SERVER_URL = os.environ.get("BENCH_POSTGRES_URL", "postgres://postgres@127.0.0.1:5432")
DATABASE = os.environ.get("BENCH_NUMBERING_DATABASE", "xt_bench_numbering")
WORKERS = int(os.environ.get("BENCH_NUMBERING_WORKERS", "16"))
NUMBERS_EACH = int(os.environ.get("BENCH_NUMBERS_EACH", "500"))
GOAL_PER_SECOND = 300


def main() -> None:
    environment = bench_environment(ROOT / "var" / "unused.sqlite3")
    environment["DATABASE_URL"] = f"{SERVER_URL}/{DATABASE}"
    recreate_database()
    try:
        subprocess.run(
            [PYTHON, "manage.py", "migrate", "--no-input", "-v", "0"],
            cwd=ROOT,
            env=environment,
            check=True,
        )
        measured = subprocess.run(
            [PYTHON, str(Path(__file__).resolve()), "measure"],
            cwd=ROOT,
            env=environment,
            check=True,
            stdout=subprocess.PIPE,
            text=True,
        )
    finally:
        drop_database()
    report(json.loads(measured.stdout.strip().splitlines()[-1]))


def _server_connection():
    import psycopg2

    connection = psycopg2.connect(f"{SERVER_URL}/postgres")
    connection.autocommit = True
    return connection


def recreate_database() -> None:
    drop_database()
    _on_server(f'CREATE DATABASE "{DATABASE}"')


def drop_database() -> None:
    _on_server(f'DROP DATABASE IF EXISTS "{DATABASE}" WITH (FORCE)')


def _on_server(statement: str) -> None:
    connection = _server_connection()
    try:
        with connection.cursor() as cursor:
            cursor.execute(statement)
    finally:
        connection.close()


def report(figures: dict) -> None:
    total = figures["numbers"]
    print(
        f"{figures['cpus']} CPUs, load average {figures['load_average_at_start']} at start, "
        f"one insert-and-commit round trip {figures['commit_ms']} ms (one client, for scale)"
    )
    for kind in ("processes", "threads"):
        run = figures[kind]
        print(
            f"{WORKERS} {kind:<9} {run['numbers_per_second']:8.1f} numbers/s  "
            f"(p50 {run['latency_ms_p50']:.1f} ms, p95 {run['latency_ms_p95']:.1f} ms, "
            f"{total} numbers in {run['seconds']:.1f} s, serials 1..{total} "
            f"{'complete' if run['gapless_and_unique'] else 'BROKEN'})"
        )
    figures["goal"] = f"≥ {GOAL_PER_SECOND} numbers/s with {WORKERS} concurrent workers"
    figures["goal_met"] = {
        kind: figures[kind]["numbers_per_second"] >= GOAL_PER_SECOND
        and figures[kind]["gapless_and_unique"]
        for kind in ("processes", "threads")
    }
    for kind, met in figures["goal_met"].items():
        print(f"goal ({figures['goal']}), {kind}: {'met' if met else 'not met'}")
    broken = [
        f"{kind}: serials not exactly 1..{total}"
        for kind in ("processes", "threads")
        if not figures[kind]["gapless_and_unique"]
    ]
    finish("numbering", figures, broken)


# Inside Django (the child process)


def measure() -> None:
    import django

    django.setup()
    from django.db import connection, connections

    from people.models import OrgUnit, Role, RoleAssignment, User
    from people.services import org_unit_create
    from workflow.numbering.services import prefix_create

    unit = org_unit_create(parent=None, code="BENCH", name="基准单位", kind=OrgUnit.Kind.UNIT)
    clerk = User.objects.create(username="bench_clerk", name="基准文书")
    RoleAssignment.objects.create(user=clerk, role=Role.FILE_CLERK, unit=unit)
    figures = {
        "database": f"PostgreSQL {connection.pg_version // 10000}, {DATABASE}",
        "cpus": os.cpu_count(),
        "load_average_at_start": round(os.getloadavg()[0], 2),
        "commit_ms": _commit_latency_ms(),
        "workers": WORKERS,
        "numbers_each": NUMBERS_EACH,
        "numbers": WORKERS * NUMBERS_EACH,
        "each_number": "its own transaction: permission check, then one statement that locks "
        "and moves the counter row and inserts the number, then the commit",
    }
    for year, kind in ((2026, "processes"), (2027, "threads")):
        prefix = prefix_create(unit=unit, text=f"基准{kind[0]}", user=None)
        connections.close_all()
        runs = _in_processes(prefix.pk, clerk.pk, year) if kind == "processes" else None
        if runs is None:
            runs = _in_threads(prefix.pk, clerk.pk, year)
        figures[kind] = _summary(runs, prefix.pk, year)
    print(json.dumps(figures))


def _commit_latency_ms(samples: int = 200) -> float:
    """A one-row insert and its durable commit as one client sees them, for scale: numbers of
    one counter are issued one commit after another, since the next clerk waits for the lock."""
    from django.db import connection, transaction

    with connection.cursor() as cursor:
        cursor.execute("CREATE TABLE bench_commit_probe (value integer)")
    began = time.perf_counter()
    for value in range(samples):
        with transaction.atomic(), connection.cursor() as cursor:
            cursor.execute("INSERT INTO bench_commit_probe VALUES (%s)", [value])
    elapsed = time.perf_counter() - began
    with connection.cursor() as cursor:
        cursor.execute("DROP TABLE bench_commit_probe")
    return round(elapsed / samples * 1000, 2)


def _worker(prefix_pk, clerk_pk, year, start, results):
    from django.db import connections, transaction

    from people.models import User
    from workflow.numbering.models import DocumentPrefix
    from workflow.numbering.services import assign_number

    prefix = DocumentPrefix.objects.select_related("unit").get(pk=prefix_pk)
    clerk = User.objects.get(pk=clerk_pk)
    latencies = []
    start.wait()
    began = time.time()
    for _ in range(NUMBERS_EACH):
        asked = time.perf_counter()
        with transaction.atomic():
            assign_number(prefix=prefix, user=clerk, year=year)
        latencies.append(time.perf_counter() - asked)
    results.append({"began": began, "ended": time.time(), "latencies": latencies})
    connections.close_all()


def _in_processes(prefix_pk, clerk_pk, year) -> list[dict]:
    context = multiprocessing.get_context("fork")
    with context.Manager() as manager:
        start = context.Barrier(WORKERS)
        results = manager.list()
        workers = [
            context.Process(target=_worker, args=(prefix_pk, clerk_pk, year, start, results))
            for _ in range(WORKERS)
        ]
        for worker in workers:
            worker.start()
        for worker in workers:
            worker.join()
        if any(worker.exitcode for worker in workers):
            raise SystemExit("a numbering worker failed")
        return list(results)


def _in_threads(prefix_pk, clerk_pk, year) -> list[dict]:
    start = threading.Barrier(WORKERS)
    results = []
    workers = [
        threading.Thread(target=_worker, args=(prefix_pk, clerk_pk, year, start, results))
        for _ in range(WORKERS)
    ]
    for worker in workers:
        worker.start()
    for worker in workers:
        worker.join()
    if len(results) != WORKERS:
        raise SystemExit("a numbering worker failed")
    return results


def _summary(runs: list[dict], prefix_pk: int, year: int) -> dict:
    from workflow.numbering.models import IssuedNumber

    seconds = max(run["ended"] for run in runs) - min(run["began"] for run in runs)
    latencies = sorted(latency for run in runs for latency in run["latencies"])
    serials = sorted(
        IssuedNumber.objects.filter(prefix_id=prefix_pk, year=year).values_list("serial", flat=True)
    )
    total = WORKERS * NUMBERS_EACH
    return {
        "seconds": round(seconds, 3),
        "numbers_per_second": round(total / seconds, 1),
        "latency_ms_p50": round(statistics.median(latencies) * 1000, 2),
        "latency_ms_p95": round(latencies[int(len(latencies) * 0.95)] * 1000, 2),
        "gapless_and_unique": serials == list(range(1, total + 1)),
    }


if __name__ == "__main__":
    if sys.argv[1:] == ["measure"]:
        measure()
    else:
        main()

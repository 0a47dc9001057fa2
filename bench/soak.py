"""Soak: 50 simulated employees for SOAK_SECONDS (default 60; the full soak is 600) against the
production layout on PostgreSQL: gunicorn with 2 worker processes, a db_worker, Redis for cache
and sessions. Pages: home, notices, a news column, search, a knowledge category, the to-do list,
and one draft (the first step of an outgoing document) per user per minute. Any error fails the
run; p50/p95 per page go to bench/results/soak.json.

    .venv/bin/python bench/soak.py                  # 60 s (make bench)
    SOAK_SECONDS=600 .venv/bin/python bench/soak.py  # the 10-minute soak
"""

import csv
import json
import os
import subprocess
import sys
import tempfile
import uuid
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
# Its own port, so that the soak never meets the server of another bench.
os.environ.setdefault("BENCH_PORT", "8775")
if str(ROOT) not in sys.path:
    sys.path.insert(0, str(ROOT))

from bench.harness import (  # noqa: E402
    PORT,
    PYTHON,
    BenchFailed,
    bench_environment,
    finish,
    load_demo,
    manage,
    session_cookie,
    start_gunicorn,
)

SECONDS = int(os.environ.get("SOAK_SECONDS", "60"))
USERS = int(os.environ.get("SOAK_USERS", "50"))
POSTGRES = "postgres://postgres@127.0.0.1:5432"
REDIS_URL = "redis://127.0.0.1:6379/13"
ACCOUNTS = ["heyan", "maxiaodong", "xuzhiyong", "fengjie", "wangjun", "sunhao", "zhouli",
            "jiangtao", "yaoyao", "guoqiang", "tangning", "sufang"]  # fmt: skip

DISCOVER = """
import json
from django.urls import reverse
from home.models import NewsColumnPage, NoticeIndexPage
from knowledge.models import KnowledgeCategoryPage
from workflow.models import Classification, Direction
print(json.dumps({
    "notices": NoticeIndexPage.objects.get().url,
    "news": NewsColumnPage.objects.live().order_by("path").first().url,
    "knowledge": KnowledgeCategoryPage.objects.live().order_by("path").first().url,
    "todo": reverse("gongwen:todo"),
    "draft": reverse("workflow:documents:document_create"),
    "direction": Direction.values[0],
    "classification": Classification.values[0],
}))
"""


def psql(command: str) -> None:
    subprocess.run(
        ["psql", "-h", "127.0.0.1", "-U", "postgres", "-q", "-c", command, "postgres"], check=True
    )


def main() -> None:
    database = f"xietong_soak_{uuid.uuid4().hex[:8]}"
    prefix = f"soak-{uuid.uuid4().hex[:8]}"
    psql(f"CREATE DATABASE {database}")
    processes = []
    try:
        with tempfile.TemporaryDirectory() as workdir:
            environment = bench_environment(Path(workdir) / "unused.sqlite3")
            environment.update(
                DATABASE_URL=f"{POSTGRES}/{database}",
                CACHE_URL=REDIS_URL,
                CACHE_KEY_PREFIX=prefix,
            )
            manage(environment, "migrate", "--no-input", "-v", "0")
            manage(environment, "collectstatic", "--no-input", "-v", "0")
            load_demo(environment)
            targets = json.loads(
                subprocess.run(
                    [PYTHON, "manage.py", "shell", "-c", DISCOVER],
                    cwd=ROOT, env=environment, check=True, stdout=subprocess.PIPE, text=True,
                ).stdout.splitlines()[-1]
            )  # fmt: skip
            processes.append(start_gunicorn(environment))
            targets["sessions"] = {name: session_cookie(name) for name in ACCOUNTS}
            processes.append(
                subprocess.Popen([PYTHON, "manage.py", "db_worker"], cwd=ROOT, env=environment)
            )
            stats = Path(workdir) / "soak"
            subprocess.run(
                [
                    str(Path(PYTHON).with_name("locust")),
                    "-f", str(ROOT / "bench" / "locustfile.py"),
                    "--headless", "--only-summary",
                    "-u", str(USERS), "-r", "10", "-t", f"{SECONDS}s",
                    "--host", f"http://127.0.0.1:{PORT}",
                    "--csv", str(stats),
                ],
                cwd=ROOT / "bench",
                env={**environment, "SOAK_TARGETS": json.dumps(targets)},
                check=False,
            )  # fmt: skip
            figures, failures = read_stats(Path(f"{stats}_stats.csv"))
    finally:
        for process in processes:
            process.terminate()
        for process in processes:
            process.wait(timeout=30)
        psql(f"DROP DATABASE IF EXISTS {database} WITH (FORCE)")
    figures = {"seconds": SECONDS, "users": USERS, "gunicorn_workers": 2, "pages": figures}
    print(f"{'page':<28} {'requests':>8} {'errors':>6} {'p50 ms':>7} {'p95 ms':>7}")
    for name, row in figures["pages"].items():
        print(
            f"{name:<28} {row['requests']:>8} {row['errors']:>6} {row['p50_ms']:>7} "
            f"{row['p95_ms']:>7}"
        )
    finish("soak" if SECONDS < 600 else "soak_10min", figures, failures)


def read_stats(path: Path) -> tuple[dict, list[str]]:
    if not path.exists():
        raise BenchFailed("locust wrote no statistics")
    pages, failures = {}, []
    with path.open() as handle:
        for row in csv.DictReader(handle):
            pages[row["Name"]] = {
                "requests": int(row["Request Count"]),
                "errors": int(row["Failure Count"]),
                "p50_ms": row["50%"],
                "p95_ms": row["95%"],
                "rps": round(float(row["Requests/s"]), 1),
            }
            if int(row["Failure Count"]):
                failures.append(f"{row['Name']}: {row['Failure Count']} errors")
    return pages, failures


if __name__ == "__main__":
    sys.exit(main())

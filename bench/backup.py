"""Backup and restore times on PostgreSQL: the demo plus BACKUP_DOCUMENTS (default 10,000)
outgoing documents (copies of the demo's, each with a one-entry trace), `manage.py backup`, then
`manage.py restore` into a new, empty database and media folder (search rebuilt), then
`verify_trace --all`. Writes bench/results/backup.json.
"""

import os
import subprocess
import sys
import tempfile
import time
import uuid
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
if str(ROOT) not in sys.path:
    sys.path.insert(0, str(ROOT))

from bench.harness import PYTHON, bench_environment, finish, load_demo, manage  # noqa: E402

DOCUMENTS = int(os.environ.get("BACKUP_DOCUMENTS", "10000"))
POSTGRES = "postgres://postgres@127.0.0.1:5432"

# Copies of a demo document, each with a trace entry chained like the real ones.
GROW = """
from django.db import transaction
from workflow import trace
from workflow.models import OutgoingDocument, TraceEntry
template = OutgoingDocument.objects.order_by("pk").first()
with transaction.atomic():
    for n in range({count}):
        copy = OutgoingDocument.objects.get(pk=template.pk)
        copy.pk = None
        copy.number = None
        copy.number_text = ""
        copy.title = f"{{template.title}}（副本{{n}}）"
        copy.save()
        trace.append(copy, step="draft", action=TraceEntry.Action.CREATE, actor=template.drafter)
"""


def psql(command: str) -> None:
    subprocess.run(
        ["psql", "-h", "127.0.0.1", "-U", "postgres", "-q", "-c", command, "postgres"], check=True
    )


def timed(environment: dict, *args: str) -> float:
    started = time.monotonic()
    manage(environment, *args, quiet=True)
    return round(time.monotonic() - started, 1)


def main() -> None:
    source, target = (f"xietong_backup_{uuid.uuid4().hex[:8]}" for _ in range(2))
    psql(f"CREATE DATABASE {source}")
    psql(f"CREATE DATABASE {target}")
    try:
        with tempfile.TemporaryDirectory() as workdir:
            work = Path(workdir)
            environment = bench_environment(work / "unused.sqlite3")
            environment.update(
                DATABASE_URL=f"{POSTGRES}/{source}",
                ALLOW_PROCESS_LOCAL_CACHE="true",
                MEDIA_ROOT=str(work / "media"),
            )
            manage(environment, "migrate", "--no-input", "-v", "0")
            load_demo(environment)
            subprocess.run(
                [PYTHON, "manage.py", "shell", "-c", GROW.format(count=DOCUMENTS)],
                cwd=ROOT, env=environment, check=True,
            )  # fmt: skip
            backup_seconds = timed(environment, "backup", str(work / "backup"))
            restored = dict(
                environment, DATABASE_URL=f"{POSTGRES}/{target}", MEDIA_ROOT=str(work / "restored")
            )
            restore_seconds = timed(restored, "restore", str(work / "backup"))
            verify_seconds = timed(restored, "verify_trace", "--all")
            size = sum(
                path.stat().st_size for path in (work / "backup").rglob("*") if path.is_file()
            )
    finally:
        psql(f"DROP DATABASE IF EXISTS {source} WITH (FORCE)")
        psql(f"DROP DATABASE IF EXISTS {target} WITH (FORCE)")
    figures = {
        "extra_documents": DOCUMENTS,
        "backup_seconds": backup_seconds,
        "restore_and_reindex_seconds": restore_seconds,
        "verify_trace_seconds": verify_seconds,
        "backup_megabytes": round(size / 2**20, 1),
    }
    print(figures)
    finish("backup", figures)


if __name__ == "__main__":
    sys.exit(main())

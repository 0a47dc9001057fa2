"""The archive's figures: filing a year of BENCH_ARCHIVE_ITEMS closed documents (10,000 by default)
as items, one `file_item` each, as the archivist does at the year's end.

Run from the repository root: `.venv/bin/python bench/archive.py`. Builds a temporary SQLite
database with one unit, its archivist and fonds settings, and that many closed outgoing
documents, each with a one-page final PDF and a trace entry (written straight to the database: the
flows are measured by their own benches). Then files them all and reports the wall and CPU time,
the time per item, Ghostscript's CPU time and the peak memory (ru_maxrss of the process; with
BENCH_ARCHIVE_TRACEMALLOC=1 also tracemalloc's peak of Python allocations, which slows the filing
several times over). Every item's preservation copy goes through the stamp, WeasyPrint (the
processing form) and Ghostscript (PDF/A), so the time is mostly those. Checks that the item
numbers of the class are exactly 1..N. Writes bench/results/archive.json.
"""

import os
import resource
import sys
import tempfile
import time
import tracemalloc
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
if str(ROOT) not in sys.path:
    sys.path.insert(0, str(ROOT))

from bench.harness import finish, setup_in_process_django  # noqa: E402

ITEMS = int(os.environ.get("BENCH_ARCHIVE_ITEMS", "10000"))


def main() -> None:
    with tempfile.TemporaryDirectory() as workdir:
        setup_in_process_django(workdir)
        started = time.perf_counter()
        archivist, fonds, documents = prepare()
        figures = {"items": ITEMS, "seed_seconds": round(time.perf_counter() - started, 1)}
        figures["file_year"], failures = file_year(archivist, fonds, documents)
    finish("archive", figures, failures)


def prepare():
    from django.core.management import call_command

    from archive.models import ArchiveClassCode
    from tests.archive.conftest import constructed_outgoing
    from tests.factories.archive import archivist_of, fonds_of, minimal_pdf
    from tests.factories.documents import OfficeFactory
    from workflow import trace
    from workflow.models import TraceEntry

    call_command("migrate", verbosity=0)
    office = OfficeFactory()
    fonds = fonds_of(office.unit)
    ArchiveClassCode.objects.create(
        fonds=fonds, code="SCB", name="生产部", department=office.production
    )
    documents = []
    for n in range(1, ITEMS + 1):
        document = constructed_outgoing(
            office,
            title=f"关于第{n}项工作的通知",
            number_text=f"甲拖〔2026〕{n}号",
            pdf=minimal_pdf(f"notice {n}"),
        )
        trace.append(document, step="draft", action=TraceEntry.Action.SUBMIT, actor=office.drafter)
        documents.append(document.pk)
    return archivist_of(office.unit), fonds, documents


def file_year(archivist, fonds, documents) -> tuple[dict, list[str]]:
    from archive.models import ArchiveItem
    from archive.services import file_item

    # tracemalloc slows every Python allocation several times over: only when asked for.
    traced = os.environ.get("BENCH_ARCHIVE_TRACEMALLOC") == "1"
    if traced:
        tracemalloc.start()
    wall, cpu = time.perf_counter(), time.process_time()
    for document in documents:
        file_item(archivist, fonds, [document])
    wall, cpu = time.perf_counter() - wall, time.process_time() - cpu
    python_peak = tracemalloc.get_traced_memory()[1] if traced else 0
    if traced:
        tracemalloc.stop()
    children = resource.getrusage(resource.RUSAGE_CHILDREN)
    numbers = sorted(ArchiveItem.objects.values_list("item_number", flat=True))
    failures = [] if numbers == list(range(1, len(documents) + 1)) else ["item numbers not 1..N"]
    figures = {
        "wall_seconds": round(wall, 1),
        "cpu_seconds_in_process": round(cpu, 1),
        "ms_per_item": round(1000 * wall / len(documents), 1),
        "cpu_seconds_in_ghostscript": round(children.ru_utime + children.ru_stime, 1),
        "peak_rss_mib": round(resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024, 1),
    }
    if traced:
        figures["python_peak_mib"] = round(python_peak / 2**20, 1)
    print(figures)
    return figures, failures


if __name__ == "__main__":
    main()

"""The transfer package of a busy year: BENCH_ARCHIVE_ITEMS (10,000) items, each with a
preservation copy and an original (small PDFs of about 600 bytes).

Run from the repository root: `.venv/bin/python bench/archive_package.py`. Builds a temporary
SQLite database and media folder, writes the items and their files with bulk inserts, then
exports the year's package (archive.package.export_package), zips it, and verifies the zip
(archive.package_check.verify_package). For each step it reports wall time, CPU time and the
peak of Python allocations (tracemalloc); the process's peak resident memory (ru_maxrss) is
reported at the end. A verification that finds a problem, or an export whose Python peak
exceeds PEAK_BOUND_MB (the package must be streamed, not held), fails the run. Prints the
figures and writes bench/results/archive_package.json.
"""

import hashlib
import os
import resource
import sys
import tempfile
import time
import tracemalloc
from datetime import date
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
if str(ROOT) not in sys.path:
    sys.path.insert(0, str(ROOT))

from bench.harness import finish, setup_in_process_django  # noqa: E402

ITEMS = int(os.environ.get("BENCH_ARCHIVE_ITEMS", "10000"))
CLASSES = ("BGS", "SCB", "CWB", "RLB")
RETENTIONS = ("Y", "D30", "D10")
YEAR = 2025
BATCH = 2000
PEAK_BOUND_MB = 64


def main() -> None:
    with tempfile.TemporaryDirectory() as workdir:
        setup_in_process_django(workdir)
        started = time.perf_counter()
        fonds = seed(Path(workdir))
        figures = {"items": ITEMS, "seed_seconds": round(time.perf_counter() - started, 1)}
        out = Path(workdir) / "out"
        from archive.package import export_package, zip_package
        from archive.package_check import verify_package

        folder, figures["export"] = measured(lambda: export_package(fonds, YEAR, out))
        zipped, figures["zip"] = measured(lambda: zip_package(folder, out / "package.zip"))
        result, figures["verify_zip"] = measured(lambda: verify_package(zipped))
        figures["package_files"] = result.files_checked
        figures["zip_bytes"] = zipped.stat().st_size
        # ru_maxrss is in kilobytes on Linux.
        figures["peak_rss_mb"] = round(resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024)
    failures = [problem.line() for problem in result.problems[:5]]
    if figures["export"]["python_peak_mb"] > PEAK_BOUND_MB:
        failures.append(f"export peak {figures['export']['python_peak_mb']} MB > {PEAK_BOUND_MB}")
    for name, value in figures.items():
        print(f"{name:>16}: {value}")
    finish("archive_package", figures, failures)


def measured(step):
    """Run `step`; its result and its wall time, CPU time and Python allocation peak."""
    tracemalloc.start()
    wall, cpu = time.perf_counter(), time.process_time()
    result = step()
    figures = {
        "seconds": round(time.perf_counter() - wall, 2),
        "cpu_seconds": round(time.process_time() - cpu, 2),
        "python_peak_mb": round(tracemalloc.get_traced_memory()[1] / 2**20, 1),
    }
    tracemalloc.stop()
    return result, figures


def seed(workdir: Path):
    """A unit's fonds and ITEMS filed items of YEAR over four classes and three retentions,
    with their files written straight into the media folder."""
    from django.conf import settings
    from django.core.management import call_command
    from django.db import transaction

    from archive.models import ArchiveFile, ArchiveItem, FondsSettings
    from people.models import OrgUnit
    from tests.factories import OrgUnitFactory, UserFactory
    from tests.factories.archive import minimal_pdf

    call_command("migrate", verbosity=0)
    unit = OrgUnitFactory(code="UA", name="甲单位", kind=OrgUnit.Kind.UNIT)
    archivist = UserFactory(username="dangan", name="档案员")
    fonds = FondsSettings.objects.create(unit=unit, fonds_code="Z109")
    media = Path(settings.MEDIA_ROOT) / "archive" / str(YEAR)
    media.mkdir(parents=True, exist_ok=True)
    counters: dict[tuple[str, str], int] = {}
    items = []
    for index in range(ITEMS):
        retention, class_code = RETENTIONS[index % 3], CLASSES[index % 4]
        number = counters[(retention, class_code)] = counters.get((retention, class_code), 0) + 1
        code = f"Z109-WS·{YEAR}-{retention}-{class_code}-{number:04d}"
        items.append(
            ArchiveItem(
                fonds=fonds,
                year=YEAR,
                retention=retention,
                class_code=class_code,
                item_number=number,
                archive_code=code,
                doc_number=f"甲办〔{YEAR}〕{index + 1}号",
                responsible="甲单位",
                title=f"关于第{index + 1}项工作安排的通知",
                document_date=date(YEAR, 1 + index % 12, 1 + index % 28),
                pages=1,
                classification="non_secret",
                audience=["everyone"],
                trace_verified=True,
                filed_by=archivist,
            )
        )
    with transaction.atomic():
        ArchiveItem.objects.bulk_create(items, batch_size=BATCH)
        files = []
        for item in ArchiveItem.objects.filter(fonds=fonds).only("pk", "archive_code"):
            for position, kind in enumerate(("preservation", "original")):
                data = minimal_pdf(f"{item.archive_code} {kind}")
                name = f"archive/{YEAR}/{item.pk}-{kind}.pdf"
                (Path(settings.MEDIA_ROOT) / name).write_bytes(data)
                files.append(
                    ArchiveFile(
                        item=item,
                        kind=kind,
                        position=position,
                        name=f"{kind}.pdf",
                        file=name,
                        sha256=hashlib.sha256(data).hexdigest(),
                        size=len(data),
                        pages=1,
                    )
                )
        ArchiveFile.objects.bulk_create(files, batch_size=BATCH)
    return FondsSettings.objects.select_related("unit").get(pk=fonds.pk)


if __name__ == "__main__":
    main()

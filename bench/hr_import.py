"""HR import throughput: 5,000 rows into a fresh SQLite database, then the same file again.

Run from the repository root: `.venv/bin/python bench/hr_import.py`. Prints rows/s for the first
import (every row creates an account) and the re-import (every row unchanged, nothing written),
and writes bench/results/hr_import.json. The aim is at least 500 rows/s.
"""

import csv
import io
import os
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
if str(ROOT) not in sys.path:
    sys.path.insert(0, str(ROOT))

from bench.harness import finish  # noqa: E402

ROWS = int(os.environ.get("BENCH_HR_ROWS", "5000"))
DEPARTMENTS = ("BGS", "SCB", "CWB", "JSB", "ZLB")


def setup_django(database: Path) -> None:
    os.environ["DJANGO_SETTINGS_MODULE"] = "intranet.settings.dev"
    os.environ["DATABASE_URL"] = f"sqlite:///{database}"
    import django

    django.setup()
    from django.core.management import call_command

    call_command("migrate", verbosity=0, interactive=False)


def create_org() -> None:
    from people.models import OrgUnit
    from people.services import org_unit_create

    headquarters = org_unit_create(
        parent=None, code="HQ", name="基准集团", kind=OrgUnit.Kind.HEADQUARTERS
    )
    unit = org_unit_create(parent=headquarters, code="BU", name="基准单位", kind=OrgUnit.Kind.UNIT)
    for code in DEPARTMENTS:
        org_unit_create(
            parent=unit, code=f"BU-{code}", name=f"部门{code}", kind=OrgUnit.Kind.DEPARTMENT
        )


def hr_file(rows: int) -> bytes:
    from people.hr_import import CHINESE_HEADERS, COLUMNS

    surnames = "王李张刘陈杨黄赵吴周"
    buffer = io.StringIO(newline="")
    writer = csv.writer(buffer)
    writer.writerow([CHINESE_HEADERS[column] for column in COLUMNS])
    for number in range(rows):
        employee_no = f"B{number:06d}"
        writer.writerow(
            [
                employee_no,
                f"{surnames[number % 10]}员工{number}",
                "男" if number % 2 else "女",
                "BU",
                f"BU-{DEPARTMENTS[number % len(DEPARTMENTS)]}",
                "工程师",
                f"139{number:08d}",
                f"{employee_no.lower()}@example.com",
                f"20{10 + number % 15}-0{1 + number % 9}-1{number % 10}",
                "离职" if number % 50 == 0 else "在职",
            ]
        )
    return buffer.getvalue().encode("utf-8-sig")


def timed_import(content: bytes) -> tuple[float, dict[str, int]]:
    from people.hr_import import import_users

    started = time.perf_counter()
    result = import_users(content=content, file_name="bench.csv", actor=None, dry_run=False)
    elapsed = time.perf_counter() - started
    if not result.ok:
        raise SystemExit(f"The benchmark file has errors: {result.errors[:3]}")
    return elapsed, result.counts


def main() -> dict:
    with tempfile.TemporaryDirectory(prefix="xietong-bench-hr-") as directory:
        setup_django(Path(directory) / "bench.sqlite3")
        create_org()
        content = hr_file(ROWS)
        first_seconds, first_counts = timed_import(content)
        again_seconds, again_counts = timed_import(content)
    figures = {
        "database": "SQLite (temporary file), intranet.settings.dev",
        "rows": ROWS,
        "import_seconds": round(first_seconds, 3),
        "import_rows_per_second": round(ROWS / first_seconds, 1),
        "import_counts": first_counts,
        "reimport_seconds": round(again_seconds, 3),
        "reimport_rows_per_second": round(ROWS / again_seconds, 1),
        "reimport_counts": again_counts,
        "target_rows_per_second": 500,
    }
    print(f"HR import of {ROWS} rows: {figures['import_rows_per_second']} rows/s")
    print(f"Re-import (unchanged): {figures['reimport_rows_per_second']} rows/s")
    finish("hr_import", figures)
    return figures


if __name__ == "__main__":
    main()

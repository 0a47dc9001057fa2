"""Knowledge center figures: a category listing with 5,000 items, and text extraction throughput.

Run from the repository root: `.venv/bin/python bench/knowledge_center.py`.
Builds a temporary SQLite
database with the demo group and a category holding BENCH_KNOWLEDGE_ITEMS items (articles and file
items, mixed units, validity and counters), then, in-process with Django's test client signed in as
an ordinary employee (heyan), counts the SQL queries of the category page (default, sorted by views,
filtered, a later page) and of the API list, and times RENDERS renders of each. Extraction: a text
PDF of TEXT_PDF_PAGES pages through pdftotext, and a scanned PDF of OCR_PAGES pages through
pdftoppm + Tesseract (chi_sim+eng), in pages per second. Prints the figures and writes
bench/results/knowledge.json. More than 25 queries on a listing, or any answer other than 200,
fails the run.
"""

import os
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

ITEMS = int(os.environ.get("BENCH_KNOWLEDGE_ITEMS", "5000"))
RENDERS = int(os.environ.get("BENCH_KNOWLEDGE_RENDERS", "30"))
TEXT_PDF_PAGES = int(os.environ.get("BENCH_TEXT_PDF_PAGES", "40"))
OCR_PAGES = int(os.environ.get("BENCH_OCR_PAGES", "4"))
USERNAME = "heyan"
MAX_LISTING_QUERIES = 25


def main() -> None:
    with tempfile.TemporaryDirectory() as workdir:
        setup_in_process_django(workdir)
        from django.conf import settings

        settings.MEDIA_ROOT = Path(workdir) / "media"
        figures = {"items": ITEMS}
        category, seconds = prepare()
        figures["seed_seconds"] = round(seconds, 1)
        figures["listing"] = measure_listing(category)
        figures["extraction"] = measure_extraction(Path(workdir))
    report(figures)


def prepare():
    from django.core.management import call_command

    from bench.harness import seed_category
    from tests.conftest import restore_wagtail_base_rows

    started = time.perf_counter()
    call_command("migrate", verbosity=0)
    restore_wagtail_base_rows()
    call_command("load_demo", stdout=open(os.devnull, "w"))  # noqa: SIM115
    category = seed_category(ITEMS)
    return category, time.perf_counter() - started


def measure_listing(category) -> dict:
    from django.db import connection
    from django.test import Client
    from django.test.utils import CaptureQueriesContext

    from people.models import User

    client = Client()
    client.force_login(User.objects.get(username=USERNAME))
    unit_id = category.get_children().specific().first().owner_unit_id
    views = {
        "category_page": (category.url, {}),
        "category_by_views": (category.url, {"sort": "views"}),
        "category_filtered": (
            category.url,
            {"type": "file", "validity": "effective", "unit": unit_id},
        ),
        "category_page_100": (category.url, {"page": 100}),
        "api_items": (f"/api/knowledge/categories/{category.pk}/items", {"sort": "title"}),
    }
    results = {}
    for name, (url, query) in views.items():
        # warm: site root paths, content types, templates
        require_status_ok(url, client.get(url, query).status_code)
        with CaptureQueriesContext(connection) as queries:
            require_status_ok(url, client.get(url, query).status_code)
        query_count = len(queries)
        started = time.perf_counter()
        for _ in range(RENDERS):
            require_status_ok(url, client.get(url, query).status_code)
        elapsed = time.perf_counter() - started
        results[name] = {
            "queries": query_count,
            "ms_per_request": round(elapsed / RENDERS * 1000, 1),
            "requests_per_second": round(RENDERS / elapsed, 1),
        }
    return results


def measure_extraction(workdir: Path) -> dict:
    from core.extraction import extract
    from demo import samplefiles

    paragraph = (
        "第{n}条 为加强设备管理，提高设备完好率，保证安全生产，各单位应当建立设备台账并定期点检。"
    )
    text_pdf = workdir / "text.pdf"
    text_pdf.write_bytes(
        samplefiles.text_pdf(
            "基准文本",
            [
                [paragraph.format(n=page * 10 + line) for line in range(12)]
                for page in range(TEXT_PDF_PAGES)
            ],
        )
    )
    scan_pdf = workdir / "scan.pdf"
    scan_pdf.write_bytes(
        samplefiles.scanned_pdf(
            [
                [f"第{page + 1}页 设备点检记录", "轴承温度不得超过七十度", "安全第一 预防为主"]
                for page in range(OCR_PAGES)
            ]
        )
    )
    figures = {}
    for name, path in (("text_pdf", text_pdf), ("ocr_pdf", scan_pdf)):
        started = time.perf_counter()
        result = extract(path, "application/pdf")
        elapsed = time.perf_counter() - started
        figures[name] = {
            "pages": result.pages,
            "ocr_pages": result.ocr_pages,
            "seconds": round(elapsed, 2),
            "pages_per_second": round(result.pages / elapsed, 2),
        }
    return figures


def report(figures: dict) -> None:
    print(f"Knowledge center: category listing with {figures['items']} items (as {USERNAME})")
    for name, row in figures["listing"].items():
        print(
            f"  {name:<20} {row['queries']:>3} queries  {row['ms_per_request']:>7.1f} ms"
            f"  {row['requests_per_second']:>6.1f} req/s"
        )
    print("Text extraction")
    for name, row in figures["extraction"].items():
        print(
            f"  {name:<20} {row['pages']:>3} pages ({row['ocr_pages']} by OCR) in "
            f"{row['seconds']} s: {row['pages_per_second']} pages/s"
        )
    counts = {name: row["queries"] for name, row in figures["listing"].items()}
    finish("knowledge", figures, query_bound_breaches(counts, MAX_LISTING_QUERIES))


if __name__ == "__main__":
    main()

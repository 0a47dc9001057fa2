"""Red-head PDF render time for a five-page document; a ten-page one rendered and sealed, and
the verification of the sealed PDF.

Run from the repository root: `.venv/bin/python bench/redhead.py`. Builds a notice with every
GB/T 9704 element (header marks, number, title, recipients, headed body, attachment note,
signature, remarks, footer part) whose text runs to the end of page five, renders it
BENCH_WARMUP times to warm up (fonts, templates), then BENCH_RUNS times, and reports the median.
Text ending on an odd page is the slowest case: the footer part must end on an even page, so the
document is laid out twice and printed on six pages (the footer part alone on page six). No
database is needed for that part. The aim: ≤ 1.5 s.

Then the electronic seal (issue #15): a notice whose text ends on page SEALED_PAGES is rendered
and sealed (pyHanko PAdES with a unit key from a fresh SQLite database in var/), and the sealed
PDF verified; medians of BENCH_RUNS. Aims: rendered and sealed ≤ 2 s, verified ≤ 200 ms. Prints
the figures and writes bench/results/redhead.json.
"""

import logging
import os
import secrets
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
if str(ROOT) not in sys.path:
    sys.path.insert(0, str(ROOT))

from bench.harness import bench_environment, finish  # noqa: E402

PAGES = 5
SEALED_PAGES = 10
SEAL_GOAL_SECONDS = 2.0
VERIFY_GOAL_SECONDS = 0.2
WARMUP = int(os.environ.get("BENCH_WARMUP", "2"))
RUNS = int(os.environ.get("BENCH_RUNS", "9"))
GOAL_SECONDS = 1.5
SECTIONS = ["一、总体要求", "二、检查范围", "三、检查内容", "四、工作安排", "五、有关要求"]
PARAGRAPHS = [
    "各单位要坚持安全第一、预防为主、综合治理的方针，全面落实安全生产主体责任，"
    "以防范遏制重特大事故为重点，深入排查治理各类安全隐患。",
    "（一）检查各级安全生产责任制的建立和落实情况，包括主要负责人、分管负责人和岗位人员"
    "责任清单的制定、公示和考核。",
    "（二）检查重大危险源辨识、评估、登记和监控情况，危险作业审批制度执行情况，"
    "以及特种设备、特种作业人员持证上岗情况。",
    "各单位对检查发现的问题要建立台账，明确整改责任人、整改措施和完成时限，"
    "实行闭环管理；对不能立即整改的，要制定防范措施，确保安全。",
]


def document(paragraphs: int):
    from workflow.redhead.services import RedheadContent

    body = []
    for index in range(paragraphs):
        if index % 6 == 0:
            body.append(f"<p>{SECTIONS[(index // 6) % len(SECTIONS)]}</p>")
        body.append(f"<p>{PARAGRAPHS[index % len(PARAGRAPHS)]}</p>")
    return RedheadContent(
        issuer_mark="东方重工集团文件",
        doc_number="东重办〔2026〕15号",
        classification="内部",
        urgency="特急",
        title="关于开展2026年度安全生产大检查的通知",
        main_recipients=["集团总部各部门", "各二级单位", "各控股公司"],
        body_html="".join(body),
        attachments=["安全生产大检查自查表", "隐患整改台账", "检查组人员名单"],
        signature_unit="东方重工集团有限公司",
        date_text="2026年11月25日",
        remarks="联系人：王明，电话：12345678",
        copy_recipients=["集团领导", "集团纪委", "集团工会"],
        printing_unit="东方重工集团办公室",
        print_date_text="2026年11月26日",
        copies=40,
    )


def pages_text(pdf: bytes) -> list[str]:
    with tempfile.NamedTemporaryFile(suffix=".pdf") as file:
        file.write(pdf)
        file.flush()
        text = subprocess.run(
            ["pdftotext", "-enc", "UTF-8", file.name, "-"],
            capture_output=True,
            text=True,
            check=True,
        ).stdout
    return text.split("\f")[:-1]


def text_end_page(pdf: bytes) -> int:
    """The page holding the date (成文日期), where the text of the document ends."""
    pages = pages_text(pdf)
    return next(number for number, text in enumerate(pages, start=1) if "2026年11月25日" in text)


def document_ending_on(pages: int):
    """The sample with just enough paragraphs for its text to end on page `pages`."""
    from workflow.redhead.services import render_redhead_pdf

    paragraphs = 30 * pages // PAGES
    for _attempt in range(40):
        end = text_end_page(render_redhead_pdf(document(paragraphs)))
        if end == pages:
            return document(paragraphs), paragraphs
        paragraphs += 3 if end < pages else -2
    raise SystemExit(f"could not build a {pages}-page document")


def seal_keeper():
    """A unit with its seal and keeper in a fresh database (var/bench-redhead.sqlite3)."""
    from django.core.management import call_command

    from people.models import OrgUnit, User
    from people.services import org_unit_create
    from workflow.seal import keys, services

    call_command("migrate", verbosity=0, interactive=False)
    headquarters = org_unit_create(
        parent=None, code="HQ", name="基准集团", kind=OrgUnit.Kind.HEADQUARTERS
    )
    unit = org_unit_create(
        parent=headquarters, code="BU", name="东方重工集团有限公司", kind=OrgUnit.Kind.UNIT
    )
    keeper = User.objects.create_user(username="keeper", password=None)
    keys.create_authority("基准电子印章CA")
    services.seal_create(unit=unit, keepers=[keeper])
    return unit, keeper


def median_seconds(action) -> tuple[float, object]:
    for _run in range(WARMUP):
        action()
    timings = []
    for _run in range(RUNS):
        began = time.perf_counter()
        result = action()
        timings.append(time.perf_counter() - began)
    return statistics.median(timings), result


def seal_figures() -> dict:
    from workflow.redhead.services import render_redhead_pdf
    from workflow.seal.services import apply_seal
    from workflow.seal.verification import verify

    unit, keeper = seal_keeper()
    content, paragraphs = document_ending_on(SEALED_PAGES)
    sealed_seconds, sealed = median_seconds(
        lambda: apply_seal(render_redhead_pdf(content), unit, keeper)
    )
    rendered = render_redhead_pdf(content)
    seal_only_seconds, _sealed = median_seconds(lambda: apply_seal(rendered, unit, keeper))
    verify_seconds, verification = median_seconds(lambda: verify(sealed.data))
    if not verification.is_valid:
        raise SystemExit(f"the sealed PDF did not verify: {verification.reason}")
    print(
        f"{SEALED_PAGES}-page notice rendered and sealed: median {sealed_seconds:.3f} s "
        f"(sealing alone {seal_only_seconds:.3f} s); "
        f"verified: median {verify_seconds * 1000:.0f} ms ({len(sealed.data) // 1024} KiB)"
    )
    return {
        "sealed_document": f"notice whose text ends on page {SEALED_PAGES} ({paragraphs} "
        "body paragraphs), rendered and sealed (PAdES, RSA 3072, seal image)",
        "render_and_seal_median_seconds": round(sealed_seconds, 3),
        "seal_only_median_seconds": round(seal_only_seconds, 3),
        "verify_median_seconds": round(verify_seconds, 3),
        "seal_goal": f"rendered and sealed ≤ {SEAL_GOAL_SECONDS} s, verified ≤ "
        f"{VERIFY_GOAL_SECONDS * 1000:.0f} ms (medians)",
        "seal_goal_met": sealed_seconds <= SEAL_GOAL_SECONDS
        and verify_seconds <= VERIFY_GOAL_SECONDS,
    }


def main() -> None:
    database = ROOT / "var" / "bench-redhead.sqlite3"
    database.unlink(missing_ok=True)
    os.environ.update(bench_environment(database))
    os.environ["SEAL_ENCRYPTION_KEY"] = secrets.token_urlsafe(32)
    import django

    django.setup()
    logging.getLogger("weasyprint").setLevel(logging.ERROR)
    from workflow.redhead.services import render_redhead_pdf

    content, paragraphs = document_ending_on(PAGES)
    for _run in range(WARMUP):
        render_redhead_pdf(content)
    timings = []
    for _run in range(RUNS):
        began = time.perf_counter()
        pdf = render_redhead_pdf(content)
        timings.append(time.perf_counter() - began)
    median = statistics.median(timings)
    figures = {
        "document": f"notice whose text ends on page {PAGES} ({paragraphs} body paragraphs), "
        "every GB/T 9704 element; laid out twice, footer part alone on the next even page",
        "text_pages": text_end_page(pdf),
        "pdf_pages": len(pages_text(pdf)),
        "pdf_bytes": len(pdf),
        "warmup_runs": WARMUP,
        "runs": RUNS,
        "median_seconds": round(median, 3),
        "min_seconds": round(min(timings), 3),
        "max_seconds": round(max(timings), 3),
        "goal": f"≤ {GOAL_SECONDS} s for a {PAGES}-page document (median)",
        "goal_met": median <= GOAL_SECONDS,
    }
    print(
        f"red-head PDF, text on {figures['text_pages']} pages ({figures['pdf_pages']} printed): "
        f"median {median:.3f} s "
        f"(min {min(timings):.3f}, max {max(timings):.3f}, {RUNS} runs after {WARMUP} warm-up), "
        f"{len(pdf) // 1024} KiB"
    )
    print(f"goal ({figures['goal']}): {'met' if figures['goal_met'] else 'NOT met'}")
    figures.update(seal_figures())
    print(f"goal ({figures['seal_goal']}): {'met' if figures['seal_goal_met'] else 'NOT met'}")
    finish("redhead", figures)


if __name__ == "__main__":
    main()

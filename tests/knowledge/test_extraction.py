"""Text of uploaded files is extracted for search; scans are read by OCR; failures are recorded."""

import io

import pytest
from django.core.management import call_command
from django.test import Client

from demo import samplefiles
from knowledge.models import KnowledgeFileVersion
from knowledge.search import KnowledgeSearchProvider
from tests.factories.knowledge import KnowledgeFilePageFactory, add_version

pytestmark = pytest.mark.django_db

DONE = KnowledgeFileVersion.Extraction.DONE
FAILED = KnowledgeFileVersion.Extraction.FAILED


@pytest.fixture
def item(rules, unit_a):
    return KnowledgeFilePageFactory(parent=rules, title="资料", slug="material", owner_unit=unit_a)


@pytest.fixture
def upload_extracted(item, editor, django_capture_on_commit_callbacks):
    def upload(name: str, content: bytes) -> KnowledgeFileVersion:
        with django_capture_on_commit_callbacks(execute=True):
            version = add_version(item, editor, name, content)
        version.refresh_from_db()
        return version

    return upload


def test_text_pdf(upload_extracted):
    pdf = samplefiles.text_pdf(
        "安全生产管理规定",
        [
            ["第一条 为加强安全生产管理，防止生产安全事故，制定本规定。"],
            ["第二条 设备每日点检一次。"],
        ],
    )
    version = upload_extracted("安全生产管理规定.pdf", pdf)
    assert version.extraction_status == DONE
    assert "为加强安全生产管理" in version.extracted_text
    assert "设备每日点检一次" in version.extracted_text
    assert (version.page_count, version.ocr_page_count) == (2, 0)


def test_docx_paragraphs_and_tables(upload_extracted):
    docx = samplefiles.docx_file(
        "请假申请表", ["请假须提前一天申请。"], [["姓名", "部门"], ["张三", "综合办公室"]]
    )
    version = upload_extracted("请假申请表.docx", docx)
    assert version.extraction_status == DONE
    assert "请假须提前一天申请" in version.extracted_text
    assert "综合办公室" in version.extracted_text


def test_xlsx_every_sheet(upload_extracted):
    xlsx = samplefiles.xlsx_file(
        {"设备台账": [["设备", "数量"], ["数控车床", 12]], "备件": [["轴承", "6205"]]}
    )
    version = upload_extracted("设备台账.xlsx", xlsx)
    assert version.extraction_status == DONE
    for word in ("设备台账", "数控车床", "12", "轴承", "6205"):
        assert word in version.extracted_text


def test_txt_in_utf8(upload_extracted):
    version = upload_extracted("说明.txt", "焊接工艺说明\n预热温度150℃".encode())
    assert version.extracted_text == "焊接工艺说明\n预热温度150℃"


def test_a_scanned_pdf_is_read_by_ocr(upload_extracted):
    scan = samplefiles.scanned_pdf(
        [["设备点检记录", "轴承温度不得超过七十度", "安全第一 预防为主"]]
    )
    version = upload_extracted("点检记录扫描件.pdf", scan)
    assert version.extraction_status == DONE
    assert version.ocr_page_count == 1
    for words in ("设备点检记录", "轴承温度", "安全第一"):
        assert words in version.extracted_text


def test_an_image_is_read_by_ocr(upload_extracted):
    version = upload_extracted("告示.png", samplefiles.scan_png(["消防通道禁止堆放物品"]))
    assert version.extraction_status == DONE
    assert "消防通道" in version.extracted_text


def test_a_failure_is_recorded_and_shown_to_the_editor(upload_extracted, item, editor, staff):
    broken = b"%PDF-1.4\nthis is not really a pdf\n"
    version = upload_extracted("损坏.pdf", broken)
    assert version.extraction_status == FAILED
    assert "pdftotext" in version.extraction_error

    editor_client, reader_client = Client(), Client()
    editor_client.force_login(editor)
    reader_client.force_login(staff)
    page = editor_client.get(item.url).content.decode()
    assert 'data-testid="extraction-status"' in page and "pdftotext" in page
    # Readers are not bothered with it.
    assert 'data-testid="extraction-status"' not in reader_client.get(item.url).content.decode()


def test_legacy_word_files_are_kept_with_the_reason_text_is_missing(upload_extracted):
    ole2 = bytes.fromhex("d0cf11e0a1b11ae1") + b"\x00" * 504
    version = upload_extracted("旧制度.doc", ole2)
    assert version.content_type == "application/msword"
    assert version.extraction_status == FAILED
    assert version.extraction_error


def test_extracted_text_is_searchable(upload_extracted, item):
    upload_extracted("说明.txt", "液压系统保养规程".encode())
    entry = KnowledgeSearchProvider().entry_for(str(item.pk))
    assert "液压系统保养规程" in entry.body
    assert entry.access == ("all",)


def test_reextract_command_redoes_every_version(upload_extracted, editor):
    version = upload_extracted("说明.txt", "原文".encode())
    KnowledgeFileVersion.objects.filter(pk=version.pk).update(
        extraction_status="failed", extracted_text=""
    )
    output = io.StringIO()
    call_command("reextract_knowledge", stdout=output)
    version.refresh_from_db()
    assert version.extraction_status == DONE and version.extracted_text == "原文"
    assert "1/1" in output.getvalue()


def test_extraction_runs_outside_any_write_transaction(upload_extracted, monkeypatch):
    from django.db import connection

    from core import extraction
    from knowledge import services

    open_transactions = []

    def extract_and_observe(stored_file, suffix, content_type):
        open_transactions.append(
            [block for block in connection.atomic_blocks if not block._from_testcase]
        )
        return extraction.extract_stored(stored_file, suffix, content_type)

    monkeypatch.setattr(services, "extract_stored", extract_and_observe)
    version = upload_extracted("说明.txt", "设备点检".encode())
    assert version.extraction_status == DONE
    assert open_transactions == [[]]

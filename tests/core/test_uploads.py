"""The upload policy: kind by content and name, allow-list per use, size, empty, bombs."""

import io
import time
import tracemalloc

import pytest
from django.core.files.base import ContentFile
from PIL import Image

from core import uploads
from core.uploads import (
    DOCUMENT_ATTACHMENTS,
    DOCUMENT_BODY,
    HR_IMPORT,
    KNOWLEDGE_FILES,
    WAGTAIL_DOCUMENTS,
    WAGTAIL_IMAGES,
    UploadRefused,
    check_upload,
)
from tests.factories.files import MB, docx_bomb, docx_file, xlsx_bomb, xlsx_file

PDF = b"%PDF-1.4\n1 0 obj<<>>endobj\ntrailer<<>>\n%%EOF\n"
SVG_WITH_SCRIPT = b'<svg xmlns="http://www.w3.org/2000/svg"><script>alert(1)</script></svg>'
HTML = b"<!doctype html><html><body><script>alert(1)</script></body></html>"
EXE = b"MZ\x90\x00\x03\x00\x00\x00" + b"\x00" * 200


def png(width=4, height=4) -> bytes:
    buffer = io.BytesIO()
    Image.new("RGB", (width, height), "white").save(buffer, "PNG")
    return buffer.getvalue()


def refusal_code(content: bytes, name: str, policy) -> str:
    with pytest.raises(UploadRefused) as refused:
        check_upload(ContentFile(content, name=name), policy)
    return refused.value.code


@pytest.mark.parametrize(
    ("content", "name", "policy", "kind"),
    [
        (PDF, "通知.pdf", DOCUMENT_ATTACHMENTS, "PDF"),
        (docx_file(), "正文.docx", DOCUMENT_BODY, "DOCX"),
        (xlsx_file([["a"]]), "表.xlsx", KNOWLEDGE_FILES, "XLSX"),
        (png(), "图.png", WAGTAIL_IMAGES, "PNG"),
        ("工号,姓名\n".encode("gb18030"), "人员.csv", HR_IMPORT, "CSV"),
        ("说明".encode(), "说明.txt", WAGTAIL_DOCUMENTS, "TXT"),
    ],
)
def test_accepted_files_report_their_kind(content, name, policy, kind):
    assert check_upload(ContentFile(content, name=name), policy).label == kind


@pytest.mark.parametrize(
    ("content", "name", "code"),
    [
        (PDF, "evil.html", "extension"),  # the name must agree with the content
        (PDF, "evil.docx", "extension"),
        (EXE, "setup.exe", "type"),
        (EXE, "setup.pdf", "type"),
        (HTML, "page.html", "type"),
        (HTML, "page.txt", "type"),  # markup is not text, whatever its name
        (SVG_WITH_SCRIPT, "logo.svg", "type"),
        (b"", "empty.pdf", "empty"),
        (b"PK\x03\x04" + b"\x00" * 100, "fake.docx", "type"),
    ],
)
def test_refused_files(content, name, code):
    assert refusal_code(content, name, WAGTAIL_DOCUMENTS) == code


def test_a_pdf_named_html_is_refused_as_a_document_attachment():
    with pytest.raises(UploadRefused):
        check_upload(ContentFile(PDF, name="evil.html"), DOCUMENT_ATTACHMENTS)


def test_each_use_has_its_allow_list():
    assert refusal_code(PDF, "正文.pdf", DOCUMENT_BODY) == "type"
    assert refusal_code(png(), "图.png", HR_IMPORT) == "type"
    assert refusal_code(docx_file(), "a.docx", WAGTAIL_IMAGES) == "type"


def test_size_limit_comes_from_the_use_setting(settings):
    settings.WORKFLOW_MAX_UPLOAD_BYTES = 10
    assert refusal_code(PDF, "a.pdf", DOCUMENT_ATTACHMENTS) == "too_large"
    assert check_upload(ContentFile(PDF, name="a.pdf"), KNOWLEDGE_FILES).label == "PDF"


def test_a_docx_bomb_is_refused_before_parsing_quickly_and_cheaply(monkeypatch):
    bomb = docx_bomb()
    assert len(bomb) < 250_000  # ≈200 KB on disk, 60 MB inside
    import docx

    monkeypatch.setattr(docx, "Document", lambda *a, **k: pytest.fail("parsed a bomb"))
    tracemalloc.start()
    started = time.perf_counter()
    try:
        assert refusal_code(bomb, "bomb.docx", DOCUMENT_BODY) == "bomb"
        elapsed = time.perf_counter() - started
        _current, peak = tracemalloc.get_traced_memory()
    finally:
        tracemalloc.stop()
    print(f"refused docx bomb: {elapsed * 1000:.1f} ms, peak {peak / 1024:.0f} KiB traced")
    assert peak < 2 * MB
    assert elapsed < 2


def test_an_xlsx_bomb_is_refused():
    assert refusal_code(xlsx_bomb(), "bomb.xlsx", HR_IMPORT) == "bomb"


def test_the_expanded_size_limit_applies_to_the_whole_archive(settings):
    settings.UPLOAD_MAX_EXPANDED_BYTES = 10_000
    assert refusal_code(docx_file(["正文"] * 50), "a.docx", DOCUMENT_BODY) == "bomb"


def test_too_many_members_is_a_bomb(monkeypatch):
    monkeypatch.setattr(uploads, "MAX_ARCHIVE_MEMBERS", 3)
    assert refusal_code(docx_file(), "a.docx", DOCUMENT_BODY) == "bomb"


def test_an_image_over_the_pixel_limit_is_refused_from_its_header(settings):
    settings.UPLOAD_MAX_IMAGE_PIXELS = 100
    assert refusal_code(png(20, 20), "big.png", WAGTAIL_IMAGES) == "bomb"
    assert check_upload(ContentFile(png(5, 5), name="ok.png"), WAGTAIL_IMAGES).label == "PNG"


def test_a_damaged_image_is_refused():
    assert refusal_code(png()[:40], "broken.png", WAGTAIL_IMAGES) == "damaged"


def test_wagtail_settings_follow_the_policies(settings):
    assert sorted(settings.WAGTAILDOCS_EXTENSIONS) == sorted(
        extension.lstrip(".") for extension in WAGTAIL_DOCUMENTS.extensions()
    )
    assert sorted(settings.WAGTAILIMAGES_EXTENSIONS) == sorted(
        extension.lstrip(".") for extension in WAGTAIL_IMAGES.extensions()
    )
    assert WAGTAIL_DOCUMENTS.max_bytes() == settings.WAGTAILDOCS_MAX_UPLOAD_SIZE
    assert WAGTAIL_IMAGES.max_bytes() == settings.WAGTAILIMAGES_MAX_UPLOAD_SIZE
    assert uploads.max_image_pixels() == settings.WAGTAILIMAGES_MAX_IMAGE_PIXELS
    assert settings.WAGTAILDOCS_INLINE_CONTENT_TYPES == ["application/pdf"]

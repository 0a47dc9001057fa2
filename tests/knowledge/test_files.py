"""File items: checked uploads, every version kept, downloads counted, previews inline."""

import hashlib

import pytest
from django.conf import settings
from django.core.files.uploadedfile import SimpleUploadedFile
from django.template.defaultfilters import filesizeformat
from django.utils import translation
from django.utils.html import escape
from django.utils.translation import gettext

from core.uploads import KNOWLEDGE_FILES
from demo import samplefiles
from knowledge.models import KnowledgeFile, KnowledgeFileVersion, KnowledgeItemPage
from knowledge.services import KnowledgeError, file_version_add
from tests.factories.knowledge import KnowledgeFilePageFactory, add_version, upload

pytestmark = pytest.mark.django_db

PDF = b"%PDF-1.4\n%\xe2\xe3\xcf\xd3\n1 0 obj\n<<>>\nendobj\ntrailer\n<<>>\n%%EOF\n"


@pytest.fixture
def item(rules, unit_a):
    return KnowledgeFilePageFactory(
        parent=rules, title="设备管理制度", slug="equipment", owner_unit=unit_a
    )


@pytest.fixture
def editor_client(client, editor):
    client.force_login(editor)
    return client


def post_upload(client, item, name, content, **data):
    return client.post(
        f"/knowledge-center/items/{item.pk}/upload/",
        {"upload": SimpleUploadedFile(name, content), **data},
    )


def stored_files(settings) -> list:
    private = settings.MEDIA_ROOT / "private"
    return [path for path in private.rglob("*") if path.is_file()] if private.exists() else []


NOT_ACCEPTED = "This file type is not accepted here; accepted types: %(types)s."
ACCEPTED = {"types": KNOWLEDGE_FILES.types_label()}
MISNAMED = "The file's content is %(kind)s, but its name ends in “%(extension)s”."


def in_site_language(message: str, **values) -> str:
    with translation.override(settings.LANGUAGE_CODE):
        return escape(gettext(message) % values if values else gettext(message))


@pytest.mark.parametrize(
    ("name", "content", "message", "values"),
    [
        ("报告.pdf", b"MZ\x90\x00" + b"\x00" * 200, NOT_ACCEPTED, ACCEPTED),
        ("报告.pdf", b"PK\x03\x04" + b"\x00" * 200, NOT_ACCEPTED, ACCEPTED),
        ("报告.pdf", "只是一段文字".encode(), MISNAMED, {"kind": "TXT", "extension": ".pdf"}),
        ("空白.pdf", b"", "The submitted file is empty.", {}),
        ("图片.png", b"%PDF-1.4 not an image", MISNAMED, {"kind": "PDF", "extension": ".png"}),
    ],
)
def test_uploads_are_checked_by_their_content(
    editor_client, item, settings, name, content, message, values
):
    response = post_upload(editor_client, item, name, content)
    assert response.status_code == 200
    assert in_site_language(message, **values) in response.content.decode()
    assert not KnowledgeFile.objects.exists()
    assert stored_files(settings) == []


def test_the_service_refuses_an_empty_file_too(editor, item, settings):
    with pytest.raises(KnowledgeError, match=in_site_language("The file is empty.")):
        add_version(item, editor, "空白.pdf", b"")
    assert stored_files(settings) == []


def test_oversized_uploads_are_refused_with_the_limit(editor_client, item, settings):
    settings.KNOWLEDGE_MAX_UPLOAD_BYTES = 1024
    response = post_upload(editor_client, item, "大文件.pdf", PDF + b"0" * 2048)
    with translation.override(settings.LANGUAGE_CODE):
        limit = filesizeformat(1024)
    assert limit in response.content.decode()
    assert not KnowledgeFileVersion.objects.exists()
    assert stored_files(settings) == []


def test_office_files_are_told_apart_by_their_content(editor, item):
    docx = samplefiles.docx_file("模板", ["正文"])
    xlsx = samplefiles.xlsx_file({"表": [["a", 1]]})
    assert add_version(item, editor, "模板.docx", docx).content_type.endswith("document")
    assert add_version(item, editor, "清单.xlsx", xlsx).content_type.endswith("sheet")
    with pytest.raises(KnowledgeError):
        add_version(item, editor, "伪装.docx", xlsx)


def test_gb18030_text_is_accepted(editor, item, django_capture_on_commit_callbacks):
    with django_capture_on_commit_callbacks(execute=True):
        version = add_version(item, editor, "说明.txt", "设备点检说明".encode("gb18030"))
    assert version.content_type == "text/plain"
    version.refresh_from_db()
    assert version.extracted_text == "设备点检说明"


def test_every_version_is_kept_and_the_newest_is_shown(editor_client, editor, item):
    first = add_version(item, editor, "制度.pdf", PDF, note="首次发布")
    second = add_version(
        item, editor, "制度-修订.pdf", PDF + b"%rev2\n", file=first.file, note="第三条修订"
    )
    assert [v.number for v in first.file.versions.all()] == [2, 1]
    assert KnowledgeFile.objects.get().current_version == second
    assert second.sha256 == hashlib.sha256(PDF + b"%rev2\n").hexdigest()
    assert second.size == len(PDF) + 6
    assert second.uploaded_by == editor

    page = editor_client.get(item.url).content.decode()
    assert f"/knowledge-center/files/{second.pk}/download/" in page
    assert "第三条修订" in page and "首次发布" in page  # the history
    older = editor_client.get(f"/knowledge-center/files/{first.pk}/download/")
    assert b"".join(older.streaming_content) == PDF


def test_an_editor_uploads_a_new_version_through_the_screen(editor_client, editor, item):
    first = add_version(item, editor, "制度.pdf", PDF)
    response = post_upload(
        editor_client, item, "制度.pdf", PDF + b"%v2\n", file=first.file.pk, change_note="更新"
    )
    assert response.status_code == 302
    file = KnowledgeFile.objects.get()
    assert file.current_version.number == 2
    assert file.current_version.change_note == "更新"


def test_downloads_and_views_are_counted_without_reading_the_row(staff_client, editor, item):
    version = add_version(item, editor, "制度.pdf", PDF)
    staff_client.get(item.url)
    staff_client.get(item.url)
    staff_client.get(f"/knowledge-center/files/{version.pk}/download/")
    staff_client.get(f"/knowledge-center/files/{version.pk}/view/")  # a preview is no download
    counted = KnowledgeItemPage.objects.get(pk=item.pk)
    assert (counted.view_count, counted.download_count) == (2, 1)


def test_publishing_a_revision_keeps_the_counters(staff_client, editor, item):
    staff_client.get(item.url)
    draft = item.get_latest_revision_as_object()
    draft.title = "设备管理制度（修订）"
    draft.save_revision(user=editor).publish()
    assert KnowledgeItemPage.objects.get(pk=item.pk).view_count == 1


def test_pdf_and_images_preview_inline(staff_client, editor, item):
    pdf = add_version(item, editor, "制度.pdf", PDF)
    png = add_version(item, editor, "流程图.png", samplefiles.scan_png(["流程"]))
    page = staff_client.get(item.url).content.decode()
    assert f'src="/knowledge-center/files/{pdf.pk}/view/"' in page
    assert f'src="/knowledge-center/files/{png.pk}/view/"' in page
    inline = staff_client.get(f"/knowledge-center/files/{pdf.pk}/view/")
    assert inline["Content-Disposition"].startswith("inline")
    assert inline["X-Frame-Options"] == "SAMEORIGIN"
    download = staff_client.get(f"/knowledge-center/files/{pdf.pk}/download/")
    assert download["Content-Disposition"].startswith("attachment")


def test_the_service_refuses_non_editors(staff, item):
    from django.core.exceptions import PermissionDenied

    with pytest.raises(PermissionDenied):
        file_version_add(item=item, user=staff, uploaded=upload("a.pdf", PDF))


def test_a_docx_bomb_is_refused_before_anything_is_stored_or_parsed(
    editor_client, item, settings, monkeypatch
):
    import docx

    from tests.factories.files import docx_bomb

    bomb = docx_bomb()
    monkeypatch.setattr(docx, "Document", lambda *a, **k: pytest.fail("parsed a bomb"))
    response = post_upload(editor_client, item, "炸弹.docx", bomb)
    assert response.status_code == 200
    with translation.override(settings.LANGUAGE_CODE):
        limit = filesizeformat(2**20 * 100)
        message = gettext(
            "The file expands to more than %(limit)s when opened, or is compressed "
            "suspiciously well; it is refused as a possible decompression bomb."
        ) % {"limit": limit}
    assert escape(message) in response.content.decode()
    assert not KnowledgeFileVersion.objects.exists()
    assert stored_files(settings) == []

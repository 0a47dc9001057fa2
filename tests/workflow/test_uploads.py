"""Document bodies and attachments follow the upload policy; downloads carry the checked type."""

import pytest
from django.core.exceptions import ValidationError
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse

from tests.factories.files import docx_bomb, docx_file
from workflow import services
from workflow.models import OutgoingDocument

pytestmark = pytest.mark.django_db

PDF = b"%PDF-1.4\n1 0 obj<<>>endobj\ntrailer<<>>\n%%EOF\n"


def test_a_pdf_named_html_is_refused_as_an_attachment(office, document, english_messages):
    with pytest.raises(ValidationError, match=r"but its name ends in “\.html”"):
        services.attachment_add(
            document=document, user=office.drafter, file=SimpleUploadedFile("evil.html", PDF)
        )
    assert not document.attachments.exists()


def test_a_docx_bomb_is_refused_as_a_body_before_parsing(
    office, document, monkeypatch, english_messages
):
    import docx

    bomb = SimpleUploadedFile("正文.docx", docx_bomb())
    monkeypatch.setattr(docx, "Document", lambda *a, **k: pytest.fail("parsed a bomb"))
    with pytest.raises(ValidationError, match="decompression bomb"):
        services.document_update(document=document, user=office.drafter, body_file=bomb)
    document.refresh_from_db()
    assert not document.body_file


def test_a_docx_bomb_is_refused_as_an_attachment(office, document, english_messages):
    with pytest.raises(ValidationError, match="decompression bomb"):
        services.attachment_add(
            document=document,
            user=office.drafter,
            file=SimpleUploadedFile("附件.docx", docx_bomb()),
        )


def test_a_word_body_fills_the_body_text(office, document):
    OutgoingDocument.objects.filter(pk=document.pk).update(body="")
    document.refresh_from_db()
    services.document_update(
        document=document,
        user=office.drafter,
        body_file=SimpleUploadedFile("正文.docx", docx_file(["第一段", "第二段"])),
    )
    document.refresh_from_db()
    assert document.body == "<p>第一段</p><p>第二段</p>"


def test_downloads_are_typed_by_the_checked_content(client, office, document):
    attachment = services.attachment_add(
        document=document, user=office.drafter, file=SimpleUploadedFile("通知.pdf", PDF)
    )
    services.document_update(
        document=document,
        user=office.drafter,
        body_file=SimpleUploadedFile("正文.docx", docx_file()),
    )
    # A record stored before names were checked keeps being served by its checked type.
    attachment.name = "evil.html"
    attachment.save(update_fields=["name"])
    client.force_login(office.drafter)
    response = client.get(
        reverse("workflow:documents:attachment_download", args=[document.pk, attachment.pk])
    )
    assert response["Content-Type"] == "application/pdf"
    assert response["Content-Disposition"].startswith("attachment")
    assert response["X-Content-Type-Options"] == "nosniff"
    body = client.get(reverse("workflow:documents:body_download", args=[document.pk]))
    assert body["Content-Type"] == (
        "application/vnd.openxmlformats-officedocument.wordprocessingml.document"
    )
    assert body["Content-Disposition"].startswith("attachment")

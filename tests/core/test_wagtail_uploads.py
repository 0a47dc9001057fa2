"""Wagtail's documents and images (notice and news attachments) follow the upload policy, through
the admin's own upload screens, and documents are served as downloads unless they are PDFs."""

import io

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse
from django.utils import translation
from django.utils.html import escape
from django.utils.translation import gettext
from PIL import Image
from wagtail.documents import get_document_model
from wagtail.images import get_image_model
from wagtail.models import Collection

from tests.factories import UserFactory
from tests.factories.files import docx_bomb, docx_file

pytestmark = pytest.mark.django_db

Document = get_document_model()
PDF = b"%PDF-1.4\n1 0 obj<<>>endobj\ntrailer<<>>\n%%EOF\n"
SVG = b'<svg xmlns="http://www.w3.org/2000/svg"><script>alert(document.cookie)</script></svg>'
HTML = b"<html><body><script>alert(document.cookie)</script></body></html>"
EXE = b"MZ\x90\x00\x03\x00\x00\x00" + b"\x00" * 200


@pytest.fixture
def admin_client(client, portal):
    client.force_login(UserFactory(username="admin", is_superuser=True, is_staff=True))
    return client


def add_document(client, name: str, content: bytes):
    return client.post(
        reverse("wagtaildocs:add"),
        {
            "title": name,
            "file": SimpleUploadedFile(name, content),
            "collection": Collection.get_first_root_node().pk,
        },
    )


@pytest.mark.parametrize(
    ("name", "content"),
    [
        ("setup.exe", EXE),
        ("通知.html", HTML),
        ("logo.svg", SVG),
        ("evil.html", PDF),
        ("伪装.pdf", EXE),
        ("空.pdf", b""),
        ("炸弹.docx", None),
    ],
)
def test_the_admin_upload_refuses_what_the_policy_refuses(admin_client, name, content):
    response = add_document(admin_client, name, docx_bomb() if content is None else content)
    assert response.status_code == 200
    assert response.context["form"].errors["file"]
    assert not Document.objects.exists()


def test_an_oversized_document_is_refused_with_the_limit(admin_client, settings):
    settings.WAGTAILDOCS_MAX_UPLOAD_SIZE = 1024
    response = add_document(admin_client, "大.pdf", PDF + b"0" * 2048)
    assert response.status_code == 200
    assert response.context["form"].errors["file"]
    assert not Document.objects.exists()


def test_the_refusal_is_in_chinese(admin_client, settings):
    response = add_document(admin_client, "setup.exe", EXE)
    with translation.override(settings.LANGUAGE_CODE):
        message = gettext("This file type is not accepted here; accepted types: %(types)s.")
    assert escape(message.split("%(types)s")[0]) in response.content.decode()


def test_the_multiple_uploader_refuses_too(admin_client):
    response = admin_client.post(
        reverse("wagtaildocs:add_multiple"),
        {"files[]": SimpleUploadedFile("logo.svg", SVG)},
        headers={"x-requested-with": "XMLHttpRequest"},
    )
    assert response.json()["success"] is False
    assert not Document.objects.exists()


def test_accepted_documents_are_served_as_downloads_except_pdfs(admin_client):
    assert add_document(admin_client, "通知.pdf", PDF).status_code == 302
    assert add_document(admin_client, "附件.docx", docx_file()).status_code == 302
    pdf, word = Document.objects.order_by("pk")
    inline = admin_client.get(pdf.url)
    download = admin_client.get(word.url)
    assert inline["Content-Type"] == "application/pdf"
    assert download["Content-Disposition"].startswith("attachment")
    assert download["Content-Type"].startswith("application/vnd.openxmlformats")
    for response in (inline, download):
        assert response["X-Content-Type-Options"] == "nosniff"


def image(format_name="PNG", size=(8, 8)) -> bytes:
    buffer = io.BytesIO()
    Image.new("RGB", size, "white").save(buffer, format_name)
    return buffer.getvalue()


def add_image(client, name: str, content: bytes):
    return client.post(
        reverse("wagtailimages:add"),
        {
            "title": name,
            "file": SimpleUploadedFile(name, content),
            "collection": Collection.get_first_root_node().pk,
        },
    )


@pytest.mark.parametrize(
    ("name", "content"),
    [("logo.svg", SVG), ("图.png", EXE), ("图.jpg", image("PNG")), ("大图.png", None)],
)
def test_the_image_upload_refuses_what_the_policy_refuses(admin_client, settings, name, content):
    settings.UPLOAD_MAX_IMAGE_PIXELS = 10_000
    settings.WAGTAILIMAGES_MAX_IMAGE_PIXELS = 10_000
    response = add_image(admin_client, name, image(size=(200, 200)) if content is None else content)
    assert response.status_code == 200
    assert response.context["form"].errors["file"]
    assert not get_image_model().objects.exists()


def test_an_ordinary_image_is_accepted(admin_client):
    assert add_image(admin_client, "图.png", image()).status_code == 302
    assert get_image_model().objects.count() == 1


def test_the_choosers_upload_tab_refuses_too(admin_client):
    prefix = "document-chooser-upload"
    response = admin_client.post(
        reverse("wagtaildocs_chooser:create"),
        {
            f"{prefix}-title": "页面",
            f"{prefix}-file": SimpleUploadedFile("页面.html", HTML),
            f"{prefix}-collection": Collection.get_first_root_node().pk,
        },
    )
    assert response.json()["step"] == "reshow_creation_form"
    assert not Document.objects.exists()

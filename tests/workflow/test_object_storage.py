"""公文 attachments and bodies in an S3 bucket: streamed by the application after its check."""

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse

from tests.conftest import bucket_keys
from tests.factories.files import docx_file
from workflow import services

pytestmark = pytest.mark.django_db

PDF = b"%PDF-1.4\n1 0 obj<<>>endobj\ntrailer<<>>\n%%EOF\n"


def test_attachments_and_bodies_in_the_bucket_download_only_for_readers(
    object_storage, client, office, document
):
    attachment = services.attachment_add(
        document=document, user=office.drafter, file=SimpleUploadedFile("通知.pdf", PDF)
    )
    body = docx_file(["第一段"])
    services.document_update(
        document=document, user=office.drafter, body_file=SimpleUploadedFile("正文.docx", body)
    )
    assert {key.split("/")[1] for key in bucket_keys(object_storage)} == {"documents"}
    attachment_url = reverse(
        "workflow:documents:attachment_download", args=[document.pk, attachment.pk]
    )
    body_url = reverse("workflow:documents:body_download", args=[document.pk])

    client.force_login(office.drafter)
    assert b"".join(client.get(attachment_url).streaming_content) == PDF
    assert b"".join(client.get(body_url).streaming_content) == body

    client.force_login(office.finance_head)
    assert client.get(attachment_url).status_code == 404

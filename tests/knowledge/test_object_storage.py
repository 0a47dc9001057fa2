"""Knowledge files in an S3 bucket: stored under the private prefix, streamed after the check."""

import pytest
from django.core.files.storage import storages

from knowledge.models import KnowledgeFileVersion
from tests.conftest import bucket_keys
from tests.factories.knowledge import KnowledgeFilePageFactory, add_version
from tests.knowledge.conftest import grant_editors

pytestmark = pytest.mark.django_db


@pytest.fixture
def private_bucket(object_storage, monkeypatch):
    """The file field took its storage when the model was defined; point it at the bucket."""
    field = KnowledgeFileVersion._meta.get_field("blob")
    monkeypatch.setattr(field, "storage", storages["private"])
    return object_storage


def test_a_file_in_the_bucket_downloads_for_a_reader_and_not_for_an_outsider(
    private_bucket, administrator, unit_a_only, unit_a, editor, staff_client, other_client
):
    grant_editors(unit_a_only, administrator, editor)
    item = KnowledgeFilePageFactory(parent=unit_a_only, title="内部规程", owner_unit=unit_a)
    version = add_version(item, editor, "规程.txt", "内部规程全文。".encode())

    assert [key.split("/")[0] for key in bucket_keys(private_bucket)] == ["private"]
    download = staff_client.get(f"/knowledge-center/files/{version.pk}/download/")
    assert download.status_code == 200
    assert b"".join(download.streaming_content) == "内部规程全文。".encode()
    assert other_client.get(f"/knowledge-center/files/{version.pk}/download/").status_code == 404

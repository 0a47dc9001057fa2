"""Filed items and their files cannot change; only the destruction's state may."""

import pytest

from archive.models import ArchivedDocument, ArchiveFile, ArchiveItem
from tests.factories.archive import archived_item

pytestmark = pytest.mark.django_db


@pytest.fixture
def item(fonds, archivist):
    return archived_item(fonds, archivist)


def test_a_filed_item_cannot_be_changed_or_deleted(item):
    item.title = "改过的题名"
    with pytest.raises(PermissionError):
        item.save()
    with pytest.raises(PermissionError):
        item.delete()
    with pytest.raises(PermissionError):
        ArchiveItem.objects.filter(pk=item.pk).update(title="改过的题名")
    with pytest.raises(PermissionError):
        ArchiveItem.objects.filter(pk=item.pk).delete()
    assert ArchiveItem.objects.get(pk=item.pk).title == "关于做好年度安全生产工作的通知"


def test_its_files_cannot_be_changed_or_deleted(item):
    stored = item.files.first()
    stored.sha256 = "0" * 64
    with pytest.raises(PermissionError):
        stored.save()
    with pytest.raises(PermissionError):
        stored.delete()
    with pytest.raises(PermissionError):
        ArchiveFile.objects.filter(item=item).update(name="x.pdf")
    with pytest.raises(PermissionError):
        ArchivedDocument.objects.filter(item=item).delete()


def test_only_the_state_changes_on_destruction(item):
    item.mark_destroyed()
    assert ArchiveItem.objects.get(pk=item.pk).state == ArchiveItem.State.DESTROYED
    assert item.state == ArchiveItem.State.DESTROYED


def test_a_filed_processing_form_is_named_for_either_flow():
    from django.utils import translation

    from archive.models import ArchiveFile

    with translation.override("zh-hans"):
        assert str(ArchiveFile.Kind.FORM.label) == "处理单"  # not 发文稿纸: incoming ones too

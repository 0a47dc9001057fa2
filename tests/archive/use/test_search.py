"""Filed items are search entries: found by their audience as filed and the unit's archivists,
never by anyone else (another unit's staff or archivist, a colleague outside the audience); a
destroyed item leaves the index; a full reindex covers them."""

import pytest

from search import indexing, sync
from search.models import OutboxEntry
from search.query import SearchQuery
from search.registry import provider_for
from search.selectors import search_for
from tests.factories.archive import archived_item

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def database_search(settings):
    settings.ELASTICSEARCH_URL = None


def find(user, text):
    return [(hit.kind, hit.key) for hit in search_for(user, SearchQuery.build(text)).hits]


def test_filing_enqueues_the_item_with_its_codes_and_access(item, unit_a):
    assert OutboxEntry.objects.filter(kind="archive", key=str(item.pk)).exists()
    entry = provider_for("archive").entry_for(str(item.pk))
    assert entry.title == item.title
    assert entry.exact == (item.archive_code, item.doc_number)
    assert entry.url == f"/archive/items/{item.pk}/read/"
    assert entry.access == tuple(sorted((*item.audience, f"role:archivist:{unit_a.pk}")))


def test_the_audience_and_the_units_archivists_find_it(item, staff, archivist_a):
    sync.drain()
    assert ("archive", str(item.pk)) in find(staff, "安全生产责任制")
    assert ("archive", str(item.pk)) in find(archivist_a, item.doc_number)


def test_nobody_else_finds_it(item, colleague_a, staff_b, archivist_b):
    sync.drain()
    for outsider in (colleague_a, staff_b, archivist_b):
        assert find(outsider, "安全生产责任制") == [], outsider.username


def test_a_destroyed_item_leaves_the_index_and_the_reindex(item, staff, fonds_a, archivist_a):
    sync.drain()
    item.mark_destroyed()
    assert provider_for("archive").entry_for(str(item.pk)) is None
    kept = archived_item(fonds_a, archivist_a, number=2, title="关于安全生产检查的通报")
    indexing.rebuild()
    assert find(archivist_a, "安全生产") == [("archive", str(kept.pk))]


def test_malformed_keys_have_no_entry(db):
    assert provider_for("archive").entry_for("x") is None

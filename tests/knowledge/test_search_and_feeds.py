"""The knowledge center feeds search (entries with access lists, outbox on every change) and
per-category feeds that respect view rights."""

import pytest

from knowledge.search import KnowledgeSearchProvider
from search.models import OutboxEntry
from tests.factories.knowledge import KnowledgeArticlePageFactory, KnowledgeCategoryPageFactory
from tests.knowledge.conftest import restrict

pytestmark = pytest.mark.django_db


def queued(item) -> bool:
    return OutboxEntry.objects.filter(kind="knowledge", key=str(item.pk)).exists()


def test_publishing_queues_the_item_for_the_index(rules):
    item = KnowledgeArticlePageFactory(parent=rules)
    assert queued(item)


def test_restricting_a_category_queues_everything_below_it(rules, administrator, unit_a):
    sub = KnowledgeCategoryPageFactory(parent=rules, slug="sub")
    item = KnowledgeArticlePageFactory(parent=sub)
    OutboxEntry.objects.all().delete()
    restrict(rules, administrator, units=[unit_a])
    assert queued(item)


def test_entries_carry_text_unit_keywords_and_access(rules, unit_a_only, unit_a, headquarters):
    open_item = KnowledgeArticlePageFactory(
        parent=rules, title="公务用车管理办法", keywords="公务用车，车辆", owner_unit=headquarters
    )
    closed_item = KnowledgeArticlePageFactory(parent=unit_a_only, owner_unit=unit_a)
    entries = {entry.key: entry for entry in KnowledgeSearchProvider().entries()}
    entry = entries[str(open_item.pk)]
    assert entry.kind == "knowledge" and entry.title == "公务用车管理办法"
    assert "正文" in entry.body
    assert entry.tags == ("公务用车", "车辆")
    assert (entry.unit, entry.access) == ("HQ", ("all",))
    assert entries[str(closed_item.pk)].access == (f"org:{unit_a.path}",)


def test_unpublished_items_leave_the_index(rules):
    item = KnowledgeArticlePageFactory(parent=rules)
    item.unpublish()
    assert KnowledgeSearchProvider().entry_for(str(item.pk)) is None


def test_feed_lists_what_the_reader_may_see(staff_client, other_client, unit_a_only):
    KnowledgeArticlePageFactory(parent=unit_a_only, title="甲单位内部经验")
    url = f"/knowledge-center/categories/{unit_a_only.pk}/feed/"
    feed = staff_client.get(url)
    assert feed["Content-Type"].startswith("application/rss+xml")
    assert "甲单位内部经验" in feed.content.decode()
    assert other_client.get(url).status_code == 404


def test_api_mark_reviewed_is_for_owners_and_editors(staff_client, rules, editor, client):
    item = KnowledgeArticlePageFactory(parent=rules)
    url = f"/api/knowledge/items/{item.pk}/reviewed"
    assert staff_client.post(url).status_code == 403
    client.force_login(editor)
    assert client.post(url).status_code == 200


def test_a_new_file_item_goes_to_the_upload_screen(rules, editor, client):
    client.force_login(editor)
    response = client.post(
        f"/admin/pages/add/knowledge/knowledgefilepage/{rules.pk}/",
        {
            "title": "新文件",
            "slug": "new-file",
            "owner_unit": editor.department.pk,
            "keywords": "",
            "validity": "effective",
            "action-publish": "publish",
        },
    )
    assert response.status_code == 302
    assert "/knowledge-center/items/" in response["Location"]

"""Browsing: tree, breadcrumb, listing with sort, filters and paging, in a bounded number of
queries whatever the number of items."""

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from knowledge.models import KnowledgeItemPage
from tests.factories.knowledge import (
    KnowledgeArticlePageFactory,
    KnowledgeCategoryPageFactory,
    KnowledgeFilePageFactory,
    add_version,
)

pytestmark = pytest.mark.django_db
LISTING_QUERIES = 15


def titles(response) -> list[str]:
    html = response.content.decode()
    marker = 'data-testid="knowledge-item">'
    titles = []
    for chunk in html.split(marker)[1:]:
        link = chunk.split("<a href=", 1)[1]
        titles.append(link.split(">", 1)[1].split("</a>", 1)[0])
    return titles


@pytest.fixture
def listing(rules, unit_a, headquarters):
    a = KnowledgeArticlePageFactory(parent=rules, title="乙 文章", owner_unit=unit_a)
    b = KnowledgeFilePageFactory(parent=rules, title="甲 文件", owner_unit=headquarters)
    c = KnowledgeArticlePageFactory(parent=rules, title="丙 文章", owner_unit=headquarters)
    KnowledgeItemPage.objects.filter(pk=b.pk).update(view_count=9)
    KnowledgeItemPage.objects.filter(pk=c.pk).update(validity="superseded", superseded_by=a)
    return a, b, c


def test_sorts(staff_client, rules, listing):
    assert titles(staff_client.get(rules.url)) == ["丙 文章", "甲 文件", "乙 文章"]
    assert titles(staff_client.get(rules.url, {"sort": "views"}))[0] == "甲 文件"
    by_title = titles(staff_client.get(rules.url, {"sort": "title"}))
    assert by_title == sorted(by_title)


def test_filters(staff_client, rules, listing, unit_a):
    assert titles(staff_client.get(rules.url, {"type": "file"})) == ["甲 文件"]
    assert titles(staff_client.get(rules.url, {"unit": unit_a.pk})) == ["乙 文章"]
    assert titles(staff_client.get(rules.url, {"validity": "superseded"})) == ["丙 文章"]
    assert set(titles(staff_client.get(rules.url, {"validity": "effective"}))) == {
        "乙 文章",
        "甲 文件",
    }


def test_paging_keeps_the_filters(staff_client, rules, unit_a):
    for number in range(25):
        KnowledgeArticlePageFactory(parent=rules, title=f"文章{number:02d}", owner_unit=unit_a)
    first = staff_client.get(rules.url, {"sort": "title"})
    assert len(titles(first)) == 20
    assert "?sort=title&amp;page=2" in first.content.decode()
    assert len(titles(staff_client.get(rules.url, {"sort": "title", "page": 2}))) == 5


def test_tree_and_breadcrumb(staff_client, rules, knowledge_index, unit_a_only, other_client):
    sub = KnowledgeCategoryPageFactory(parent=rules, title="安全生产", slug="safety")
    deeper = KnowledgeCategoryPageFactory(parent=sub, title="消防", slug="fire")
    item = KnowledgeArticlePageFactory(parent=deeper, title="消防器材检查")
    page = staff_client.get(item.url).content.decode()
    tree = page.split('data-testid="knowledge-tree"')[1].split("</ul>")[0]
    assert [part.split("</a>")[0].rsplit(">", 1)[1] for part in tree.split("<li")[1:]] == [
        "规章制度",
        "安全生产",
        "消防",
        "甲单位专区",
    ]
    crumbs = page.split('data-testid="knowledge-breadcrumb"')[1].split("</nav>")[0]
    for title in ("知识中心", "规章制度", "安全生产", "消防"):
        assert title in crumbs
    assert "甲单位专区" not in other_client.get(item.url).content.decode()


def count_queries(client, url) -> int:
    client.get(url)  # warm the caches a real server keeps (site root paths, content types)
    with CaptureQueriesContext(connection) as queries:
        response = client.get(url)
    assert response.status_code == 200
    return len(queries)


def test_listing_queries_do_not_grow_with_items(
    staff_client, rules, unit_a, editor, django_assert_max_num_queries, unit_a_only
):
    def add(count):
        for number in range(count):
            KnowledgeArticlePageFactory(parent=rules, owner_unit=unit_a)
            file_item = KnowledgeFilePageFactory(parent=rules, owner_unit=unit_a)
            if number % 3 == 0:
                add_version(file_item, editor, "a.txt", b"text")

    add(2)
    few = count_queries(staff_client, rules.url)
    add(18)  # ten times the items
    many = count_queries(staff_client, rules.url)
    assert many == few
    with django_assert_max_num_queries(LISTING_QUERIES):
        staff_client.get(rules.url, {"sort": "views", "type": "article", "unit": unit_a.pk})
    with django_assert_max_num_queries(LISTING_QUERIES):
        staff_client.get(f"/api/knowledge/categories/{rules.pk}/items")


def test_api_lists_items_with_counters(staff_client, rules, listing):
    data = staff_client.get(f"/api/knowledge/categories/{rules.pk}/items", {"sort": "views"}).json()
    assert data["count"] == 3
    first = data["items"][0]
    assert (first["title"], first["type"], first["views"]) == ("甲 文件", "file", 9)
    superseded = next(item for item in data["items"] if item["title"] == "丙 文章")
    assert superseded["validity"] == "superseded" and superseded["superseded_by"] == listing[0].pk


def test_api_item_detail_lists_versions(staff_client, rules, editor):
    item = KnowledgeFilePageFactory(parent=rules)
    first = add_version(item, editor, "a.txt", b"one")
    add_version(item, editor, "a.txt", b"two", file=first.file, note="第二版")
    detail = staff_client.get(f"/api/knowledge/items/{item.pk}").json()
    versions = detail["files"][0]["versions"]
    assert [v["number"] for v in versions] == [2, 1]
    assert versions[0]["change_note"] == "第二版"
    assert versions[1]["download_url"].endswith(f"/knowledge-center/files/{first.pk}/download/")

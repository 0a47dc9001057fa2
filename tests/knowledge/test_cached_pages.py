"""The knowledge center and its categories are rendered once per version of what they show and
per set of rights: every change shows on the next request, and nobody is ever served a rendering
made for rights they lack."""

import re
from datetime import timedelta

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.utils import timezone

from knowledge.models import CategoryAccess, KnowledgeItemPage
from knowledge.services import item_mark_reviewed
from tests.factories.knowledge import KnowledgeArticlePageFactory, KnowledgeCategoryPageFactory

from .conftest import restrict

pytestmark = pytest.mark.django_db


def html(client, url, **params) -> str:
    response = client.get(url, params)
    assert response.status_code == 200
    return response.content.decode()


def view_counts(page: str) -> list[str]:
    return re.findall(r'data-testid="view-count">[^<]*?(\d+)</span>', page)


def test_a_published_item_shows_at_once(staff_client, rules, knowledge_index):
    assert "新发布的制度" not in html(staff_client, rules.url)
    assert "新发布的制度" not in html(staff_client, knowledge_index.url)

    KnowledgeArticlePageFactory(parent=rules, title="新发布的制度")

    assert "新发布的制度" in html(staff_client, rules.url)
    assert "新发布的制度" in html(staff_client, knowledge_index.url)


def test_an_unpublished_item_and_a_renamed_category_show_at_once(staff_client, rules):
    item = KnowledgeArticlePageFactory(parent=rules, title="将撤下的制度")
    assert "将撤下的制度" in html(staff_client, rules.url)

    item.unpublish()
    rules.title = "规章制度汇编"
    rules.save_revision().publish()

    page = html(staff_client, rules.url)
    assert "将撤下的制度" not in page and "规章制度汇编" in page


def test_views_counted_show_in_the_listing_at_once(staff_client, rules):
    item = KnowledgeArticlePageFactory(parent=rules, title="常看的制度")
    assert view_counts(html(staff_client, rules.url)) == ["0"]

    staff_client.get(item.url)

    assert view_counts(html(staff_client, rules.url)) == ["1"]


def test_marking_reviewed_clears_the_out_of_date_flag_at_once(staff_client, rules, editor):
    item = KnowledgeArticlePageFactory(parent=rules, title="过期的制度", responsible=editor)
    KnowledgeItemPage.objects.filter(pk=item.pk).update(
        review_date=timezone.localdate() - timedelta(days=1)
    )
    page_before = html(staff_client, rules.url, sort="title")
    assert "xt-kc-flag--overdue" in page_before

    item_mark_reviewed(item=KnowledgeItemPage.objects.get(pk=item.pk), user=editor)

    assert "xt-kc-flag--overdue" not in html(staff_client, rules.url, sort="title")


def test_a_renamed_owning_unit_shows_at_once(staff_client, rules, unit_a):
    KnowledgeArticlePageFactory(parent=rules, owner_unit=unit_a)
    assert "甲单位新名" not in html(staff_client, rules.url)

    unit_a.name = "甲单位新名"
    unit_a.short_name = ""
    unit_a.save()

    assert "甲单位新名" in html(staff_client, rules.url)


def test_a_user_without_the_right_never_sees_a_cached_listing(
    staff_client, other_client, knowledge_index, unit_a_only
):
    KnowledgeArticlePageFactory(parent=unit_a_only, title="甲单位内部资料")
    # Unit A's members render and cache the index and the category first.
    assert "甲单位内部资料" in html(staff_client, knowledge_index.url)
    assert "甲单位内部资料" in html(staff_client, unit_a_only.url)

    index = html(other_client, knowledge_index.url)

    assert "甲单位专区" not in index and "甲单位内部资料" not in index
    assert other_client.get(unit_a_only.url).status_code == 404


def test_restricting_a_category_hides_it_at_once(
    staff_client, other_client, knowledge_index, administrator, unit_a
):
    category = KnowledgeCategoryPageFactory(parent=knowledge_index, title="技术标准", slug="std")
    KnowledgeArticlePageFactory(parent=category, title="技术标准第一号")
    assert "技术标准第一号" in html(other_client, knowledge_index.url)
    assert other_client.get(category.url).status_code == 200

    restrict(category, administrator, units=[unit_a])

    assert "技术标准第一号" not in html(other_client, knowledge_index.url)
    assert other_client.get(category.url).status_code == 404
    assert "技术标准第一号" in html(staff_client, knowledge_index.url)


def test_opening_a_category_again_shows_it_at_once(
    other_client, knowledge_index, administrator, unit_a, unit_b
):
    category = KnowledgeCategoryPageFactory(parent=knowledge_index, title="技术标准", slug="std")
    restrict(category, administrator, units=[unit_a])
    assert other_client.get(category.url).status_code == 404

    restrict(category, administrator, units=[unit_a, unit_b])

    assert other_client.get(category.url).status_code == 200
    access = CategoryAccess.objects.get(category=category)
    access.view_rule = CategoryAccess.ViewRule.INHERIT
    access.save()
    assert "技术标准" in html(other_client, knowledge_index.url)


def test_a_moved_category_is_found_at_its_new_address(staff_client, rules, knowledge_index):
    sub = KnowledgeCategoryPageFactory(parent=rules, title="消防", slug="fire")
    old_url = sub.url
    assert staff_client.get(old_url).status_code == 200

    sub.move(knowledge_index, pos="last-child")
    sub.refresh_from_db()

    assert staff_client.get(old_url).status_code in (301, 404)  # Wagtail redirects moved pages
    assert "消防" in html(staff_client, sub.url)


def test_a_cached_category_costs_few_queries(staff_client, rules, unit_a):
    for number in range(25):
        KnowledgeArticlePageFactory(parent=rules, title=f"文章{number:02d}", owner_unit=unit_a)
    staff_client.get(rules.url)
    with CaptureQueriesContext(connection) as queries:
        staff_client.get(rules.url)
    # The layout's own (the user, the bell) and the routing down to the knowledge center.
    assert len(queries) <= 6

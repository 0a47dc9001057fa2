"""Wagtail's page privacy is off on intranet pages: audiences and category access are the only
rules, and every read path treats a page the same way. A restriction row left from before (or
written by hand) protects nothing anywhere, so no surface shows what another hides."""

import importlib
import xml.etree.ElementTree as ET

import pytest
from django.apps import apps
from django.contrib.auth.models import Group
from django.urls import reverse
from wagtail.models import PageViewRestriction

from home.models import NewsPage
from home.search import NewsProvider
from tests.factories import UserFactory
from tests.factories.publishing import NewsColumnPageFactory, NewsPageFactory

pytestmark = pytest.mark.django_db

TITLE = "只给领导看的新闻"
BODY = "只给领导看的新闻正文"


@pytest.fixture
def restricted_news(portal):
    """A news item carrying a leftover group restriction, as Wagtail's privacy dialog wrote it."""
    news = NewsPageFactory(title=TITLE, parent=NewsColumnPageFactory(title="集团要闻"))
    restriction = PageViewRestriction.objects.create(
        page=news, restriction_type=PageViewRestriction.GROUPS
    )
    restriction.groups.add(Group.objects.create(name="仅限领导"))
    return news


def test_the_page_answers_like_every_other_surface(staff_client, restricted_news):
    response = staff_client.get(restricted_news.url)

    assert response.status_code == 200
    assert BODY in response.content.decode()


def test_the_column_list_shows_it_as_the_page_does(staff_client, restricted_news):
    column = restricted_news.get_parent()

    assert TITLE in staff_client.get(column.url).content.decode()
    assert staff_client.get(restricted_news.url).status_code == 200


def test_the_api_list_shows_it_as_the_page_does(staff_client, restricted_news):
    items = staff_client.get("/api/news").json()["items"]

    assert [item["title"] for item in items] == [TITLE]
    assert staff_client.get(restricted_news.url).status_code == 200


def test_the_api_detail_shows_it_as_the_page_does(staff_client, restricted_news):
    detail = staff_client.get(f"/api/news/{restricted_news.pk}").json()

    assert BODY in detail["body"]
    assert staff_client.get(restricted_news.url).status_code == 200


def test_the_feed_shows_it_as_the_page_does(staff_client, restricted_news):
    feed = staff_client.get(reverse("home:column_feed", args=[restricted_news.get_parent().pk]))

    assert [item.findtext("title") for item in ET.fromstring(feed.content).iter("item")] == [TITLE]
    assert staff_client.get(restricted_news.url).status_code == 200


def test_the_search_entry_is_for_everyone_as_the_page_is(staff_client, restricted_news):
    entry = NewsProvider().entry_for(str(restricted_news.pk))

    assert entry.access == ("all",)
    assert staff_client.get(restricted_news.url).status_code == 200


def test_the_admin_offers_no_privacy_setting(client, restricted_news):
    admin = UserFactory(username="admin", is_superuser=True, is_staff=True)
    client.force_login(admin)
    PageViewRestriction.objects.all().delete()

    edit_screen = client.get(reverse("wagtailadmin_pages:edit", args=[restricted_news.pk]))
    client.post(
        reverse("wagtailadmin_pages:set_privacy", args=[restricted_news.pk]),
        {"restriction_type": PageViewRestriction.LOGIN},
    )

    assert edit_screen.status_code == 200
    assert "set-privacy" not in edit_screen.content.decode()
    assert not PageViewRestriction.objects.exists()


def test_the_migration_removes_restrictions_set_before(restricted_news):
    migration = importlib.import_module("home.migrations.0003_page_view_restrictions_removed")

    migration.remove_page_view_restrictions(apps, None)

    assert not PageViewRestriction.objects.exists()
    assert NewsPage.objects.get(pk=restricted_news.pk).live

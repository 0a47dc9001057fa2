"""Feeds and the JSON API for news and notices: what they list, and that notices keep to their
audience on every path."""

import datetime
import xml.etree.ElementTree as ET

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone
from wagtail.images import get_image_model
from wagtail.images.tests.utils import get_test_image_file

from home.models import NewsColumnPage, NewsIndexPage, NewsPage, NoticeIndexPage, NoticePage
from people.models import OrgUnit
from tests.factories import OrgUnitFactory, UserFactory

ATOM = "{http://www.w3.org/2005/Atom}"


@pytest.fixture(autouse=True)
def _media_in_tmp(settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path


@pytest.fixture
def news_index(portal):
    return NewsIndexPage.objects.child_of(portal).get()


@pytest.fixture
def notice_index(portal):
    return NoticeIndexPage.objects.child_of(portal).get()


@pytest.fixture
def column(news_index):
    return news_index.add_child(instance=NewsColumnPage(title="集团要闻", slug="group-news"))


@pytest.fixture
def other_column(news_index):
    return news_index.add_child(instance=NewsColumnPage(title="基层动态", slug="unit-news"))


@pytest.fixture
def unit_b(headquarters):
    return OrgUnitFactory(parent=headquarters, code="UB", name="乙单位", kind=OrgUnit.Kind.UNIT)


@pytest.fixture
def unit_b_client(client, unit_b):
    department = OrgUnitFactory(
        parent=unit_b, code="UB-SCB", name="生产部", kind=OrgUnit.Kind.DEPARTMENT
    )
    client.force_login(UserFactory(name="李四", department=department))
    return client


def add_news(column, title, *, days_ago=0, live=True, cover=False, tags=()):
    image = None
    if cover:
        image = get_image_model().objects.create(title=title, file=get_test_image_file())
    page = NewsPage(
        title=title,
        news_date=timezone.localdate() - datetime.timedelta(days=days_ago),
        summary=f"{title}的摘要",
        author="陈静",
        cover_image=image,
        live=live,
    )
    page.tags.add(*tags)
    return column.add_child(instance=page)


def add_notice(index, title, *, units=(), expires_on=None, pinned_until=None, priority=0):
    page = NoticePage(
        title=title,
        issuing_department=OrgUnit.objects.get(code="HQ"),
        body=f"<p>{title}的正文</p>",
        audience=NoticePage.Audience.CHOSEN if units else NoticePage.Audience.EVERYONE,
        audience_units=list(units),
        expires_on=expires_on,
        pinned_until=pinned_until,
        priority=priority,
    )
    return index.add_child(instance=page)


def titles(response):
    return [item["title"] for item in response.json()["items"]]


def feed_titles(response):
    root = ET.fromstring(response.content)
    if root.tag == f"{ATOM}feed":
        return [entry.findtext(f"{ATOM}title") for entry in root.iter(f"{ATOM}entry")]
    return [item.findtext("title") for item in root.iter("item")]


# News through the API


def test_news_api_lists_live_news_newest_first_with_column_cover_and_tags(
    staff_client, column, other_column
):
    add_news(column, "较早的新闻", days_ago=5, tags=["安全生产"])
    add_news(other_column, "最新的新闻", days_ago=1, cover=True)
    add_news(column, "未发布的新闻", live=False)

    response = staff_client.get("/api/news")

    assert response.status_code == 200
    body = response.json()
    assert body["count"] == 2
    newest, older = body["items"]
    assert [newest["title"], older["title"]] == ["最新的新闻", "较早的新闻"]
    assert newest["column"] == {"id": other_column.pk, "title": "基层动态"}
    assert newest["url"].startswith("http://testserver/news/unit-news/")
    assert "fill-480x270" in newest["cover_image"]
    assert newest["cover_image"].startswith("http://testserver/")
    assert older["cover_image"] is None
    assert older["tags"] == ["安全生产"]


def test_news_api_filters_by_column_and_refuses_an_unknown_column(
    staff_client, column, other_column, notice_index
):
    add_news(column, "要闻")
    add_news(other_column, "动态")

    assert titles(staff_client.get(f"/api/news?column={column.pk}")) == ["要闻"]
    assert staff_client.get(f"/api/news?column={notice_index.pk}").status_code == 404


def test_news_api_pages_with_a_bounded_page_size(staff_client, column):
    for number in range(7):
        add_news(column, f"新闻{number}", days_ago=number)

    second = staff_client.get("/api/news?page=2&page_size=3").json()
    capped = staff_client.get("/api/news?page_size=100000").json()

    assert second["num_pages"] == 3
    assert [item["title"] for item in second["items"]] == ["新闻3", "新闻4", "新闻5"]
    assert len(capped["items"]) == 7


def test_news_api_detail_shows_live_news_only(staff_client, column):
    news = add_news(column, "已发布", tags=["培训"])
    draft = add_news(column, "草稿", live=False)

    response = staff_client.get(f"/api/news/{news.pk}")

    assert response.status_code == 200
    assert response.json()["title"] == "已发布"
    assert response.json()["tags"] == ["培训"]
    assert staff_client.get(f"/api/news/{draft.pk}").status_code == 404


# News through the feeds


def test_column_feed_is_rss_of_the_column_news_with_absolute_links(staff_client, column):
    add_news(column, "较早的新闻", days_ago=3)
    add_news(column, "最新的新闻", days_ago=1)

    response = staff_client.get(reverse("home:column_feed", args=[column.pk]))

    assert response.status_code == 200
    assert response["Content-Type"].startswith("application/rss+xml")
    assert feed_titles(response) == ["最新的新闻", "较早的新闻"]
    root = ET.fromstring(response.content)
    assert root.find("channel/item/link").text.startswith("http://testserver/news/group-news/")
    assert root.find("channel/item/{http://purl.org/dc/elements/1.1/}creator").text == "陈静"


def test_column_feed_speaks_atom_when_asked(staff_client, column):
    add_news(column, "新闻")

    response = staff_client.get(reverse("home:column_feed", args=[column.pk]) + "?format=atom")

    assert response["Content-Type"].startswith("application/atom+xml")
    assert feed_titles(response) == ["新闻"]


def test_column_feed_is_404_for_a_page_that_is_not_a_live_column(staff_client, column, news_index):
    news = add_news(column, "新闻")
    column.unpublish()

    for page in (news, news_index, column):
        response = staff_client.get(reverse("home:column_feed", args=[page.pk]))
        assert response.status_code == 404


# Notices keep to their audience on every path


@pytest.fixture
def audience_notices(notice_index, unit_a):
    return {
        "everyone": add_notice(notice_index, "全集团通知"),
        "unit_a": add_notice(notice_index, "甲单位通知", units=[unit_a]),
    }


def notice_feed_paths(notice_index):
    return {
        "notice feed": reverse("home:notice_feed"),
        "notices column feed": reverse("home:column_feed", args=[notice_index.pk]),
        "atom feed": reverse("home:notice_feed") + "?format=atom",
    }


def test_a_unit_b_user_never_sees_a_unit_a_notice(unit_b_client, notice_index, audience_notices):
    unit_a_notice = audience_notices["unit_a"]

    for name, path in notice_feed_paths(notice_index).items():
        assert feed_titles(unit_b_client.get(path)) == ["全集团通知"], name
    assert titles(unit_b_client.get("/api/notices")) == ["全集团通知"]
    assert unit_b_client.get(f"/api/notices/{unit_a_notice.pk}").status_code == 404


def test_unit_a_staff_see_their_unit_notice_everywhere(
    staff_client, notice_index, audience_notices
):
    unit_a_notice = audience_notices["unit_a"]

    for name, path in notice_feed_paths(notice_index).items():
        assert "甲单位通知" in feed_titles(staff_client.get(path)), name
    assert "甲单位通知" in titles(staff_client.get("/api/notices"))
    detail = staff_client.get(f"/api/notices/{unit_a_notice.pk}")
    assert detail.status_code == 200
    assert detail.json()["body"] == "<p>甲单位通知的正文</p>"


def test_expired_notices_leave_the_lists_but_keep_their_link(staff_client, notice_index):
    yesterday = timezone.localdate() - datetime.timedelta(days=1)
    expired = add_notice(notice_index, "过期通知", expires_on=yesterday)
    add_notice(notice_index, "有效通知")

    assert titles(staff_client.get("/api/notices")) == ["有效通知"]
    assert feed_titles(staff_client.get(reverse("home:notice_feed"))) == ["有效通知"]
    assert staff_client.get(f"/api/notices/{expired.pk}").status_code == 200


def test_notice_api_orders_pinned_first_and_reports_unread_until_opened(staff_client, notice_index):
    next_week = timezone.localdate() + datetime.timedelta(days=7)
    plain = add_notice(notice_index, "普通通知", priority=NoticePage.Priority.URGENT)
    pinned = add_notice(notice_index, "置顶通知", pinned_until=next_week)

    listed = staff_client.get("/api/notices").json()["items"]
    assert [(item["title"], item["pinned"], item["unread"]) for item in listed] == [
        ("置顶通知", True, True),
        ("普通通知", False, True),
    ]

    assert staff_client.get(f"/api/notices/{plain.pk}").json()["unread"] is False
    unread = {
        item["id"]: item["unread"] for item in staff_client.get("/api/notices").json()["items"]
    }
    assert unread == {pinned.pk: True, plain.pk: False}


# Sign-in


@pytest.mark.parametrize("path", ["/api/news", "/api/news/1", "/api/notices", "/api/notices/1"])
def test_the_api_answers_401_to_anonymous_callers(client, portal, path):
    assert client.get(path).status_code == 401


def test_feeds_send_anonymous_readers_to_the_login_page(client, column):
    for path in (reverse("home:notice_feed"), reverse("home:column_feed", args=[column.pk])):
        response = client.get(path)
        assert response.status_code == 302
        assert response["Location"].startswith(reverse("login"))


# Query counts do not grow with data


def _queries(client, path) -> int:
    client.get(path)  # warm-up: renditions are made on the first request
    with CaptureQueriesContext(connection) as queries:
        assert client.get(path).status_code == 200
    return len(queries)


def _add_news_batch(column, count, offset):
    for number in range(offset, offset + count):
        add_news(column, f"新闻{number}", days_ago=number, cover=number % 2 == 0, tags=["标签"])


def test_news_api_queries_stay_flat_at_ten_times_the_data(
    staff_client, column, django_assert_max_num_queries
):
    _add_news_batch(column, 2, 0)
    baseline = _queries(staff_client, "/api/news")

    _add_news_batch(column, 18, 2)
    staff_client.get("/api/news")
    with django_assert_max_num_queries(baseline):
        response = staff_client.get("/api/news")

    assert len(response.json()["items"]) == 20


def test_notice_api_queries_stay_flat_at_ten_times_the_data(
    staff_client, notice_index, unit_a, headquarters, django_assert_max_num_queries
):
    for number in range(2):
        add_notice(notice_index, f"通知{number}", units=[unit_a])
    baseline = _queries(staff_client, "/api/notices")

    for number in range(2, 20):
        add_notice(notice_index, f"通知{number}", units=[unit_a] if number % 2 else [headquarters])
    with django_assert_max_num_queries(baseline):
        response = staff_client.get("/api/notices")

    assert len(response.json()["items"]) == 20

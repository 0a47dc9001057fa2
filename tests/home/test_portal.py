"""The portal home page, the news center lists and the news page."""

from datetime import timedelta

import pytest
from django.utils import timezone

from home.models import NewsColumnPage, NewsIndexPage, NewsPage, NoticeIndexPage, NoticePage
from people.models import OrgUnit
from tests.factories import OrgUnitFactory, UserFactory

pytestmark = pytest.mark.django_db


def publish(parent, page):
    parent.add_child(instance=page)
    page.save_revision().publish()
    return page


def column(title, slug):
    return publish(NewsIndexPage.objects.get(), NewsColumnPage(title=title, slug=slug))


def news(col, number, **fields):
    date = timezone.localdate() - timedelta(days=number)
    page = NewsPage(
        title=f"{col.title}新闻{number}", slug=f"{col.slug}-{number}", news_date=date, **fields
    )
    return publish(col, page)


def notice(title, *, units=(), **fields):
    page = NoticePage(
        title=title,
        slug=f"notice-{NoticePage.objects.count()}",
        body="<p>正文</p>",
        audience="chosen" if units else "everyone",
        issuing_department=OrgUnit.objects.order_by("path").first(),
        **fields,
    )
    page.audience_units = list(units)
    NoticeIndexPage.objects.get().add_child(instance=page)
    page.save_revision().publish()
    return page


def test_home_lists_news_per_column_newest_first(staff_client, portal):
    group = column("集团要闻", "group")
    for number in range(8):
        news(group, number)
    html = staff_client.get("/").content.decode()
    assert html.index("集团要闻新闻0") < html.index("集团要闻新闻5")
    assert "集团要闻新闻6" not in html  # six per column


def test_home_shows_pinned_notices_first_and_marks_unread(staff_client, staff, portal):
    ordinary = notice("普通通知")
    notice("置顶通知", pinned_until=timezone.localdate() + timedelta(days=3))
    expired = notice("过期通知", expires_on=timezone.localdate() - timedelta(days=1))
    staff_client.get(ordinary.url)  # reading it records a receipt
    response = staff_client.get("/")
    notices = response.context["notices"]
    assert [item.title for item in notices] == ["置顶通知", "普通通知"]
    assert [item.is_unread for item in notices] == [True, False]
    assert expired.title not in response.content.decode()


def test_unit_notices_stay_in_their_unit_even_with_cached_lists(client, staff, unit_a, portal):
    unit_b = OrgUnitFactory(parent=unit_a.get_parent(), code="UB", kind=OrgUnit.Kind.UNIT)
    dept_b = OrgUnitFactory(parent=unit_b, code="UB-1", kind=OrgUnit.Kind.DEPARTMENT)
    outsider = UserFactory(department=dept_b)
    notice("甲单位通知", units=[unit_a])
    client.force_login(staff)
    assert "甲单位通知" in client.get("/").content.decode()
    client.force_login(outsider)
    assert "甲单位通知" not in client.get("/").content.decode()


def test_a_new_publication_shows_at_once_despite_the_cache(staff_client, portal):
    group = column("集团要闻", "group")
    news(group, 1)
    assert "集团要闻新闻1" in staff_client.get("/").content.decode()
    news(group, 2)
    assert "集团要闻新闻2" in staff_client.get("/").content.decode()
    latest = NewsPage.objects.get(slug="group-2")
    latest.unpublish()
    assert "集团要闻新闻2" not in staff_client.get("/").content.decode()


def test_home_query_count_is_bounded_at_ten_times_the_data(
    staff_client, portal, django_assert_max_num_queries
):
    def fill(scale):
        for index in range(3):
            col = NewsColumnPage.objects.filter(slug=f"col{index}").first() or column(
                f"栏目{index}", f"col{index}"
            )
            for number in range(scale):
                news(col, number + 1000 * scale)
        for number in range(scale):
            notice(f"通知{scale}-{number}")

    fill(3)
    staff_client.get("/")  # warm the caches the way a real visitor does
    with django_assert_max_num_queries(6) as small:
        staff_client.get("/")
    fill(30)
    staff_client.get("/")
    with django_assert_max_num_queries(6) as large:
        staff_client.get("/")
    assert len(large.captured_queries) == len(small.captured_queries)


def test_news_center_filters_by_column_and_pages(staff_client, portal):
    group, units = column("集团要闻", "group"), column("基层动态", "units")
    for number in range(25):
        news(group, number)
    news(units, 1)
    index_url = NewsIndexPage.objects.get().url
    everything = staff_client.get(index_url).context["children"]
    assert everything.paginator.count == 26 and len(everything.object_list) == 20
    only_units = staff_client.get(index_url, {"column": units.pk}).context["children"]
    assert [item.title for item in only_units] == ["基层动态新闻1"]
    assert staff_client.get(index_url, {"column": "nonsense"}).status_code == 200


def test_news_page_links_neighbours_in_its_column_and_related_items(staff_client, portal):
    group = column("集团要闻", "group")
    older, middle, newer = news(group, 3), news(group, 2), news(group, 1)
    middle.tags.add("安全生产")
    middle.save_revision().publish()
    older.tags.add("安全生产")
    older.save_revision().publish()
    context = staff_client.get(middle.url).context
    assert (context["previous_news"].pk, context["next_news"].pk) == (newer.pk, older.pk)
    assert context["related_news"][0].pk == older.pk


def test_news_list_query_count_does_not_grow(staff_client, portal, django_assert_max_num_queries):
    group = column("集团要闻", "group")
    for number in range(40):
        news(group, number)
    url = NewsIndexPage.objects.get().url
    staff_client.get(url)
    staff_client.get(url, {"column": group.pk, "page": 2})
    with django_assert_max_num_queries(4):
        staff_client.get(url, {"column": group.pk, "page": 2})


def test_cached_notice_list_follows_read_marks_and_new_notices(staff_client, staff, portal):
    first = notice("第一份通知")
    page = staff_client.get("/").content.decode()
    assert 'class="is-unread' in page
    staff_client.get(first.url)
    assert 'class="is-unread' not in staff_client.get("/").content.decode()
    notice("第二份通知")
    page = staff_client.get("/").content.decode()
    assert "第二份通知" in page and 'class="is-unread' in page

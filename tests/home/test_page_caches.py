"""The publishing pages are served from caches (routes, lists, rendered pages), and none of them is
ever stale or shows one user what is another's: each test changes the data and sees the page
change, or serves two users one after the other."""

import pytest
from django.core.files.base import ContentFile
from django.test import Client
from wagtail.documents import get_document_model

from home.models import NewsAttachment, NewsIndexPage, NoticeIndexPage, NoticeReadReceipt
from people.models import OrgUnit
from tests.factories import OrgUnitFactory, UserFactory
from tests.factories.publishing import NewsColumnPageFactory, NewsPageFactory, NoticePageFactory

pytestmark = pytest.mark.django_db


@pytest.fixture
def unit_b(headquarters):
    return OrgUnitFactory(parent=headquarters, code="UB", name="乙单位", kind=OrgUnit.Kind.UNIT)


@pytest.fixture
def outsider_client(unit_b):
    department = OrgUnitFactory(
        parent=unit_b, code="UB-SCB", name="生产部", kind=OrgUnit.Kind.DEPARTMENT
    )
    client = Client()
    client.force_login(UserFactory(username="lisi", name="李四", department=department))
    return client


def test_two_audiences_never_see_each_others_notices(
    staff_client, outsider_client, unit_a, unit_b, headquarters, portal
):
    for_a = NoticePageFactory(
        title="甲单位通知", audience="chosen", audience_units=[unit_a], issuing_department=unit_a
    )
    for_b = NoticePageFactory(
        title="乙单位通知", audience="chosen", audience_units=[unit_b], issuing_department=unit_b
    )
    NoticePageFactory(title="全集团通知", issuing_department=headquarters)

    for _ in range(2):  # the second round is served from the caches the first one filled
        for client, own, other in ((staff_client, for_a, for_b), (outsider_client, for_b, for_a)):
            for url in ("/notices/", "/"):
                page = client.get(url).content.decode()
                assert own.title in page and "全集团通知" in page
                assert other.title not in page
            assert client.get(own.url).status_code == 200
            assert client.get(other.url).status_code == 404


def test_a_notice_for_a_new_audience_reaches_it_at_once(
    staff_client, outsider_client, unit_b, portal
):
    assert "乙单位新通知" not in outsider_client.get("/notices/").content.decode()
    notice = NoticePageFactory(
        title="乙单位新通知", audience="chosen", audience_units=[unit_b], issuing_department=unit_b
    )

    assert "乙单位新通知" in outsider_client.get("/notices/").content.decode()
    assert "乙单位新通知" not in staff_client.get("/notices/").content.decode()
    assert staff_client.get(notice.url).status_code == 404


def test_opening_a_notice_records_one_receipt_and_clears_its_unread_mark_at_once(
    staff_client, staff, headquarters, portal
):
    notice = NoticePageFactory(title="待读通知", issuing_department=headquarters)
    assert "is-unread" in staff_client.get("/notices/").content.decode()

    staff_client.get(notice.url)
    first_read_at = NoticeReadReceipt.objects.get(notice=notice, user=staff).read_at
    assert "is-unread" not in staff_client.get("/notices/").content.decode()

    staff_client.get(notice.url)
    assert NoticeReadReceipt.objects.get(notice=notice, user=staff).read_at == first_read_at


def test_read_marks_are_each_users_own(staff_client, headquarters, portal):
    notice = NoticePageFactory(title="全员通知", issuing_department=headquarters)
    staff_client.get(notice.url)
    assert "is-unread" not in staff_client.get("/notices/").content.decode()

    colleague = Client()
    colleague.force_login(UserFactory(department=headquarters))
    assert "is-unread" in colleague.get("/notices/").content.decode()


def test_a_revised_news_item_shows_at_once_on_its_page_and_in_the_lists(staff_client, portal):
    column = NewsColumnPageFactory(title="集团要闻", slug="group-news")
    news = NewsPageFactory(parent=column, title="原标题", summary="", body=[])
    for url in (news.url, column.url, NewsIndexPage.objects.get().url):
        assert "原标题" in staff_client.get(url).content.decode()

    news.title = "新标题"
    news.save_revision().publish()

    for url in (news.url, column.url, NewsIndexPage.objects.get().url):
        page = staff_client.get(url).content.decode()
        assert "新标题" in page and "原标题" not in page


def test_a_page_saved_outside_publishing_shows_its_change(staff_client, portal):
    news = NewsPageFactory(title="旧名")
    assert "旧名" in staff_client.get(news.url).content.decode()

    news.title = "改名"
    news.save()

    assert "改名" in staff_client.get(news.url).content.decode()


def test_unpublished_moved_and_renamed_pages_leave_their_old_address_at_once(staff_client, portal):
    def served_at(url):
        response = staff_client.get(url)
        return response.status_code == 200 and "xt-article" in response.content.decode()

    first, second = NewsColumnPageFactory(slug="first"), NewsColumnPageFactory(slug="second")
    news = NewsPageFactory(parent=first, slug="item")
    assert served_at("/news/first/item/")

    news.move(second, pos="last-child")
    assert not served_at("/news/first/item/")  # Wagtail redirects it
    assert served_at("/news/second/item/")

    news.refresh_from_db()
    news.slug = "renamed"
    news.save_revision().publish()
    assert not served_at("/news/second/item/")
    assert served_at("/news/second/renamed/")

    news.refresh_from_db()
    news.unpublish()
    assert staff_client.get("/news/second/renamed/").status_code == 404


def test_a_renamed_attachment_and_issuing_department_show_at_once(
    staff_client, headquarters, portal
):
    document = get_document_model()(title="旧附件名")
    document.file.save("plan.txt", ContentFile(b"plan"), save=False)
    document.save()
    news = NewsPageFactory(title="带附件的新闻")
    NewsAttachment.objects.create(page=news, document=document)
    NoticePageFactory(title="部门通知", issuing_department=headquarters)
    assert "旧附件名" in staff_client.get(news.url).content.decode()
    assert "东方重工集团有限公司" in staff_client.get("/notices/").content.decode()

    document.title = "新附件名"
    document.save()
    headquarters.name = "东方重工集团公司"
    headquarters.save()

    assert "新附件名" in staff_client.get(news.url).content.decode()
    assert "东方重工集团公司" in staff_client.get("/notices/").content.decode()


def test_a_tag_shared_later_shows_as_related_news(staff_client, portal):
    column = NewsColumnPageFactory()
    news, other = NewsPageFactory(parent=column), NewsPageFactory(parent=column, title="他篇")
    NewsPageFactory(parent=NewsColumnPageFactory(), title="别栏目的安全新闻")
    assert "别栏目的安全新闻" not in staff_client.get(news.url).content.decode()

    for page in (news, NewsPageFactory._meta.model.objects.get(title="别栏目的安全新闻")):
        page.tags.add("安全生产")
        page.save_revision().publish()

    assert "别栏目的安全新闻" in staff_client.get(news.url).content.decode()
    assert other.title in staff_client.get(news.url).content.decode()


def test_news_pages_keep_their_pagination_links_to_the_request(staff_client, portal):
    column = NewsColumnPageFactory()
    for number in range(25):
        NewsPageFactory(parent=column, title=f"分页新闻{number}")
    staff_client.get(column.url)

    page = staff_client.get(column.url, {"page": 1, "source": "feed"}).content.decode()

    assert "page=2" in page and "source=feed" in page


@pytest.mark.parametrize("url_of", ["notice list", "notice", "news center", "column", "news"])
def test_publishing_pages_cost_the_same_queries_at_ten_times_the_content(
    staff_client, headquarters, portal, django_assert_max_num_queries, url_of
):
    column = NewsColumnPageFactory(slug="group-news")

    def fill(count):
        for _ in range(count):
            NewsPageFactory(parent=column)
            NoticePageFactory(issuing_department=headquarters)

    urls = {
        "notice list": lambda: NoticeIndexPage.objects.get().url,
        "notice": lambda: NoticeIndexPage.objects.get().get_children().last().url,
        "news center": lambda: NewsIndexPage.objects.get().url,
        "column": lambda: column.url,
        "news": lambda: column.get_children().first().url,
    }
    fill(3)
    url = urls[url_of]()
    staff_client.get(url)  # warm the caches the way a real visitor does
    with django_assert_max_num_queries(4) as small:
        staff_client.get(url)
    fill(30)
    staff_client.get(url)
    with django_assert_max_num_queries(4) as large:
        staff_client.get(url)
    assert len(large.captured_queries) == len(small.captured_queries)

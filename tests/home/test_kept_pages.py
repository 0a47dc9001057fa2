"""Whole pages kept per user (core.page_cache): a kept page is answered only while nothing it was
built from changed, never to another user or session, and never in place of a page that must be
rendered (a message to show, a write, a new CSRF cookie)."""

import pytest
from django.contrib import messages
from django.contrib.messages.storage.cookie import CookieStorage
from django.core.cache import cache
from django.db import connection, transaction
from django.http import HttpResponse
from django.test import Client, RequestFactory
from django.test.utils import CaptureQueriesContext

from core import page_cache
from notifications.services import notify
from people.models import Role
from people.services import role_grant
from tests.factories import UserFactory
from tests.factories.publishing import NoticePageFactory

pytestmark = pytest.mark.django_db


def _rendered(client, url):
    """The page, and whether it was rendered (not answered from the page cache)."""
    with CaptureQueriesContext(connection) as queries:
        response = client.get(url)
    assert response.status_code == 200
    return response.content.decode(), _rendering_queries(queries) > 0


def _rendering_queries(queries) -> int:
    # A kept page costs the user's row and the bell's count; a rendering reads the pages too.
    return sum('"wagtailcore_page"' in query["sql"] for query in queries.captured_queries)


@pytest.fixture
def warm(staff_client, notice_index):
    """The notice list, kept: the first request sets the CSRF cookie, the second keeps the page."""
    staff_client.get("/notices/")
    staff_client.get("/notices/")
    return staff_client


def test_a_kept_page_is_answered_without_rendering(warm):
    page, rendered = _rendered(warm, "/notices/")
    assert not rendered
    assert "xt-header" in page


def test_a_new_notice_shows_at_once(warm, issuer):
    NoticePageFactory(title="新发布的通知", issuing_department=issuer.department)
    page, rendered = _rendered(warm, "/notices/")
    assert rendered and "新发布的通知" in page


def test_a_write_in_an_open_transaction_is_seen_by_its_own_request(warm, issuer):
    with transaction.atomic():
        NoticePageFactory(title="事务中的通知", issuing_department=issuer.department)
        assert "事务中的通知" in warm.get("/notices/").content.decode()


def _after_commit():
    """What the open transaction will bump when it commits."""
    return set().union(
        *(getattr(callback, "tables", set()) for _, callback, _ in connection.run_on_commit)
    )


def test_a_transaction_gives_its_tables_new_tokens_again_once_committed(notice_index, issuer):
    NoticePageFactory(title="提交后的通知", issuing_department=issuer.department)
    at_the_write = cache.get(page_cache.TABLE_PREFIX + "wagtailcore_page")
    assert at_the_write is not None
    assert "wagtailcore_page" in _after_commit()
    for _, callback, _ in connection.run_on_commit:
        if "wagtailcore_page" in getattr(callback, "tables", ()):
            callback()
    assert cache.get(page_cache.TABLE_PREFIX + "wagtailcore_page") != at_the_write


def test_a_rolled_back_savepoint_does_not_lose_the_tokens_after_the_commit(notice_index, issuer):
    try:
        with transaction.atomic():
            NoticePageFactory(title="撤销的通知", issuing_department=issuer.department)
            assert "home_noticepage" in _after_commit()
            raise RuntimeError
    except RuntimeError:
        pass
    NoticePageFactory(title="保留的通知", issuing_department=issuer.department)
    assert "home_noticepage" in _after_commit()


def test_pages_are_not_shared_between_users(warm, notice_index, unit_a):
    other = Client()
    other.force_login(UserFactory(username="wangwu", name="王五", department=unit_a))
    other.get("/notices/")
    page = other.get("/notices/").content.decode()
    assert "王五" in page and "张" not in page.split("xt-user-menu__name")[1][:20]
    own = warm.get("/notices/").content.decode()
    assert "王五" not in own


def test_the_bell_counts_a_new_notification_without_losing_the_page(warm, staff):
    notify(staff, kind="home.notice", title="一条新消息", url="/notices/")
    page, rendered = _rendered(warm, "/notices/")
    assert 'data-testid="unread-count">1<' in page
    assert rendered  # a new count is a new key: rendered once with it
    page, rendered = _rendered(warm, "/notices/")
    assert not rendered and 'data-testid="unread-count">1<' in page


def test_another_users_notification_does_not_make_the_page_out_of_date(warm, unit_a):
    notify(
        UserFactory(username="zhaoliu", department=unit_a), kind="home.notice", title="别人的消息"
    )
    _, rendered = _rendered(warm, "/notices/")
    assert not rendered


def test_a_pending_message_is_shown_not_a_kept_page(warm):
    storage = CookieStorage(RequestFactory().get("/"))
    storage.add(messages.SUCCESS, "已保存。")
    response = HttpResponse()
    storage.update(response)
    warm.cookies[storage.cookie_name] = response.cookies[storage.cookie_name].value
    assert "已保存。" in warm.get("/notices/").content.decode()
    assert "已保存。" not in warm.get("/notices/").content.decode()


def test_a_page_whose_rendering_writes_is_not_kept(staff_client, portal):
    staff_client.get("/search/?q=安全")
    with CaptureQueriesContext(connection) as queries:
        staff_client.get("/search/?q=安全")
    assert any(query["sql"].startswith("INSERT") for query in queries.captured_queries)


def test_a_granted_and_a_revoked_role_change_the_kept_page_at_once(warm, staff, unit_a):
    assert "/archive/" not in warm.get("/notices/").content.decode()
    assignment = role_grant(actor=None, user=staff, role=Role.ARCHIVIST, unit=unit_a)
    assert "/archive/" in warm.get("/notices/").content.decode()
    assert "/archive/" in warm.get("/notices/").content.decode()
    assignment.delete()
    assert "/archive/" not in warm.get("/notices/").content.decode()


def test_another_language_is_another_page(warm):
    warm.cookies["django_language"] = "en"
    assert "Notices" in warm.get("/notices/").content.decode()


def test_a_page_without_a_csrf_cookie_is_always_rendered(staff_client, notice_index):
    for _ in range(2):
        staff_client.cookies.pop("csrftoken", None)
        _, rendered = _rendered(staff_client, "/notices/")
        assert rendered


def test_a_kept_search_is_still_logged_each_time(staff_client, portal):
    from search.models import QueryLogEntry, ZeroResultSearch

    pages = [staff_client.get("/search/?q=无此内容").content for _ in range(3)]
    assert pages[1] == pages[2]  # the same masked CSRF token: answered from the kept page
    assert QueryLogEntry.objects.filter(query="无此内容").count() == 3
    assert ZeroResultSearch.objects.get(query="无此内容").count == 3


def test_an_elasticsearch_answer_is_never_kept(staff_client, portal, monkeypatch):
    from search import selectors
    from search.query import SearchResults

    monkeypatch.setattr(selectors, "elasticsearch_enabled", lambda: True)
    monkeypatch.setattr(
        selectors,
        "_answer",
        lambda query, principals: SearchResults(query=query, backend="elasticsearch"),
    )
    pages = [staff_client.get("/search/?q=安全").content for _ in range(3)]
    assert pages[1] != pages[2]


def test_a_kept_page_is_the_page_as_rendered_by_the_whole_stack(client):
    """Viewflow's middleware adds the workbench menu in its view and template hooks: a kept page
    must have been rendered through them."""
    import re

    from tests.factories.documents import OfficeFactory, draft_document, open_task
    from workflow.selectors import task_url

    office = OfficeFactory()
    document = draft_document(office)
    client.force_login(office.drafter)
    url = task_url(open_task(document))

    def without_tokens(response):
        return re.sub(r'name="csrfmiddlewaretoken" value="\w+"', "", response.content.decode())

    rendered = without_tokens(client.get(url))
    client.get(url)
    kept = client.get(url)
    assert "xt-workbench__menu" in rendered
    assert without_tokens(kept) == rendered

"""The message center (消息中心): one's own messages only, filtered and paged; opening one marks
it read and leads to its page; mark all read; the e-mail settings; the header's bell."""

import re

import pytest
from django.urls import reverse

from notifications.models import Notification
from notifications.services import notify
from notifications.views import PER_PAGE

from .conftest import TEST_KIND

pytestmark = pytest.mark.django_db


@pytest.fixture
def inbox_of_staff(staff, other):
    notify(staff, kind=TEST_KIND, title="会议室变更", url="/news/")
    notify(staff, kind="people.request_decided", title="您申请的权限已批准。", url="/people/")
    notify(other, kind=TEST_KIND, title="李四的消息", url="/")
    return Notification.objects.filter(recipient=staff)


def test_the_inbox_lists_only_the_users_own_in_chinese(staff_client, portal, inbox_of_staff):
    html = staff_client.get(reverse("notifications:inbox")).content.decode()
    assert "消息中心" in html and "全部标为已读" in html
    assert "会议室变更" in html and "您申请的权限已批准。" in html
    assert "李四的消息" not in html
    assert html.count('data-testid="notification"') == 2


def test_the_inbox_filters_by_kind_and_unread(staff_client, portal, inbox_of_staff):
    inbox_of_staff.filter(kind=TEST_KIND).update(read_at="2026-01-01T00:00:00Z")
    url = reverse("notifications:inbox")

    by_kind = staff_client.get(url, {"kind": TEST_KIND}).content.decode()
    assert "会议室变更" in by_kind and "您申请的权限已批准。" not in by_kind
    unread = staff_client.get(url, {"unread": "on"}).content.decode()
    assert "会议室变更" not in unread and "您申请的权限已批准。" in unread
    # A kind nobody registered is ignored, not an error.
    assert staff_client.get(url, {"kind": "x" * 500, "page": "x"}).status_code == 200


def test_the_inbox_pages_with_bounded_queries(
    staff, staff_client, portal, django_assert_max_num_queries
):
    Notification.objects.bulk_create(
        [Notification(recipient=staff, kind=TEST_KIND, title=f"第{n}条") for n in range(45)]
    )
    staff_client.get(reverse("notifications:inbox"))
    with django_assert_max_num_queries(6):
        page = staff_client.get(reverse("notifications:inbox"), {"page": 3})
    assert page.content.decode().count('data-testid="notification"') == 45 - 2 * PER_PAGE
    assert "第 3 页，共 3 页" in page.content.decode()


def test_opening_marks_read_and_leads_to_the_page(staff, staff_client, portal, inbox_of_staff):
    notification = inbox_of_staff.get(kind=TEST_KIND)
    response = staff_client.get(reverse("notifications:open", args=[notification.pk]))
    assert response.status_code == 302 and response["Location"] == "/news/"
    notification.refresh_from_db()
    assert notification.read_at is not None


def test_nobody_opens_anothers_notification(staff_client, portal, other, inbox_of_staff):
    foreign = Notification.objects.get(recipient=other)
    response = staff_client.get(reverse("notifications:open", args=[foreign.pk]))
    assert response.status_code == 404
    foreign.refresh_from_db()
    assert foreign.read_at is None


def test_an_outside_link_is_not_followed(staff, staff_client, portal):
    notify(staff, kind=TEST_KIND, title="x", url="https://evil.example/")
    notification = Notification.objects.get()
    response = staff_client.get(reverse("notifications:open", args=[notification.pk]))
    assert response["Location"] == reverse("notifications:inbox")


def test_mark_all_read_needs_a_post_and_reads_only_ones_own(
    staff_client, portal, other, inbox_of_staff
):
    url = reverse("notifications:mark_all_read")
    assert staff_client.get(url).status_code == 405
    response = staff_client.post(url, follow=True)
    assert "已将 2 条消息标为已读。" in response.content.decode()
    assert not inbox_of_staff.filter(read_at__isnull=True).exists()
    assert Notification.objects.get(recipient=other).read_at is None


def test_preferences_without_smtp_say_so_and_take_nothing(staff_client, portal, settings):
    settings.EMAIL_HOST = ""
    url = reverse("notifications:preferences")
    assert "本系统未配置邮件服务" in staff_client.get(url).content.decode()
    assert staff_client.post(url, {"email": [TEST_KIND]}).status_code == 404


def test_preferences_with_smtp_are_saved(staff, staff_client, portal, settings):
    settings.EMAIL_HOST = "smtp.example.invalid"
    url = reverse("notifications:preferences")
    html = staff_client.get(url).content.decode()
    assert "同时发送邮件" in html
    # Decisions on one's requests come by e-mail unless turned off; memos do not.
    assert re.search(r'value="people.request_decided"[^>]* checked', html)
    assert not re.search(rf'value="{TEST_KIND}"[^>]* checked', html)
    response = staff_client.post(url, {"email": [TEST_KIND]}, follow=True)
    assert "消息设置已保存。" in response.content.decode()
    chosen = dict(staff.notification_preferences.values_list("kind", "email"))
    assert chosen[TEST_KIND] is True and chosen["people.request_decided"] is False
    assert staff_client.post(url, {"email": ["nonsense"]}).status_code == 200  # form error


def test_the_header_bell_shows_the_unread_count(staff, staff_client, portal, inbox_of_staff):
    html = staff_client.get("/").content.decode()
    assert 'data-testid="unread-count">2<' in html
    assert reverse("notifications:inbox") in html
    Notification.objects.bulk_create(
        [Notification(recipient=staff, kind=TEST_KIND, title=str(n)) for n in range(120)]
    )
    assert 'data-testid="unread-count">99+<' in staff_client.get("/").content.decode()


def test_the_header_count_is_one_query(staff, rf, django_assert_num_queries):
    from intranet.context_processors import intranet

    request = rf.get("/")
    request.user = staff
    context = intranet(request)
    with django_assert_num_queries(1):
        assert context["unread_notification_count"]() == 0

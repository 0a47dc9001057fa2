"""Editors get Wagtail's validation with clear messages, and nothing is saved."""

from datetime import timedelta

import pytest
from django.urls import reverse
from django.utils import timezone
from wagtail.test.utils.form_data import inline_formset, nested_form_data, rich_text

from home.models import NoticeIndexPage, NoticePage

pytestmark = pytest.mark.django_db


@pytest.fixture
def editor_client(client, staff, portal):
    staff.is_superuser = True
    staff.save()
    client.force_login(staff)
    return client


def post_notice(client, **overrides):
    index = NoticeIndexPage.objects.get()
    data = {
        "title": "关于测试的通知",
        "slug": "test-notice",
        "issuing_department": str(overrides.pop("department")),
        "audience": "everyone",
        "priority": "0",
        "body": rich_text("<p>正文</p>"),
        "attachments": inline_formset([]),
        "action-publish": "publish",
        **overrides,
    }
    url = reverse("wagtailadmin_pages:add", args=["home", "noticepage", index.pk])
    return client.post(url, nested_form_data(data))


def form_errors(response) -> dict:
    return response.context["form"].errors


def test_chosen_audience_needs_units(editor_client, staff):
    response = post_notice(editor_client, department=staff.department_id, audience="chosen")
    assert response.status_code == 200
    assert "请至少选择一个单位或部门。" in form_errors(response)["audience_units"]
    assert not NoticePage.objects.exists()


def test_pin_date_in_the_past_is_refused(editor_client, staff):
    yesterday = timezone.localdate() - timedelta(days=1)
    response = post_notice(
        editor_client, department=staff.department_id, pinned_until=yesterday.isoformat()
    )
    assert "置顶日期已过。" in form_errors(response)["pinned_until"]
    assert not NoticePage.objects.exists()


def test_expiry_before_go_live_is_refused(editor_client, staff):
    now = timezone.localtime()
    response = post_notice(
        editor_client,
        department=staff.department_id,
        go_live_at=(now + timedelta(days=2)).strftime("%Y-%m-%d %H:%M"),
        expire_at=(now + timedelta(days=1)).strftime("%Y-%m-%d %H:%M"),
    )
    assert response.status_code == 200
    assert form_errors(response)
    assert not NoticePage.objects.exists()


def test_a_valid_notice_is_published(editor_client, staff):
    response = post_notice(editor_client, department=staff.department_id)
    assert response.status_code == 302
    assert NoticePage.objects.get().live

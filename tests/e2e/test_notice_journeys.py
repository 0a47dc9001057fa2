"""Journeys of a notice to one unit: its staff read it, the issuer watches the count."""

import re

from django.urls import reverse
from playwright.sync_api import expect

from home.models import NoticeIndexPage, NoticePage
from people.models import OrgUnit, User
from tests.e2e.conftest import E2E, sign_out

pytestmark = E2E

TITLE = "关于开展春季安全生产大检查的通知"
UNREAD = re.compile(r"\bis-unread\b")


def publish_notice_to_tractor_company() -> NoticePage:
    issuer = User.objects.get(username="chenjing")
    notice = NoticePage(
        title=TITLE,
        body="<p>请各部门于本月底前完成自查。</p>",
        owner=issuer,
        issuing_department=issuer.department,
        audience=NoticePage.Audience.CHOSEN,
    )
    notice.audience_units.set([OrgUnit.objects.get(code="TLJ")])
    NoticeIndexPage.objects.get().add_child(instance=notice)
    notice.save_revision(user=issuer).publish()
    return notice


def test_staff_of_the_target_unit_read_a_notice_and_the_issuer_sees_the_count(page, demo, sign_in):
    notice = publish_notice_to_tractor_company()
    readers_url = f"{demo.url}{reverse('home:notice_readers', args=[notice.pk])}"
    notice_url = f"{demo.url}{notice.url}"

    sign_in("chenjing")
    page.goto(readers_url)
    expect(page.locator("h1")).to_contain_text(TITLE)
    expect(page.get_by_test_id("readers-read")).to_have_text("0")
    expect(page.get_by_test_id("readers-unread")).to_contain_text("何燕")
    sign_out(page)

    sign_in("heyan")
    item = page.get_by_test_id("home-notice").filter(has_text=TITLE)
    expect(item).to_have_class(UNREAD)
    item.get_by_role("link", name=TITLE).click()
    expect(page.locator("h1")).to_have_text(TITLE)
    page.goto(f"{demo.url}/")
    expect(page.get_by_test_id("home-notice").filter(has_text=TITLE)).not_to_have_class(UNREAD)
    sign_out(page)

    sign_in("chenjing")
    page.goto(readers_url)
    expect(page.get_by_test_id("readers-read")).to_have_text("1")
    expect(page.get_by_test_id("readers-unread")).not_to_contain_text("何燕")
    sign_out(page)

    sign_in("fengjie")
    expect(page.get_by_test_id("home-notice").filter(has_text=TITLE)).to_have_count(0)
    assert page.goto(notice_url).status == 404
    assert page.goto(readers_url).status == 403

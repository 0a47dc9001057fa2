"""The drafter's print elements (a 纪要's attendance lists, a title the printer can use) and the
process administrator's marks of the special formats, in the browser."""

import re

from django.urls import reverse
from playwright.sync_api import expect

from people.models import OrgUnit
from tests.e2e.conftest import E2E
from workflow.models import OutgoingDocument
from workflow.redhead.models import RedheadTemplate

pytestmark = E2E

TITLE = "2026年第三次总经理办公会纪要"


def test_the_drafter_enters_minutes_lists_and_a_title_with_end_punctuation_is_refused(
    page, demo, sign_in
):
    sign_in("zhouli")
    page.goto(f"{demo.url}{reverse('gongwen:drafts')}")
    page.get_by_test_id("new-document").click()
    page.select_option("#id_doc_type", "minutes")
    page.fill("#id_title", TITLE + "。")
    page.fill("#id_body", "会议研究了安全生产工作。")
    page.fill("#id_attendees", "王大明\n李小红")
    page.fill("#id_absentees", "吴八（出差）")
    page.fill("#id_observers", "郑九（审计部）")
    page.locator("button[name=save]").click()

    expect(page.get_by_text("标题末尾不能使用标点符号（。）。")).to_be_visible()
    assert not OutgoingDocument.objects.filter(title__startswith=TITLE).exists()
    page.screenshot(path="var/print-pages/e2e-draft-refused.png", full_page=True)

    page.fill("#id_title", TITLE)
    page.locator("button[name=save]").click()
    page.wait_for_url(re.compile(r"/edit/$"))

    document = OutgoingDocument.objects.get(title=TITLE)
    assert (document.attendees, document.absentees, document.observers) == (
        "王大明\n李小红",
        "吴八（出差）",
        "郑九（审计部）",
    )


def test_the_process_administrator_sets_the_special_formats_marks(page, demo, sign_in):
    headquarters = OrgUnit.objects.get(code="HQ")
    sign_in("liuyang")
    page.goto(f"{demo.url}{reverse('redhead:template_edit')}?unit={headquarters.pk}")
    page.fill("#id_letter_mark", "东方重工集团有限公司")
    page.fill("#id_order_mark", "东方重工集团有限公司令")
    page.fill("#id_minutes_mark", "东方重工集团办公会纪要")
    page.get_by_role("button", name="保存", exact=True).click()
    expect(page.locator(".xt-message--success")).to_be_visible()
    page.screenshot(path="var/print-pages/e2e-template.png", full_page=True)

    template = RedheadTemplate.objects.get(unit=headquarters)
    assert (template.letter_mark, template.order_mark, template.minutes_mark) == (
        "东方重工集团有限公司",
        "东方重工集团有限公司令",
        "东方重工集团办公会纪要",
    )

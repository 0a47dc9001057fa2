"""An incoming document's whole journey at 东重拖拉机: the clerk registers it (the service; the
paper registration screen is its own journey) and each actor, signed in in turn, finds the task
in their to-do list: initial review, proposal, instruction, handling with a reply, circulation
and close."""

import re

from django.urls import reverse
from django.utils import timezone
from playwright.sync_api import expect

from people.models import OrgUnit, User
from tests.e2e.conftest import E2E, sign_out
from workflow.models import IncomingDocument, IncomingProcess
from workflow.services import incoming_register

pytestmark = E2E

TITLE = "关于报送第四季度安全生产情况的通知"


def open_task(page, base_url: str, title: str, step_title: str) -> None:
    page.goto(f"{base_url}{reverse('gongwen:todo')}")
    # The reply's draft task carries the same title: the step tells the rows apart.
    step = page.get_by_test_id("task-step").get_by_text(step_title, exact=True)
    row = page.get_by_test_id("task-row").filter(has_text=title).filter(has=step)
    expect(row).to_have_count(1)
    row.get_by_test_id("task-link").click()
    page.wait_for_url(re.compile(r"/execute/$"))
    expect(page.get_by_test_id("incoming-form")).to_contain_text("市应急管理局")


def decide(page, opinion: str) -> None:
    page.locator("textarea[name=opinion]").fill(opinion)
    page.locator("button[name=decision][value=approve]").click()
    page.wait_for_url(lambda url: "/execute/" not in url)
    expect(page.locator(".xt-message--error, .xt-form-error")).to_have_count(0)


def test_a_registered_document_goes_through_every_step_to_the_close(page, demo, sign_in):
    base = demo.url
    unit = OrgUnit.objects.get(code="TLJ")
    office = OrgUnit.objects.get(code="TLJ-BGS")
    clerk, office_head, leader = (
        User.objects.get(username=name) for name in ("guoqiang", "hanmei", "maxiaodong")
    )
    document = incoming_register(
        user=clerk,
        unit=unit,
        title=TITLE,
        received_on=timezone.localdate(),
        sender_name="市应急管理局",
        sender_number="市应急〔2026〕31号",
        urgency="urgent",
    )

    # The clerk accepts it at the initial review and chooses the office head to propose.
    sign_in("guoqiang")
    open_task(page, base, TITLE, "初审")
    page.select_option("#id_office_head", str(office_head.pk))
    decide(page, "属本单位办理事项。")
    sign_out(page)

    # The office head proposes; the general manager instructs.
    sign_in("hanmei")
    open_task(page, base, TITLE, "拟办")
    page.select_option("#id_first_instructor", str(leader.pk))
    decide(page, "拟请综合办公室牵头办理，请马总阅示。")
    sign_out(page)

    sign_in("maxiaodong")
    open_task(page, base, TITLE, "批办")
    page.select_option("#id_lead_department", str(office.pk))
    expect(page.locator("#id_deadline")).not_to_have_value("")
    decide(page, "同意，请综合办公室办理并答复。")

    # The lead department's head handles it, asks for a reply and drafts it.
    open_task(page, base, TITLE, "承办")
    page.check("#id_needs_reply")
    decide(page, "已汇总第四季度安全生产情况。")
    open_task(page, base, TITLE, "答复")
    page.get_by_test_id("draft-reply").click()
    page.wait_for_url(re.compile(r"/edit/$"))
    expect(page.locator("#id_title")).to_have_value(TITLE)
    open_task(page, base, TITLE, "答复")
    expect(page.get_by_test_id("reply-link")).to_have_text(TITLE)
    decide(page, "答复文稿已拟。")
    sign_out(page)

    # The clerk sends it round a reader and closes it.
    sign_in("guoqiang")
    open_task(page, base, TITLE, "传阅")
    page.select_option("#id_readers", [str(User.objects.get(username="heyan").pk)])
    decide(page, "请阅。")
    open_task(page, base, TITLE, "办结")
    expect(page.locator("textarea[name=opinion]")).to_have_value("已汇总第四季度安全生产情况。")
    page.locator("button[name=decision][value=approve]").click()
    page.wait_for_url(lambda url: "/execute/" not in url)

    document = IncomingDocument.objects.get(pk=document.pk)
    assert document.status == IncomingDocument.Status.CLOSED
    assert document.closed_by == clerk
    assert IncomingProcess.objects.get(document=document).reply_document.title == TITLE
    page.goto(f"{base}{reverse('workflow:documents:incoming_document', args=[document.pk])}")
    expect(page.get_by_test_id("incoming-status")).to_have_text("已办结，待归档")
    expect(page.get_by_test_id("incoming-form")).to_contain_text("何燕")

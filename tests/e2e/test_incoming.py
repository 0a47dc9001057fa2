"""An incoming document's whole journey at 东重拖拉机: the clerk registers it (the service; the
paper registration screen is its own journey) and each actor, signed in in turn, finds the task
in their to-do list: initial review, proposal, instruction, handling with a reply, circulation
(the reader signs it as read) and close. `handle_to_the_close` is also the second half of the
exchange's journey (tests/e2e/test_exchange.py)."""

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


def open_task(page, base_url: str, title: str, step_title: str, sender: str) -> None:
    page.goto(f"{base_url}{reverse('gongwen:todo')}")
    # The reply's draft task carries the same title: the step tells the rows apart.
    step = page.get_by_test_id("task-step").get_by_text(step_title, exact=True)
    row = page.get_by_test_id("task-row").filter(has_text=title).filter(has=step)
    expect(row).to_have_count(1)
    row.get_by_test_id("task-link").click()
    page.wait_for_url(re.compile(r"/execute/$"))
    expect(page.get_by_test_id("incoming-form")).to_contain_text(sender)


def decide(page, opinion: str) -> None:
    page.locator("textarea[name=opinion]").fill(opinion)
    page.locator("button[name=decision][value=approve]").click()
    page.wait_for_url(lambda url: "/execute/" not in url)
    expect(page.locator(".xt-message--error, .xt-form-error")).to_have_count(0)


def test_a_registered_document_goes_through_every_step_to_the_close(page, demo, sign_in):
    base = demo.url
    unit = OrgUnit.objects.get(code="TLJ")
    clerk = User.objects.get(username="guoqiang")
    document = incoming_register(
        user=clerk,
        unit=unit,
        title=TITLE,
        received_on=timezone.localdate(),
        sender_name="市应急管理局",
        sender_number="市应急〔2026〕31号",
        urgency="urgent",
    )

    handle_to_the_close(page, base, sign_in, title=TITLE, sender="市应急管理局")

    document = IncomingDocument.objects.get(pk=document.pk)
    assert document.status == IncomingDocument.Status.CLOSED
    assert document.closed_by == clerk
    assert IncomingProcess.objects.get(document=document).reply_document.title == TITLE
    page.goto(f"{base}{reverse('workflow:documents:incoming_document', args=[document.pk])}")
    expect(page.get_by_test_id("incoming-status")).to_have_text("已办结，待归档")
    expect(page.get_by_test_id("incoming-form")).to_contain_text("何燕")


def handle_to_the_close(page, base: str, sign_in, *, title: str, sender: str) -> None:
    """At 东重拖拉机, take a document waiting at its initial review through every step to the
    close, each actor signed in in turn: the clerk accepts it, the office head proposes, the
    general manager instructs and, as head of the lead department, handles it and drafts the
    reply; the clerk sends it round a reader, who signs it as read, and closes it."""
    office_head, leader = (User.objects.get(username=name) for name in ("hanmei", "maxiaodong"))
    office = OrgUnit.objects.get(code="TLJ-BGS")
    # The clerk accepts it at the initial review and chooses the office head to propose.
    sign_in("guoqiang")
    open_task(page, base, title, "初审", sender)
    page.select_option("#id_office_head", str(office_head.pk))
    decide(page, "属本单位办理事项。")
    sign_out(page)

    # The office head proposes; the general manager instructs.
    sign_in("hanmei")
    open_task(page, base, title, "拟办", sender)
    page.select_option("#id_first_instructor", str(leader.pk))
    decide(page, "拟请综合办公室牵头办理，请马总阅示。")
    sign_out(page)

    sign_in("maxiaodong")
    open_task(page, base, title, "批办", sender)
    page.select_option("#id_lead_department", str(office.pk))
    expect(page.locator("#id_deadline")).not_to_have_value("")
    decide(page, "同意，请综合办公室办理并答复。")

    # The lead department's head handles it, asks for a reply and drafts it.
    open_task(page, base, title, "承办", sender)
    page.check("#id_needs_reply")
    decide(page, "已汇总第四季度安全生产情况。")
    open_task(page, base, title, "答复", sender)
    page.get_by_test_id("draft-reply").click()
    page.wait_for_url(re.compile(r"/edit/$"))
    expect(page.locator("#id_title")).to_have_value(title)
    open_task(page, base, title, "答复", sender)
    expect(page.get_by_test_id("reply-link")).to_have_text(title)
    decide(page, "答复文稿已拟。")
    sign_out(page)

    # The clerk sends it round a reader and closes it.
    sign_in("guoqiang")
    open_task(page, base, title, "传阅", sender)
    page.select_option("#id_readers", [str(User.objects.get(username="heyan").pk)])
    decide(page, "请阅。")
    sign_out(page)

    # The reader finds it under 待阅 and signs it as read.
    sign_in("heyan")
    page.goto(f"{base}{reverse('gongwen:circulation_unread')}")
    page.get_by_test_id("circulation-row").get_by_role("link", name=title).click()
    page.get_by_test_id("circulation-sign").get_by_role("textbox").fill("已阅")
    page.get_by_test_id("sign-read").click()
    # Signed and back on the document: only then sign out (else the click races the redirect).
    expect(page.locator(".xt-message--success")).to_contain_text("已签阅。")
    expect(page.locator(".xt-message--error")).to_have_count(0)
    sign_out(page)

    sign_in("guoqiang")
    open_task(page, base, title, "办结", sender)
    expect(page.locator("textarea[name=opinion]")).to_have_value("已汇总第四季度安全生产情况。")
    page.locator("button[name=decision][value=approve]").click()
    page.wait_for_url(lambda url: "/execute/" not in url)

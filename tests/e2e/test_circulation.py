"""Circulation in the browser: the headquarters' clerk sends a dispatched document round two
readers, one reader finds it in 待阅 and signs 已阅 with a remark, and the clerk sees who has
read it and reminds the other. The 发文稿纸 prints without the site around it; the 收文处理单
shows the opinions and sends the incoming document round too."""

import re

from django.urls import reverse
from django.utils import timezone
from playwright.sync_api import expect

from people.models import User
from tests.e2e.conftest import E2E, sign_out
from workflow import trace
from workflow.models import CirculationReader, OutgoingDocument, TraceEntry
from workflow.services import incoming_register

pytestmark = E2E

TITLE = "关于开展安全生产大检查的通知"
SHOTS = "var/print-pages"


def message(page, text: str):
    """The page's flash message (viewflow's screens repeat it in a snackbar)."""
    return page.locator(".xt-message", has_text=text)


def test_send_round_sign_as_read_and_remind(page, demo, sign_in):
    document = OutgoingDocument.objects.get(title=TITLE)
    document_url = f"{demo.url}{reverse('workflow:documents:document', args=[document.pk])}"

    sign_in("zhaolei")
    page.goto(document_url)
    page.get_by_test_id("circulation").get_by_label("王军").check()
    page.get_by_test_id("circulation").get_by_label("周丽").check()
    page.fill("#id_note", "请各位领导阅知")
    page.get_by_test_id("circulate-send").click()
    expect(message(page, "已送 2 位阅件人传阅。")).to_be_visible()
    expect(page.get_by_test_id("circulation-reader")).to_have_count(2)
    page.screenshot(path=f"{SHOTS}/e2e-circulation-sent.png", full_page=True)
    sign_out(page)

    sign_in("wangjun")
    page.goto(f"{demo.url}{reverse('gongwen:circulation_unread')}")
    page.get_by_test_id("circulation-row").get_by_role("link", name=TITLE).click()
    page.wait_for_url(document_url)
    page.get_by_test_id("circulation-sign").get_by_role("textbox").fill("已阅，请抓好落实")
    page.get_by_test_id("sign-read").click()
    expect(message(page, "已签阅。")).to_be_visible()
    page.goto(f"{demo.url}{reverse('gongwen:circulation_read')}")
    expect(page.get_by_test_id("circulation-row")).to_contain_text("已阅，请抓好落实")
    page.screenshot(path=f"{SHOTS}/e2e-circulation-read-tab.png", full_page=True)
    sign_out(page)

    sign_in("zhaolei")
    page.goto(document_url)
    readers = page.get_by_test_id("circulation-reader")
    expect(readers.filter(has_text="王军")).to_contain_text("已阅，请抓好落实")
    expect(readers.filter(has_text="周丽")).to_contain_text("未阅")
    page.get_by_test_id("circulation-remind").click()
    expect(message(page, "已提醒 1 位尚未阅读的阅件人。")).to_be_visible()
    page.get_by_test_id("circulation-remind").click()
    expect(message(page, "不到一小时前已提醒过")).to_be_visible()
    page.screenshot(path=f"{SHOTS}/e2e-circulation-reminded.png", full_page=True)

    reminders = TraceEntry.objects.filter(document=document, action="remind")
    assert reminders.count() == 1 and reminders.get().next_users == ["周丽"]
    assert CirculationReader.objects.filter(read_at__isnull=False).count() == 1


def test_the_processing_form_prints_without_the_site(page, demo, sign_in):
    document = OutgoingDocument.objects.get(title=TITLE)
    sign_in("zhaolei")
    page.goto(f"{demo.url}{reverse('workflow:documents:document', args=[document.pk])}")
    page.emulate_media(media="print")
    expect(page.locator(".xt-header")).to_be_hidden()
    expect(page.locator(".wf-trace")).to_be_hidden()
    expect(page.locator(".wf-paper")).to_be_visible()
    page.emulate_media(media="screen")

    page.get_by_test_id("form-print").click()
    page.wait_for_url(re.compile(r"/print/$"))
    expect(page.locator(".xt-header")).to_have_count(0)
    expect(page.locator("table.wf-sheet")).to_contain_text("发文稿纸")
    page.screenshot(path=f"{SHOTS}/e2e-outgoing-print.png", full_page=True)
    with page.expect_download() as download:
        page.get_by_test_id("form-pdf").click()
    assert download.value.suggested_filename.endswith(".pdf")


def test_the_incoming_processing_form_sends_round_and_downloads(page, demo, sign_in):
    clerk = User.objects.get(username="zhaolei")
    incoming = incoming_register(
        user=clerk,
        unit=clerk.department.unit,
        title="关于做好岁末年初安全生产工作的通知",
        received_on=timezone.localdate(),
        sender_name="市应急管理局",
        sender_number="市应急〔2026〕12号",
        urgency="urgent",
        copies=3,
    )
    trace.append(
        incoming,
        step="instruct",
        action="approve",
        actor=User.objects.get(username="wangjun"),
        opinion="请办公室牵头办理。",
    )
    sign_in("zhaolei")
    page.goto(f"{demo.url}{reverse('gongwen:incoming_form', args=[incoming.pk])}")
    sheet = page.get_by_test_id("incoming-sheet")
    expect(sheet).to_contain_text("收文处理单")
    expect(sheet).to_contain_text("请办公室牵头办理。")
    page.get_by_test_id("circulation").get_by_label("王军").check()
    page.get_by_test_id("circulate-send").click()
    expect(message(page, "已送 1 位阅件人传阅。")).to_be_visible()
    # Back on the incoming document's page, whose circulation panel lists the reader.
    expect(page.get_by_test_id("circulation-reader")).to_contain_text("未阅")
    page.goto(f"{demo.url}{reverse('gongwen:incoming_form', args=[incoming.pk])}")
    expect(page.get_by_test_id("incoming-sheet")).to_contain_text("未阅")
    page.screenshot(path=f"{SHOTS}/e2e-incoming-form.png", full_page=True)
    with page.expect_download() as download:
        page.get_by_test_id("form-pdf").click()
    assert download.value.suggested_filename.endswith(".pdf")

"""Deadlines, urging and supervision in the browser: the office urges a task's owner from its
overdue dashboard, filters it and exports it; a leader puts a document under supervision and
the drafting department reports progress; the to-do list on a phone shows step and deadline."""

from datetime import timedelta

from django.urls import reverse
from django.utils import timezone
from playwright.sync_api import expect

from notifications.models import Notification
from tests.e2e.conftest import E2E, SCREENSHOTS
from workflow.models import Document, OutgoingDocument, Supervision, TraceEntry

pytestmark = E2E

HOUSING = "关于调整职工住房公积金缴存基数的通知"  # waits at 孙浩's department check
REPORT_PREFIX = "年度人力资源工作情况的报告"  # waits at 王军's sign-off


def _due(title_part: str, days: int) -> OutgoingDocument:
    document = OutgoingDocument.objects.get(title__contains=title_part)
    Document.objects.filter(pk=document.pk).update(
        deadline=timezone.localdate() + timedelta(days=days)
    )
    return document


def test_the_to_do_list_on_a_phone_shows_step_and_deadline(browser, demo):
    _due(HOUSING, -1)
    context = browser.new_context(viewport={"width": 375, "height": 740}, locale="zh-CN")
    page = context.new_page()
    page.goto(f"{demo.url}/accounts/login/")
    page.fill("#id_username", "sunhao")
    page.fill("#id_password", "Xietong@2026")
    page.get_by_role("button", name="登录").click()
    page.wait_for_url(f"{demo.url}/")
    page.goto(f"{demo.url}{reverse('gongwen:todo')}")
    SCREENSHOTS.mkdir(exist_ok=True)
    page.screenshot(path=SCREENSHOTS / "todo-phone-375.png", full_page=True)

    row = page.get_by_test_id("task-row").filter(has_text=HOUSING)
    for cell in (row.get_by_test_id("task-step"), row.get_by_test_id("task-due")):
        expect(cell).to_be_visible()
        box = cell.bounding_box()
        assert box["x"] + box["width"] <= 375
    expect(row.get_by_test_id("task-due")).to_contain_text("逾期")
    context.close()


def test_the_office_filters_exports_and_urges(page, demo, sign_in):
    housing = _due(HOUSING, -1)
    _due(REPORT_PREFIX, 5)
    sign_in("zhaolei")
    page.goto(f"{demo.url}{reverse('gongwen:supervision_index')}")
    rows = page.get_by_test_id("supervision-row")
    expect(rows).to_have_count(2)

    filters = page.get_by_test_id("supervision-filters")
    filters.locator("#id_state").select_option("overdue")
    filters.get_by_role("button", name="筛选").click()
    expect(rows).to_have_count(1)
    expect(rows.first).to_contain_text(HOUSING)

    with page.expect_download() as download:
        page.get_by_test_id("supervision-export").click()
    assert download.value.suggested_filename.endswith(".xlsx")

    rows.first.get_by_test_id("urge").click()
    page.locator("#id_message").fill("请今天内完成核稿")
    page.get_by_test_id("urge-submit").click()
    expect(page.locator(".xt-messages")).to_contain_text("已催办孙浩")

    urge = TraceEntry.objects.get(document=housing, action=TraceEntry.Action.URGE)
    assert urge.opinion == "请今天内完成核稿"
    assert Notification.objects.filter(kind="workflow.urge", recipient__username="sunhao").exists()


def test_a_leader_supervises_and_the_drafting_department_reports(page, demo, sign_in):
    report = _due(REPORT_PREFIX, 3)
    document_url = f"{demo.url}{reverse('workflow:documents:document', args=[report.pk])}"
    sign_in("wangjun")
    page.goto(document_url)
    page.get_by_test_id("supervise").click()
    page.locator("#id_instruction").fill("请每周报送进展")
    page.get_by_test_id("document-action-submit").click()
    expect(page.get_by_test_id("supervision-state")).to_contain_text("请每周报送进展")

    page.context.clear_cookies()
    sign_in("zhouli")
    page.goto(document_url)
    page.get_by_test_id("report-progress").click()
    page.locator("#id_progress").fill("   ")
    page.get_by_test_id("document-action-submit").click()  # blank: refused, nothing changed
    expect(page.locator(".xt-field__error")).to_be_visible()
    assert Supervision.objects.get(document=report).last_progress == ""
    page.locator("#id_progress").fill("已完成初稿修改")
    page.get_by_test_id("document-action-submit").click()
    expect(page.get_by_test_id("supervision-progress")).to_contain_text("已完成初稿修改")
    assert Supervision.objects.get(document=report).last_progress == "已完成初稿修改"

"""The group's working-day calendar in the browser: headquarters' process administrator opens it
from the documents' tabs, declares next year's Spring Festival day off, sees it listed and
removes it again; an ordinary employee is offered no tab and is refused the screen."""

from datetime import date

from playwright.sync_api import expect

from tests.e2e.conftest import E2E, SCREENSHOTS
from workflow.models import CalendarOverride

pytestmark = E2E


def test_headquarters_process_administrator_declares_and_removes_a_day(page, demo, sign_in):
    sign_in("liuyang")
    page.goto(f"{demo.url}/workflow/outgoing/todo/")
    page.get_by_test_id("tab-calendar").click()
    expect(page.get_by_role("heading", level=1)).to_contain_text("工作日历")
    page.goto(f"{demo.url}/workflow/calendar/?year=2027")
    expect(page.get_by_test_id("calendar-unknown-year")).to_be_visible()

    form = page.get_by_test_id("calendar-form")
    form.get_by_label("日期").fill("2027-02-08")
    form.get_by_label("当日").select_option(label="休息")
    form.get_by_label("名称").fill("春节")
    page.get_by_test_id("calendar-submit").click()

    row = page.get_by_test_id("calendar-override")
    expect(row).to_contain_text("2027-02-08")
    expect(row).to_contain_text("春节")
    expect(row).to_contain_text("休息")
    assert CalendarOverride.objects.get(day=date(2027, 2, 8)).is_working_day is False
    SCREENSHOTS.mkdir(exist_ok=True)
    page.screenshot(path=SCREENSHOTS / "calendar-2027.png", full_page=True)

    page.get_by_test_id("calendar-clear").click()
    expect(page.get_by_test_id("calendar-override")).to_have_count(0)
    assert not CalendarOverride.objects.exists()


def test_an_employee_is_offered_no_calendar(page, demo, sign_in):
    sign_in("heyan")
    page.goto(f"{demo.url}/workflow/outgoing/todo/")
    expect(page.get_by_test_id("tab-calendar")).to_have_count(0)
    answer = page.goto(f"{demo.url}/workflow/calendar/")
    assert answer.status == 403

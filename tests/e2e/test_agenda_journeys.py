"""The agenda in the browser: a booking through replies and sign-in to the minutes, a schedule
kept by the office, a calendar's import and feed, and a unit switching a module off."""

import re
from datetime import timedelta

from django.utils import timezone
from playwright.sync_api import expect

from agenda.models import Meeting
from tests.e2e.conftest import E2E

pytestmark = E2E

DEMO_ICS = (
    "BEGIN:VCALENDAR\r\nVERSION:2.0\r\nPRODID:-//t//t//\r\nBEGIN:VEVENT\r\nUID:e2e@x\r\n"
    "DTSTAMP:20260101T000000Z\r\nSUMMARY:导入的培训\r\nDTSTART:{day}T020000Z\r\n"
    "DTEND:{day}T030000Z\r\nEND:VEVENT\r\nEND:VCALENDAR\r\n"
)


def local_input(moment) -> str:
    return timezone.localtime(moment).strftime("%Y-%m-%dT%H:%M")


def test_from_booking_to_minutes(page, demo, sign_in):
    sign_in("hanmei")
    page.get_by_role("navigation", name="主导航").get_by_role("link", name="日程会议").click()
    page.get_by_role("link", name="我的会议").click()
    rooms = page.get_by_test_id("rooms")
    rooms.get_by_role("row", name=re.compile("拖拉机公司第一会议室")).get_by_role(
        "link", name="预订"
    ).click()
    start = timezone.now() + timedelta(minutes=10)
    page.fill("#id_title", "质量问题专题会")
    page.fill("#id_starts_at", local_input(start))
    page.fill("#id_ends_at", local_input(start + timedelta(hours=1)))
    page.select_option("#id_attendees", label=["何燕", "郭强"])
    page.select_option("#id_observers", label=["马晓东"])
    page.get_by_role("button", name="预订").click()
    expect(page.get_by_role("heading", name="质量问题专题会")).to_be_visible()
    expect(page.get_by_test_id("reply-counts")).to_contain_text("已邀请 3")

    # The same slot again: refused with the reason.
    page.goto(f"{demo.url}/agenda/meetings/")
    rooms = page.get_by_test_id("rooms")
    rooms.get_by_role("row", name=re.compile("拖拉机公司第一会议室")).get_by_role(
        "link", name="预订"
    ).click()
    page.fill("#id_title", "撞车的会")
    page.fill("#id_starts_at", local_input(start))
    page.fill("#id_ends_at", local_input(start + timedelta(minutes=30)))
    page.get_by_role("button", name="预订").click()
    expect(page.get_by_test_id("form-error")).to_contain_text("该会议室在此时段已被预订")

    page.context.clear_cookies()
    sign_in("heyan")
    panel = page.get_by_test_id("agenda-replies-due")
    panel.get_by_role("link", name="质量问题专题会").click()
    page.get_by_test_id("my-reply").get_by_label("参加", exact=True).check()
    page.get_by_role("button", name="回复").click()
    expect(page.get_by_test_id("reply-counts")).to_contain_text("参加 1")
    page.get_by_role("button", name="签到").click()
    expect(page.get_by_text("签到成功。")).to_be_visible()

    page.context.clear_cookies()
    sign_in("guoqiang")
    page.goto(f"{demo.url}/agenda/meetings/")
    page.get_by_test_id("replies-due").get_by_role("link", name="质量问题专题会").click()
    page.get_by_test_id("my-reply").get_by_label("请假", exact=True).check()
    page.get_by_role("button", name="回复").click()
    expect(page.get_by_test_id("reply-counts")).to_contain_text("请假 1")

    page.context.clear_cookies()
    sign_in("hanmei")
    page.get_by_test_id("agenda-meetings").get_by_role("link", name="质量问题专题会").click()
    page.get_by_role("button", name="起草纪要").click()
    expect(page.get_by_text("质量问题专题会纪要").first).to_be_visible()
    meeting = Meeting.objects.get(title="质量问题专题会")
    minutes = meeting.minutes
    assert (minutes.attendees, minutes.absentees, minutes.observers) == ("何燕", "郭强", "")
    assert minutes.doc_type == "minutes"


def test_the_office_keeps_a_leaders_schedule_and_its_reader_sees_it(page, demo, sign_in):
    sign_in("guoqiang")
    page.get_by_role("navigation", name="主导航").get_by_role("link", name="日程会议").click()
    page.get_by_role("link", name="马晓东", exact=True).click()
    expect(page.get_by_role("heading", name=re.compile("马晓东领导日程"))).to_be_visible()
    page.get_by_role("link", name="新建日程").click()
    tomorrow = timezone.localdate() + timedelta(days=1)
    page.fill("#id_title", "检查消防设施")
    page.fill("#id_starts_at", f"{tomorrow:%Y-%m-%d}T15:00")
    page.fill("#id_ends_at", f"{tomorrow:%Y-%m-%d}T16:00")
    page.get_by_role("button", name="保存").click()
    expect(page.get_by_test_id("month")).to_contain_text("检查消防设施")

    page.context.clear_cookies()
    sign_in("sufang")  # a reader the office chose
    page.get_by_role("navigation", name="主导航").get_by_role("link", name="日程会议").click()
    page.get_by_test_id("calendar-list").get_by_role("link", name="马晓东领导日程").click()
    expect(page.get_by_test_id("month")).to_contain_text("检查消防设施")
    expect(page.get_by_role("link", name="新建日程")).to_have_count(0)


def test_import_a_file_and_make_a_feed(page, demo, sign_in, tmp_path):
    sign_in("heyan")
    page.get_by_role("navigation", name="主导航").get_by_role("link", name="日程会议").click()
    page.get_by_role("link", name="共享与订阅").click()
    good = tmp_path / "good.ics"
    good.write_text(DEMO_ICS.format(day=f"{timezone.localdate() + timedelta(days=2):%Y%m%d}"))
    page.set_input_files("#id_file", str(good))
    page.get_by_role("button", name="导入", exact=True).click()
    expect(page.get_by_text("已导入 1 条日程。")).to_be_visible()
    bad = tmp_path / "bad.ics"
    bad.write_text("BEGIN:VCALENDAR\r\nBEGIN:VEVENT\r\nSUMMARY:坏\r\n")
    page.set_input_files("#id_file", str(bad))
    page.get_by_role("button", name="导入", exact=True).click()
    expect(page.get_by_text("该文件不是有效的 iCalendar（.ics）文件。")).to_be_visible()

    page.get_by_role("button", name="生成订阅地址").click()
    feed_url = page.get_by_test_id("feed-url").inner_text()
    page.get_by_role("button", name="作废该地址").click()
    expect(page.get_by_text("订阅地址已作废。")).to_be_visible()
    assert page.request.get(feed_url).status == 404


def test_a_unit_administrator_switches_schedules_off(page, demo, sign_in):
    sign_in("hanmei")
    page.get_by_test_id("user-menu").click()
    page.get_by_role("link", name="日程会议模块").click()
    page.get_by_label("日程").uncheck()
    page.get_by_role("button", name="保存").click()
    expect(page.get_by_text("的模块设置已保存")).to_be_visible()

    page.context.clear_cookies()
    sign_in("heyan")
    expect(page.get_by_test_id("agenda-today")).to_have_count(0)
    expect(page.get_by_test_id("agenda-replies-due")).to_be_visible()
    page.get_by_role("navigation", name="主导航").get_by_role("link", name="日程会议").click()
    expect(page).to_have_url(re.compile(r"/agenda/meetings/$"))
    assert page.request.get(f"{demo.url}/agenda/").status == 404

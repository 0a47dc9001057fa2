"""The agenda's remaining actions in the browser: the unit administrator's meeting rooms, a
booking approved and one rejected, a reply delegated, a meeting cancelled (the participants'
bell counts it), an event and a recurring one edited and deleted."""

import re
from datetime import datetime, time, timedelta

from django.utils import timezone
from playwright.sync_api import expect

from agenda import services
from agenda.models import Event, Meeting
from people.models import User
from tests.e2e.conftest import E2E, SCREENSHOTS, sign_out
from tests.e2e.test_agenda_journeys import local_input

pytestmark = E2E


def book(page, demo, room: str, title: str, start) -> None:
    page.goto(f"{demo.url}/agenda/meetings/")
    page.get_by_test_id("rooms").get_by_role("row", name=re.compile(room)).get_by_role(
        "link", name="预订"
    ).click()
    page.fill("#id_title", title)
    page.fill("#id_starts_at", local_input(start))
    page.fill("#id_ends_at", local_input(start + timedelta(hours=1)))
    page.get_by_role("button", name="预订").click()
    expect(page.get_by_test_id("meeting-status")).to_have_text("待审批")


def test_rooms_kept_by_the_unit_administrator_and_a_booking_approved_or_rejected(
    page, demo, sign_in
):
    sign_in("hanmei")
    page.get_by_test_id("user-menu").click()
    page.get_by_role("link", name="会议室", exact=True).click()
    expect(page.get_by_role("heading", name="东重拖拉机有限公司会议室")).to_be_visible()
    page.get_by_role("link", name="新建会议室").click()
    page.fill("#id_name", "专家会议室")
    page.fill("#id_location", "办公楼六楼")
    page.fill("#id_capacity", "12")
    page.fill("#id_equipment", "投影仪")
    page.get_by_label("需审批").check()
    page.get_by_role("button", name="保存").click()
    expect(page.get_by_text("需要审批的会议室至少要有一名审批人。")).to_be_visible()
    page.select_option("#id_approvers", label=["马晓东"])
    page.get_by_role("button", name="保存").click()
    expect(page.get_by_text("会议室“专家会议室”已保存。")).to_be_visible()

    rooms = page.get_by_test_id("admin-rooms")
    rooms.get_by_role("link", name="专家会议室").click()
    page.fill("#id_capacity", "14")
    page.get_by_role("button", name="保存").click()
    expect(rooms.get_by_role("row", name=re.compile("专家会议室"))).to_contain_text("14")
    rooms.get_by_role("row", name=re.compile("拖拉机公司小会议室")).get_by_role(
        "button", name="停用"
    ).click()
    expect(page.get_by_text("会议室“拖拉机公司小会议室”已停用。")).to_be_visible()
    expect(rooms.get_by_role("row", name=re.compile("拖拉机公司小会议室"))).to_contain_text(
        "已停用"
    )
    SCREENSHOTS.mkdir(exist_ok=True)
    page.screenshot(path=SCREENSHOTS / "agenda_rooms.png", full_page=True)
    page.goto(f"{demo.url}/agenda/meetings/")
    expect(page.get_by_test_id("rooms")).not_to_contain_text("拖拉机公司小会议室")

    page.get_by_role("link", name="管理会议室").click()
    rooms.get_by_role("row", name=re.compile("专家会议室")).get_by_role("link").first.click()
    page.screenshot(path=SCREENSHOTS / "agenda_room_form.png", full_page=True)

    sign_out(page)
    sign_in("heyan")
    tomorrow = timezone.make_aware(
        datetime.combine(timezone.localdate() + timedelta(days=1), time(9))
    )
    book(page, demo, "专家会议室", "工艺评审会", tomorrow)
    book(page, demo, "专家会议室", "备件协调会", tomorrow + timedelta(hours=2))

    sign_out(page)
    sign_in("maxiaodong")
    page.goto(f"{demo.url}/agenda/meetings/")
    page.get_by_role("link", name="工艺评审会").click()
    page.get_by_role("button", name="同意", exact=True).click()
    expect(page.get_by_test_id("meeting-status")).to_have_text("已确认")
    page.goto(f"{demo.url}/agenda/meetings/")
    page.get_by_role("link", name="备件协调会").click()
    page.get_by_role("button", name="不同意").click()
    expect(page.get_by_test_id("meeting-status")).to_have_text("已驳回")
    statuses = dict(Meeting.objects.filter(room__name="专家会议室").values_list("title", "status"))
    assert statuses == {"工艺评审会": "confirmed", "备件协调会": "rejected"}


def unread(page) -> int:
    count = page.get_by_test_id("unread-count")
    return int(count.inner_text().rstrip("+")) if count.count() else 0


def test_a_reply_delegated_and_the_meeting_cancelled(page, demo, sign_in):
    meeting = Meeting.objects.get(title__endswith="月安全生产例会")
    sign_in("sufang")
    page.goto(f"{demo.url}/agenda/meetings/{meeting.pk}/")
    page.get_by_test_id("my-reply").get_by_label("委托他人参加").check()
    page.select_option("#id_delegate", label="韩梅")
    page.get_by_role("button", name="回复").click()
    expect(page.get_by_test_id("participants")).to_contain_text("韩梅")
    delegated = meeting.participants.get(user__username="hanmei")
    assert delegated.delegated_from.user.username == "sufang"

    sign_out(page)
    sign_in("guoqiang")
    before = unread(page)

    sign_out(page)
    sign_in("hanmei")
    page.goto(f"{demo.url}/agenda/meetings/{meeting.pk}/")
    page.get_by_role("button", name="取消会议").click()
    expect(page.get_by_text("会议已取消。")).to_be_visible()

    sign_out(page)
    sign_in("guoqiang")
    expect(page.get_by_test_id("unread-count")).to_have_text(str(before + 1))
    page.get_by_test_id("inbox-link").click()
    expect(page.get_by_text(f"会议取消：{meeting.title}")).to_be_visible()


def test_an_event_and_a_recurring_one_edited_and_deleted(page, demo, sign_in):
    heyan = User.objects.get(username="heyan")
    calendar = services.personal_calendar_ensure(heyan)
    today = timezone.localdate()
    at = timezone.make_aware(datetime.combine(today, time(15)))
    services.event_create(
        user=heyan, calendar=calendar, title="班组长座谈", starts_at=at, ends_at=at
    )
    services.event_create(
        user=heyan,
        calendar=calendar,
        title="安全巡检",
        starts_at=at + timedelta(hours=2),
        ends_at=at + timedelta(hours=3),
        recurrence="FREQ=WEEKLY;COUNT=4",
    )
    sign_in("heyan")
    page.get_by_role("navigation", name="主导航").get_by_role("link", name="日程会议").click()
    month = page.get_by_test_id("month")
    month.get_by_role("link", name=re.compile("班组长座谈")).first.click()
    page.fill("#id_title", "班组长座谈会")
    page.get_by_role("button", name="保存").click()
    expect(page.get_by_text("日程已保存。")).to_be_visible()
    month.get_by_role("link", name=re.compile("班组长座谈会")).first.click()
    page.get_by_role("button", name="删除").click()
    expect(page.get_by_text("日程已删除。")).to_be_visible()
    expect(month).not_to_contain_text("班组长座谈")

    month.get_by_role("link", name=re.compile("安全巡检")).first.click()
    page.fill("#id_title", "安全巡检（全厂）")
    page.get_by_role("button", name="保存").click()
    expect(month.get_by_role("link", name=re.compile("安全巡检（全厂） ↻")).first).to_be_visible()
    series = Event.objects.get(title="安全巡检（全厂）")
    assert series.recurrence == "FREQ=WEEKLY;COUNT=4"
    month.get_by_role("link", name=re.compile("安全巡检")).first.click()
    page.get_by_role("button", name="删除").click()
    expect(month).not_to_contain_text("安全巡检")
    assert not Event.objects.filter(calendar=calendar).filter(title__startswith="安全巡检").exists()

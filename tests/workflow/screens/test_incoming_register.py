"""The unit's incoming register (收文登记簿): its document clerks and process administrators
see every document the unit registered, filter by date received, sender, urgency and status,
and export what they see to XLSX with no cell a spreadsheet would run; nobody else sees it."""

from datetime import timedelta
from io import BytesIO

import pytest
from django.urls import reverse
from django.utils import timezone
from openpyxl import load_workbook

from workflow import trace
from workflow.models import TraceEntry
from workflow.services import incoming_register


@pytest.fixture
def received(office):
    today = timezone.localdate()

    def register(title, **values):
        values = {
            "received_on": today,
            "sender_name": "市应急管理局",
            "sender_number": "市应急〔2026〕12号",
            **values,
        }
        return incoming_register(user=office.clerk, unit=office.unit, title=title, **values)

    safety = register("关于开展安全生产检查的通知", urgency="urgent")
    old = register(
        "关于报送年度统计报表的函",
        received_on=today - timedelta(days=40),
        sender_name="市统计局",
        sender_number="=1+1",
    )
    closed = register(
        "关于节日值班安排的通知", sender_name="", sender_unit=office.unit.get_parent()
    )
    trace.append(closed, step="close", action=TraceEntry.Action.CLOSE, actor=office.clerk)
    return {"safety": safety, "old": old, "closed": closed}


def titles(response):
    return [document.title for document in response.context["page_obj"]]


def test_the_clerk_filters_the_register(
    office, received, client_for, django_assert_max_num_queries
):
    url = reverse("gongwen:incoming_register", args=[office.unit.pk])
    clerk = client_for(office.clerk)
    with django_assert_max_num_queries(15):
        response = clerk.get(url)
    assert response.status_code == 200
    assert titles(response) == [
        "关于报送年度统计报表的函",
        "关于开展安全生产检查的通知",
        "关于节日值班安排的通知",
    ]
    page = response.content.decode()
    assert "收文登记簿" in page and "收〔" in page and "东方重工集团有限公司" in page

    today = timezone.localdate()
    assert titles(clerk.get(url, {"received_from": today - timedelta(days=1)})) == [
        "关于开展安全生产检查的通知",
        "关于节日值班安排的通知",
    ]
    assert titles(clerk.get(url, {"sender": "统计"})) == ["关于报送年度统计报表的函"]
    assert titles(clerk.get(url, {"sender": "东方重工"})) == ["关于节日值班安排的通知"]
    assert titles(clerk.get(url, {"urgency": "urgent"})) == ["关于开展安全生产检查的通知"]
    assert titles(clerk.get(url, {"status": "closed"})) == ["关于节日值班安排的通知"]
    assert len(titles(clerk.get(url, {"status": "open"}))) == 2


def test_bad_filters_change_nothing_and_never_fail(office, received, client_for):
    url = reverse("gongwen:incoming_register", args=[office.unit.pk])
    clerk = client_for(office.clerk)
    response = clerk.get(url, {"received_from": "2026-05-01", "received_to": "2026-01-01"})
    assert response.status_code == 200
    assert "结束" in response.content.decode() or response.context["form"].errors
    assert len(titles(response)) == 3
    for query in ({"received_from": "x"}, {"urgency": "nonsense"}, {"page": "9999"}):
        assert clerk.get(url, query).status_code == 200


@pytest.mark.parametrize("who", ["outsider", "leader", "drafter", "other_clerk"])
def test_nobody_else_sees_it(office, other_office, received, client_for, who):
    user = other_office.clerk if who == "other_clerk" else getattr(office, who)
    for name in ("gongwen:incoming_register", "gongwen:incoming_register_export"):
        assert client_for(user).get(reverse(name, args=[office.unit.pk])).status_code == 403
    assert (
        client_for(office.process_admin)
        .get(reverse("gongwen:incoming_register", args=[office.unit.pk]))
        .status_code
        == 200
    )


def test_the_export_writes_what_the_filters_show_formulas_as_text(office, received, client_for):
    response = client_for(office.clerk).get(
        reverse("gongwen:incoming_register_export", args=[office.unit.pk]), {"sender": "统计"}
    )
    sheet = load_workbook(BytesIO(response.content)).active
    assert sheet["A1"].value == "甲单位收文登记簿"
    assert [cell.value for cell in sheet[2]][:6] == [
        "序号",
        "收文编号",
        "收文日期",
        "来文单位",
        "来文字号",
        "标题",
    ]
    assert sheet["E3"].value == "=1+1" and sheet["E3"].data_type == "s"
    assert sheet["C3"].value.date() == received["old"].received_on
    assert sheet["K3"].value == "办理中"
    assert sheet.max_row == 3


def test_the_index_goes_to_the_clerks_unit(office, client_for):
    response = client_for(office.clerk).get(reverse("gongwen:incoming_register_index"))
    assert response.url == reverse("gongwen:incoming_register", args=[office.unit.pk])
    assert (
        client_for(office.outsider).get(reverse("gongwen:incoming_register_index")).status_code
        == 403
    )

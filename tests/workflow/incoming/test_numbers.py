"""The incoming number (收文编号): the unit's own counter per year, apart from its outgoing
numbers, in the number register, printed in the format the unit chose."""

import pytest
from django.core.exceptions import PermissionDenied
from django.db import IntegrityError

from workflow import registers
from workflow.numbering.models import DocumentPrefix, IssuedNumber, NumberingChange
from workflow.numbering.permissions import prefixes_for
from workflow.numbering.selectors import register
from workflow.numbering.services import (
    NumberingError,
    assign_incoming_number,
    assign_number,
    format_number,
    incoming_numbering_set,
)

pytestmark = pytest.mark.django_db
YEAR_SERIAL = DocumentPrefix.NumberFormat.YEAR_SERIAL
BRACKETED = DocumentPrefix.NumberFormat.BRACKETED


def _texts(unit, user, count, year=2026):
    return [assign_incoming_number(unit=unit, user=user, year=year).text for _ in range(count)]


def test_the_default_format_is_shou_with_hexagonal_brackets(unit_a, clerk_a):
    assert _texts(unit_a, clerk_a, 3) == ["收〔2026〕1号", "收〔2026〕2号", "收〔2026〕3号"]
    prefix = DocumentPrefix.objects.get(unit=unit_a, purpose=DocumentPrefix.Purpose.INCOMING)
    assert (prefix.text, prefix.number_format) == ("收", BRACKETED)


def test_year_serial_format_pads_to_four_digits_and_never_truncates():
    assert format_number("收", 2026, 37, YEAR_SERIAL) == "2026-0037"
    assert format_number("收", 2026, 12345, YEAR_SERIAL) == "2026-12345"
    assert format_number("收文", 2026, 37) == "收文〔2026〕37号"


def test_the_unit_chooses_its_format_and_the_counter_carries_on(unit_a, clerk_a):
    assert _texts(unit_a, clerk_a, 1) == ["收〔2026〕1号"]
    incoming_numbering_set(unit=unit_a, user=clerk_a, text="收文", number_format=YEAR_SERIAL)
    assert _texts(unit_a, clerk_a, 1) == ["2026-0002"]
    incoming_numbering_set(unit=unit_a, user=clerk_a, text="收文", number_format=BRACKETED)
    assert _texts(unit_a, clerk_a, 1) == ["收文〔2026〕3号"]
    assert IssuedNumber.objects.get(serial=1).text == "收〔2026〕1号"
    change = NumberingChange.objects.filter(action=NumberingChange.Action.PREFIX_UPDATED).first()
    assert change.after["number_format"] == BRACKETED


def test_a_format_set_before_the_first_number_is_used_from_the_start(unit_a, clerk_a):
    incoming_numbering_set(unit=unit_a, user=clerk_a, text="收", number_format=YEAR_SERIAL)
    assert _texts(unit_a, clerk_a, 2) == ["2026-0001", "2026-0002"]


def test_each_unit_and_year_counts_on_its_own(unit_a, unit_b, clerk_a, clerk_b):
    assert _texts(unit_a, clerk_a, 2) == ["收〔2026〕1号", "收〔2026〕2号"]
    assert _texts(unit_b, clerk_b, 1) == ["收〔2026〕1号"]
    assert _texts(unit_a, clerk_a, 1, year=2027) == ["收〔2027〕1号"]
    assert _texts(unit_a, clerk_a, 1) == ["收〔2026〕3号"]


def test_incoming_and_outgoing_numbers_count_apart(unit_a, clerk_a, prefix_a):
    assert assign_number(prefix=prefix_a, user=clerk_a, year=2026).text == "甲字〔2026〕1号"
    assert _texts(unit_a, clerk_a, 1) == ["收〔2026〕1号"]
    assert assign_number(prefix=prefix_a, user=clerk_a, year=2026).text == "甲字〔2026〕2号"


def test_incoming_numbers_are_in_the_register_with_their_subject(unit_a, clerk_a, prefix_a):
    number = assign_incoming_number(unit=unit_a, user=clerk_a, year=2026, subject="关于检查的通知")
    assert number in register(unit_a, 2026)
    assert IssuedNumber.objects.get(pk=number.pk).subject == "关于检查的通知"


def test_the_outgoing_register_lists_only_outgoing_numbers(unit_a, clerk_a, prefix_a):
    outgoing = assign_number(prefix=prefix_a, user=clerk_a, year=2026)
    assign_incoming_number(unit=unit_a, user=clerk_a, year=2025)
    assign_incoming_number(unit=unit_a, user=clerk_a, year=2026)
    entries = registers.register_entries(unit_a, registers.RegisterFilters(year=2026))
    assert list(entries) == [outgoing]
    assert list(registers.register_prefixes(unit_a)) == [prefix_a]
    assert 2025 not in registers.register_years(unit_a)


def test_the_outgoing_numbering_step_never_offers_the_incoming_prefix(
    unit_a, clerk_a, prefix_a, staff
):
    assign_incoming_number(unit=unit_a, user=clerk_a, year=2026)
    assert list(prefixes_for(staff.department)) == [prefix_a]


def test_an_outgoing_prefix_is_always_bracketed(unit_a):
    with pytest.raises(IntegrityError):
        DocumentPrefix.objects.create(unit=unit_a, text="乙", number_format=YEAR_SERIAL)


def test_only_the_units_own_clerk_takes_or_formats_its_numbers(
    unit_a, clerk_b, clerk_hq, process_admin_a, staff
):
    for user in (clerk_b, clerk_hq, process_admin_a, staff):
        with pytest.raises(PermissionDenied):
            assign_incoming_number(unit=unit_a, user=user, year=2026)
        with pytest.raises(PermissionDenied):
            incoming_numbering_set(unit=unit_a, user=user, text="收", number_format=BRACKETED)
    assert not IssuedNumber.objects.exists()
    assert not DocumentPrefix.objects.exists()


def test_a_bad_format_or_prefix_is_refused(unit_a, clerk_a, english_messages):
    with pytest.raises(NumberingError, match="Choose a number format"):
        incoming_numbering_set(unit=unit_a, user=clerk_a, text="收", number_format="roman")
    with pytest.raises(NumberingError, match="without spaces, digits or brackets"):
        incoming_numbering_set(unit=unit_a, user=clerk_a, text="收〔", number_format=BRACKETED)


def test_a_unit_whose_outgoing_prefix_is_shou_sets_another_incoming_one(
    unit_a, clerk_a, english_messages
):
    DocumentPrefix.objects.create(unit=unit_a, text="收")
    with pytest.raises(NumberingError, match="already has the prefix 收"):
        assign_incoming_number(unit=unit_a, user=clerk_a, year=2026)
    incoming_numbering_set(unit=unit_a, user=clerk_a, text="收文", number_format=BRACKETED)
    assert _texts(unit_a, clerk_a, 1) == ["收文〔2026〕1号"]

"""Deadlines count working days on China's official calendar: statutory holidays are off, the
weekend days made working days (调休) are on, and the office's overrides win over the library
for a year it does not know yet."""

from datetime import date

import pytest
from django.contrib.admin.sites import site
from django.test import RequestFactory

from people.models import Role
from tests.factories.people import RoleAssignmentFactory, UserFactory
from workflow import deadlines
from workflow.admin import CalendarOverrideAdmin
from workflow.models import CalendarOverride, Urgency

pytestmark = pytest.mark.django_db

SPRING_FESTIVAL_FRIDAY = date(2026, 2, 13)


def test_three_working_days_from_the_friday_before_the_spring_festival():
    # Sat 14 February is a make-up working day; 15–23 February are the holiday.
    assert deadlines.add_working_days(SPRING_FESTIVAL_FRIDAY, 1) == date(2026, 2, 14)
    assert deadlines.add_working_days(SPRING_FESTIVAL_FRIDAY, 2) == date(2026, 2, 24)
    assert deadlines.add_working_days(SPRING_FESTIVAL_FRIDAY, 3) == date(2026, 2, 25)


def test_make_up_saturday_counts_and_holiday_weekdays_do_not():
    assert deadlines.is_working_day(date(2026, 2, 28))  # 调休上班
    assert not deadlines.is_working_day(date(2026, 2, 17))  # Tuesday of the holiday
    assert deadlines.working_days_between(date(2026, 2, 13), date(2026, 2, 28)) == 6


def test_default_deadline_follows_the_urgency():
    assert deadlines.default_deadline(Urgency.URGENT, SPRING_FESTIVAL_FRIDAY) == date(2026, 2, 25)
    assert deadlines.default_deadline(Urgency.VERY_URGENT, SPRING_FESTIVAL_FRIDAY) == date(
        2026, 2, 14
    )


def test_a_year_the_library_does_not_know_counts_monday_to_friday():
    assert deadlines.is_working_day(date(2027, 1, 1))  # a Friday, New Year unknown
    assert not deadlines.is_working_day(date(2027, 1, 2))  # Saturday


def test_office_overrides_win_and_are_seen_at_once():
    new_year = date(2027, 1, 1)
    assert deadlines.add_working_days(date(2026, 12, 31), 1) == new_year

    CalendarOverride.objects.create(day=new_year, is_working_day=False, name="元旦")
    make_up = CalendarOverride.objects.create(
        day=date(2027, 1, 2), is_working_day=True, name="元旦调休上班"
    )
    assert not deadlines.is_working_day(new_year)
    assert deadlines.add_working_days(date(2026, 12, 31), 1) == date(2027, 1, 2)

    make_up.delete()
    assert deadlines.add_working_days(date(2026, 12, 31), 1) == date(2027, 1, 4)


def test_an_override_can_make_a_library_holiday_a_working_day():
    CalendarOverride.objects.create(day=date(2026, 2, 17), is_working_day=True, name="值班")
    assert deadlines.add_working_days(SPRING_FESTIVAL_FRIDAY, 2) == date(2026, 2, 17)


def test_the_overrides_are_read_once_per_change(django_assert_num_queries):
    CalendarOverride.objects.create(day=date(2027, 1, 1), is_working_day=False, name="元旦")
    deadlines.is_working_day(date(2027, 1, 1))
    with django_assert_num_queries(0):
        deadlines.add_working_days(date(2027, 1, 1), 10)


def test_negative_days_are_refused():
    with pytest.raises(ValueError):
        deadlines.add_working_days(SPRING_FESTIVAL_FRIDAY, -1)


@pytest.mark.parametrize(
    "role, allowed", [(Role.SYSTEM_ADMIN, True), (Role.PROCESS_ADMIN, True), (None, False)]
)
def test_who_keeps_the_calendar(role, allowed):
    user = UserFactory(is_staff=True)
    if role:
        RoleAssignmentFactory(user=user, role=role)
    request = RequestFactory().get("/")
    request.user = user
    admin = CalendarOverrideAdmin(CalendarOverride, site)
    assert admin.has_add_permission(request) is allowed
    assert admin.has_change_permission(request) is allowed
    assert admin.has_module_permission(request) is allowed

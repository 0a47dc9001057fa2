"""Deadlines count working days on China's official calendar: statutory holidays are off, the
weekend days made working days (调休) are on, and the office's overrides win over the library
for a year it does not know yet."""

from datetime import date

import pytest

from people.models import OrgUnit, Role
from tests.factories.people import OrgUnitFactory, RoleAssignmentFactory, UserFactory
from workflow import deadlines
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


def calendar_keeper(kind):
    """A user who keeps the group's calendar (system administrator, headquarters' process
    administrator), or who must not (a unit's process administrator, an employee)."""
    if kind == "system_admin":
        user = UserFactory()
        RoleAssignmentFactory(user=user, role=Role.SYSTEM_ADMIN, unit=None)
        return user
    headquarters = OrgUnitFactory(code="HQ", kind=OrgUnit.Kind.HEADQUARTERS)
    unit = OrgUnitFactory(code="UA", kind=OrgUnit.Kind.UNIT, parent=headquarters)
    user = UserFactory()
    if kind == "hq_process_admin":
        RoleAssignmentFactory(user=user, role=Role.PROCESS_ADMIN, unit=headquarters)
    elif kind == "unit_process_admin":
        RoleAssignmentFactory(user=user, role=Role.PROCESS_ADMIN, unit=unit)
    return user


CALENDAR = "/workflow/calendar/"


@pytest.mark.parametrize(
    "kind, allowed",
    [
        ("system_admin", True),
        ("hq_process_admin", True),
        ("unit_process_admin", False),
        ("employee", False),
    ],
)
def test_who_keeps_the_calendar(client, kind, allowed):
    client.force_login(calendar_keeper(kind))
    assert client.get(CALENDAR).status_code == (200 if allowed else 403)
    answer = client.post(CALENDAR, {"day": "2027-02-08", "is_working_day": "0", "name": "春节"})
    assert answer.status_code == (302 if allowed else 403)
    assert CalendarOverride.objects.exists() is allowed


def test_a_declared_day_moves_the_next_deadline_and_removing_it_moves_it_back(client):
    client.force_login(calendar_keeper("hq_process_admin"))
    friday = date(2027, 2, 5)  # 2027 is not in chinese_calendar yet: weekdays count
    assert deadlines.add_working_days(friday, 1) == date(2027, 2, 8)

    client.post(CALENDAR, {"day": "2027-02-08", "is_working_day": "0", "name": "春节"})
    assert deadlines.add_working_days(friday, 1) == date(2027, 2, 9)
    page = client.get(CALENDAR + "?year=2027").content.decode()
    assert "2027-02-08" in page and "春节" in page
    assert 'data-testid="calendar-unknown-year"' in page

    override = CalendarOverride.objects.get()
    client.post(f"{CALENDAR}{override.pk}/clear/")
    assert deadlines.add_working_days(friday, 1) == date(2027, 2, 8)


def test_declaring_a_day_again_replaces_what_was_declared(client):
    client.force_login(calendar_keeper("system_admin"))
    client.post(CALENDAR, {"day": "2027-02-07", "is_working_day": "0", "name": "春节"})
    client.post(CALENDAR, {"day": "2027-02-07", "is_working_day": "1", "name": "春节调休上班"})
    (override,) = CalendarOverride.objects.all()
    assert override.is_working_day and override.name == "春节调休上班"


@pytest.mark.parametrize(
    "form",
    [
        {"day": "2027-13-40", "is_working_day": "0", "name": "春节"},
        {"day": "2027-02-08", "is_working_day": "maybe", "name": "春节"},
        {"day": "2027-02-08", "is_working_day": "0", "name": "   "},
        {"day": "2027-02-08", "is_working_day": "0", "name": "节" * 51},
    ],
)
def test_bad_input_is_refused_with_a_message_and_changes_nothing(client, form):
    client.force_login(calendar_keeper("system_admin"))
    answer = client.post(CALENDAR, form)
    assert answer.status_code == 400
    assert 'role="alert"' in answer.content.decode()
    assert not CalendarOverride.objects.exists()


def test_the_official_calendar_of_a_known_year_is_shown_in_chinese(client):
    client.force_login(calendar_keeper("system_admin"))
    page = client.get(CALENDAR + "?year=2026", HTTP_ACCEPT_LANGUAGE="zh-hans").content.decode()
    assert 'data-testid="calendar-official"' in page
    assert "2026-02-14" in page and "春节" in page  # a make-up Saturday
    assert client.get(CALENDAR + "?year=abc").status_code == 200
    assert client.get(CALENDAR + "?year=99999999999999999999").status_code == 200


def test_an_unknown_day_cannot_be_cleared(client):
    client.force_login(calendar_keeper("system_admin"))
    assert client.post(f"{CALENDAR}999/clear/").status_code == 404
    assert client.get(f"{CALENDAR}999/clear/").status_code == 405

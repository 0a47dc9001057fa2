"""The rollup: re-running it changes nothing; periods read it and add today's figures live."""

from datetime import date, timedelta

import pytest
from axes.models import AccessLog
from django.core.management import call_command

from stats.models import ActiveUserDay, ActiveUserMonth, RolledDay, StepTurnaroundDay, UnitDayFigure
from stats.periods import Period, beijing_today
from stats.selectors import period_figures, step_turnarounds
from stats.services import rollup_pending, rollup_range

from .conftest import HOUR, D, at

pytestmark = pytest.mark.django_db


def rollup_rows():
    return (
        sorted(UnitDayFigure.objects.values_list("day", "unit_id", "figure", "value")),
        sorted(ActiveUserDay.objects.values_list("day", "unit_id", "user_id")),
        sorted(ActiveUserMonth.objects.values_list("month", "unit_id", "user_id", "days")),
        sorted(
            (day, unit, flow, step, sorted(durations))
            for day, unit, flow, step, durations in StepTurnaroundDay.objects.values_list(
                "day", "unit_id", "flow", "step", "durations"
            )
        ),
    )


@pytest.fixture
def scene(ua, ub, logins, returned_document, delegated_document, cancelled_document):
    return ua


def test_rolling_up_twice_gives_the_same_rows(scene):
    rollup_range(D - timedelta(days=2), D + timedelta(days=1))
    first = rollup_rows()
    assert first[0]
    call_command(
        "stats_rollup",
        "--from",
        (D - timedelta(days=2)).isoformat(),
        "--to",
        (D + timedelta(days=1)).isoformat(),
    )
    assert rollup_rows() == first
    assert RolledDay.objects.count() == 4


def test_a_period_sums_the_days_and_counts_active_users_once(scene):
    ua = scene
    rollup_range(D - timedelta(days=2), D + timedelta(days=1))
    (row,) = period_figures(
        Period("custom", D - timedelta(days=1), D + timedelta(days=1)),
        [ua.unit],
        with_durations=True,
    )
    assert row.logins == 5
    assert row.active_users == 3  # drafter, clerk and leader; the drafter's two logins once
    assert row.accounts == 11
    assert row.active_share == pytest.approx(3 / 11)
    assert row.tasks_finished == 8
    assert row.tasks_overdue == 1
    assert row.documents_cancelled == 1
    durations = sorted([1, 3, 2, 4, 5, 1, 1, 1])
    assert sorted(row.durations) == [hours * HOUR for hours in durations]
    assert row.average_turnaround == pytest.approx(18 / 8 * HOUR)
    assert row.p90_turnaround == 5 * HOUR


def test_step_turnarounds_of_a_unit(scene):
    ua = scene
    rollup_range(D, D)
    steps = {
        (s.step, s.count, s.average, s.p90) for s in step_turnarounds(ua.unit, Period("day", D, D))
    }
    assert steps == {
        ("draft", 2, 2 * HOUR, 3 * HOUR),
        ("check", 2, 3 * HOUR, 4 * HOUR),
        ("sign_off", 1, 5 * HOUR, 5 * HOUR),
    }


def test_today_is_counted_live_and_its_users_added_once(ua):
    today = beijing_today()
    yesterday = today - timedelta(days=1)
    for moment in (at(yesterday, 12), at(today, 0, 0, 1)):
        entry = AccessLog.objects.create(username=ua.drafter.username, ip_address="10.0.0.1")
        AccessLog.objects.filter(pk=entry.pk).update(attempt_time=moment)
    entry = AccessLog.objects.create(username=ua.clerk.username, ip_address="10.0.0.1")
    rollup_range(yesterday, yesterday)
    (row,) = period_figures(Period("custom", yesterday, today), [ua.unit])
    assert row.logins == 3
    assert row.active_users == 2
    assert not UnitDayFigure.objects.filter(day=today).exists()


def test_the_background_work_rolls_up_missing_days_and_the_last_week_again(ua):
    assert rollup_pending(today=D) == 8  # nothing rolled up yet: the last week and yesterday
    assert RolledDay.objects.order_by("day").first().day == D - timedelta(days=8)
    RolledDay.objects.filter(day__gt=D - timedelta(days=20)).delete()
    RolledDay.objects.create(day=D - timedelta(days=20))
    assert rollup_pending(today=D) == 19  # the gap since the last rolled-up day
    assert rollup_pending(today=D + timedelta(days=1)) == 8


def sign_in(user, moment):
    entry = AccessLog.objects.create(username=user.username, ip_address="10.0.0.1")
    AccessLog.objects.filter(pk=entry.pk).update(attempt_time=moment)
    return entry


@pytest.fixture
def logins_over_three_months(ua, ub):
    """Sign-ins from 2026-01-30 to 2026-03-02 (Beijing), some at the days' first and last
    instants, one of UB's users moved to UA in between."""
    jan30, jan31, feb1, feb15 = (
        date(2026, 1, 30),
        date(2026, 1, 31),
        date(2026, 2, 1),
        date(2026, 2, 15),
    )
    feb28, mar1, mar2 = date(2026, 2, 28), date(2026, 3, 1), date(2026, 3, 2)
    sign_in(ua.drafter, at(jan30, 9))
    sign_in(ua.drafter, at(mar2, 0, 0, 0))
    sign_in(ua.clerk, at(jan31, 23, 59, 59))
    sign_in(ua.clerk, at(feb1, 0, 0, 0))
    sign_in(ua.leader, at(feb15, 12))
    sign_in(ua.verifier, at(feb28, 23, 59, 59))
    sign_in(ub.drafter, at(mar1, 8))
    sign_in(ub.clerk, at(jan31, 8))
    rollup_range(jan30, feb15)
    ub.clerk.department = ua.office
    ub.clerk.save()
    sign_in(ub.clerk, at(feb28, 8))
    rollup_range(feb15 + timedelta(days=1), mar2)
    return jan30, mar2


def distinct_active_users(unit, first, last):
    """The definition, counted from the day rows."""
    return (
        ActiveUserDay.objects.filter(unit=unit, day__gte=first, day__lte=last)
        .values("user_id")
        .distinct()
        .count()
    )


def test_active_users_of_any_period_read_from_the_months_match_the_days(
    ua, ub, logins_over_three_months
):
    first, last = logins_over_three_months
    days = [first + timedelta(days=n) for n in range((last - first).days + 1)]
    for start in days:
        for end in days[days.index(start) :]:
            rows = period_figures(Period("custom", start, end), [ua.unit, ub.unit])
            for row in rows:
                expected = distinct_active_users(row.unit, start, end)
                assert row.active_users == expected, (row.unit.code, start, end)


def test_known_active_users_across_months(ua, ub, logins_over_three_months):
    def active(unit, start, end):
        (row,) = period_figures(Period("custom", start, end), [unit])
        return row.active_users

    assert active(ua.unit, date(2026, 1, 30), date(2026, 3, 2)) == 5
    assert active(ua.unit, date(2026, 1, 31), date(2026, 1, 31)) == 1  # the clerk at 23:59:59
    assert (
        active(ua.unit, date(2026, 2, 1), date(2026, 2, 28)) == 4
    )  # clerk, leader, verifier, UB's clerk
    assert active(ua.unit, date(2026, 2, 2), date(2026, 3, 1)) == 3
    assert active(ub.unit, date(2026, 1, 30), date(2026, 3, 2)) == 2  # its clerk while still in UB
    assert active(ub.unit, date(2026, 2, 1), date(2026, 2, 28)) == 0


def test_the_month_rows_hold_one_bit_a_day_and_follow_a_rerolled_day(
    ua, ub, logins_over_three_months
):
    assert ActiveUserMonth.objects.get(month=date(2026, 2, 1), user=ua.clerk).days == 0b1
    assert ActiveUserMonth.objects.get(month=date(2026, 1, 1), user=ua.clerk).days == 1 << 30
    before = rollup_rows()
    rollup_range(date(2026, 2, 10), date(2026, 2, 20))
    assert rollup_rows() == before
    AccessLog.objects.filter(username=ua.leader.username).delete()
    rollup_range(date(2026, 2, 15), date(2026, 2, 15))
    assert not ActiveUserMonth.objects.filter(user=ua.leader).exists()
    sign_in(ua.leader, at(date(2026, 2, 3), 10))
    sign_in(ua.leader, at(date(2026, 2, 5), 10))
    rollup_range(date(2026, 2, 3), date(2026, 2, 5))
    assert ActiveUserMonth.objects.get(user=ua.leader).days == 0b10100

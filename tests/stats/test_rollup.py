"""The rollup: re-running it changes nothing; periods read it and add today's figures live."""

from datetime import timedelta

import pytest
from axes.models import AccessLog
from django.core.management import call_command

from stats.models import ActiveUserDay, RolledDay, StepTurnaroundDay, UnitDayFigure
from stats.periods import Period, beijing_today
from stats.selectors import period_figures, step_turnarounds
from stats.services import rollup_pending, rollup_range

from .conftest import HOUR, D, at

pytestmark = pytest.mark.django_db


def rollup_rows():
    return (
        sorted(UnitDayFigure.objects.values_list("day", "unit_id", "figure", "value")),
        sorted(ActiveUserDay.objects.values_list("day", "unit_id", "user_id")),
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

"""Recurring events: maintained rules (dateutil), refused when hostile, always expanded within the
window and a cap."""

from datetime import timedelta

import pytest
from django.core.exceptions import ValidationError
from django.utils import timezone

from agenda import recurrence, services
from agenda.models import Event
from agenda.recurrence import MAX_OCCURRENCES, occurrences, parse_rule
from agenda.services import AgendaError
from tests.factories.agenda import personal_calendar


def at(day: str, hour: int = 9):
    from datetime import date, datetime, time

    return timezone.make_aware(datetime.combine(date.fromisoformat(day), time(hour)))


class Rule:
    def __init__(self, rule: str, start: str = "2026-01-05"):
        self.pk = 1
        self.recurrence = rule
        self.starts_at = at(start)
        self.ends_at = at(start, 10)


def test_a_series_without_end_yields_only_the_window():
    found = occurrences(Rule("FREQ=DAILY"), at("2026-03-01", 0), at("2026-03-08", 0))
    assert [o.starts_at.day for o in found] == [1, 2, 3, 4, 5, 6, 7]


def test_expansion_is_capped_in_a_huge_window():
    found = occurrences(Rule("FREQ=DAILY"), at("2026-01-01", 0), at("2099-01-01", 0))
    assert len(found) == MAX_OCCURRENCES


def test_the_walk_from_the_series_start_is_bounded(monkeypatch):
    monkeypatch.setattr(recurrence, "MAX_STEPS", 100)
    # The window lies beyond the walk: nothing, quickly, rather than millions of steps.
    assert occurrences(Rule("FREQ=DAILY", "1971-01-01"), at("2026-03-01"), at("2026-03-02")) == []


@pytest.mark.parametrize(
    "rule",
    [
        "FREQ=SECONDLY",
        "FREQ=MINUTELY;COUNT=100",
        "FREQ=HOURLY",
        "FREQ=DAILY;COUNT=100000000",
        "FREQ=DAILY;INTERVAL=0",
        "FREQ=DAILY;BYSETPOS=1",
        "FREQ=DAILY;UNTIL=notadate",
        "FREQ=WEEKLY;BYDAY=XX",
        "",
        "garbage",
    ],
)
def test_hostile_or_malformed_rules_are_refused(rule):
    with pytest.raises(ValidationError):
        parse_rule(rule, at("2026-01-05"))


@pytest.mark.django_db
def test_a_refused_rule_stores_nothing(office):
    calendar = personal_calendar(office.staff)
    with pytest.raises(AgendaError) as refusal:
        services.event_create(
            user=office.staff,
            calendar=calendar,
            title="每秒",
            starts_at=at("2026-01-05"),
            ends_at=at("2026-01-05", 10),
            recurrence="FREQ=SECONDLY",
        )
    assert "recurrence" in refusal.value.error_dict
    assert not Event.objects.exists()


@pytest.mark.django_db
def test_a_finite_series_stores_its_end_and_leaves_later_windows(office):
    calendar = personal_calendar(office.staff)
    event = services.event_create(
        user=office.staff,
        calendar=calendar,
        title="培训",
        starts_at=at("2026-01-05"),
        ends_at=at("2026-01-05", 10),
        recurrence="FREQ=WEEKLY;COUNT=3",
    )
    assert event.recurrence_ends_at == at("2026-01-19", 10)
    from agenda.selectors import occurrences_in_window

    assert (
        occurrences_in_window([calendar.pk], at("2026-02-01").date(), at("2026-03-01").date()) == []
    )
    found = occurrences_in_window([calendar.pk], at("2026-01-01").date(), at("2026-02-01").date())
    assert len(found) == 3
    assert found[0].ends_at - found[0].starts_at == timedelta(hours=1)

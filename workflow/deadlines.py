"""Working days on China's official calendar (gongwen.md §6): statutory holidays are not working
days, and the weekend days the State Council makes working days (调休) are.

`chinese_calendar` carries each year's announcement; a year it does not know yet counts Monday to
Friday as working days, so a deadline is never refused for want of next year's calendar. The
office enters an announcement the library does not carry yet as `CalendarOverride` days, which
win over both. The overrides are read once per process and read again after any change, in any
process: a change bumps a generation number in the shared cache, which each call compares.
"""

from datetime import date, timedelta

import chinese_calendar
from django.core.cache import cache

from .models import CalendarOverride, Urgency

OVERRIDES_GENERATION_KEY = "workflow:calendar-overrides"
_overrides: dict = {"generation": None, "days": {}}

# 办理时限 by urgency, in working days, when the instructing leader sets none.
DEFAULT_WORKING_DAYS = {
    Urgency.VERY_URGENT: 1,
    Urgency.URGENT: 3,
    Urgency.NORMAL: 10,
}


def calendar_changed() -> None:
    """Every process reads the overrides again on its next deadline (call after a change)."""
    try:
        cache.incr(OVERRIDES_GENERATION_KEY)
    except ValueError:
        cache.set(OVERRIDES_GENERATION_KEY, 1, timeout=None)


def calendar_overrides() -> dict[date, bool]:
    """{day: is a working day} the office entered, cached in this process."""
    generation = cache.get(OVERRIDES_GENERATION_KEY, 0)
    if _overrides["generation"] != generation:
        _overrides["days"] = dict(CalendarOverride.objects.values_list("day", "is_working_day"))
        _overrides["generation"] = generation
    return _overrides["days"]


def is_working_day(day: date, overrides: dict[date, bool] | None = None) -> bool:
    overrides = calendar_overrides() if overrides is None else overrides
    if day in overrides:
        return overrides[day]
    try:
        return chinese_calendar.is_workday(day)
    except NotImplementedError:
        return day.weekday() < 5


def add_working_days(start: date, days: int) -> date:
    """The day `days` working days after `start` (the start day itself is not counted)."""
    if days < 0:
        raise ValueError("days must not be negative")
    overrides = calendar_overrides()
    day = start
    remaining = days
    while remaining:
        day += timedelta(days=1)
        if is_working_day(day, overrides):
            remaining -= 1
    return day


def working_days_between(start: date, end: date) -> int:
    """Working days after `start` up to and including `end` (negative when `end` is earlier)."""
    if end < start:
        return -working_days_between(end, start)
    overrides = calendar_overrides()
    return sum(
        1
        for n in range(1, (end - start).days + 1)
        if is_working_day(start + timedelta(n), overrides)
    )


def default_deadline(urgency: str, start: date) -> date:
    days = DEFAULT_WORKING_DAYS.get(urgency, DEFAULT_WORKING_DAYS[Urgency.NORMAL])
    return add_working_days(start, days)


def official_adjustments(year: int) -> list[tuple[date, bool, str]] | None:
    """The year's official days off on weekdays and make-up working days on weekends, as
    (day, is a working day, holiday's Chinese name); None when `chinese_calendar` does not
    carry the year yet (then Monday to Friday count as working days unless overridden)."""
    names = {holiday.value: holiday.chinese for holiday in chinese_calendar.Holiday}
    day, adjustments = date(year, 1, 1), []
    try:
        while day.year == year:
            is_holiday, name = chinese_calendar.get_holiday_detail(day)
            if name and is_holiday == (day.weekday() < 5):
                adjustments.append((day, not is_holiday, names.get(name, name)))
            day += timedelta(days=1)
    except NotImplementedError:
        return None
    return adjustments

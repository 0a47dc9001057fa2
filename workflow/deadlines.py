"""Working days on China's official calendar (gongwen.md §6): statutory holidays are not working
days, and the weekend days the State Council makes working days (调休) are.

`chinese_calendar` carries each year's announcement; a year it does not know yet counts Monday to
Friday as working days, so a deadline is never refused for want of next year's calendar.
"""

from datetime import date, timedelta

import chinese_calendar

from .models import Urgency

# 办理时限 by urgency, in working days, when the instructing leader sets none.
DEFAULT_WORKING_DAYS = {
    Urgency.VERY_URGENT: 1,
    Urgency.URGENT: 3,
    Urgency.NORMAL: 10,
}


def is_working_day(day: date) -> bool:
    try:
        return chinese_calendar.is_workday(day)
    except NotImplementedError:
        return day.weekday() < 5


def add_working_days(start: date, days: int) -> date:
    """The day `days` working days after `start` (the start day itself is not counted)."""
    if days < 0:
        raise ValueError("days must not be negative")
    day = start
    remaining = days
    while remaining:
        day += timedelta(days=1)
        if is_working_day(day):
            remaining -= 1
    return day


def working_days_between(start: date, end: date) -> int:
    """Working days after `start` up to and including `end` (negative when `end` is earlier)."""
    if end < start:
        return -working_days_between(end, start)
    return sum(1 for n in range(1, (end - start).days + 1) if is_working_day(start + timedelta(n)))


def default_deadline(urgency: str, start: date) -> date:
    days = DEFAULT_WORKING_DAYS.get(urgency, DEFAULT_WORKING_DAYS[Urgency.NORMAL])
    return add_working_days(start, days)

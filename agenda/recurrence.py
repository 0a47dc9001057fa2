"""Recurring events: RFC 5545 rules checked on entry and expanded with dateutil, always bounded.

Only the rules people keep in an office calendar are accepted (daily, weekly, monthly, yearly,
with interval, count, until, weekdays and month days); expansion yields only the occurrences
inside the window asked for, at most `MAX_OCCURRENCES`, and walks at most `MAX_STEPS` occurrences
from the series' start, so a rule without an end never costs more than that.
"""

from dataclasses import dataclass
from datetime import datetime, timedelta
from itertools import islice

from dateutil.rrule import rrule, rrulestr
from django.core.exceptions import ValidationError
from django.utils.translation import gettext as _

ALLOWED_FREQUENCIES = {"DAILY", "WEEKLY", "MONTHLY", "YEARLY"}
ALLOWED_PARTS = {"FREQ", "INTERVAL", "COUNT", "UNTIL", "BYDAY", "BYMONTHDAY", "BYMONTH", "WKST"}
MAX_COUNT = 1000
MAX_INTERVAL = 366
MAX_OCCURRENCES = 500
MAX_STEPS = 20_000


def parse_rule(text: str, starts_at: datetime) -> rrule:
    """The rule, or a ValidationError saying what is wrong with it."""
    text = text.strip().removeprefix("RRULE:")
    parts = {}
    for part in text.split(";"):
        name, _sep, value = part.partition("=")
        parts[name.strip().upper()] = value.strip()
    invalid = ValidationError(_("The recurrence rule is not valid."), code="recurrence")
    if parts.get("FREQ", "").upper() not in ALLOWED_FREQUENCIES:
        raise ValidationError(
            _("Events may repeat daily, weekly, monthly or yearly."), code="recurrence"
        )
    if set(parts) - ALLOWED_PARTS:
        raise invalid
    try:
        if int(parts.get("COUNT", 1)) not in range(1, MAX_COUNT + 1):
            raise ValidationError(
                _("A series may have at most %(count)s occurrences.") % {"count": MAX_COUNT},
                code="recurrence",
            )
        if int(parts.get("INTERVAL", 1)) not in range(1, MAX_INTERVAL + 1):
            raise invalid
        rule = rrulestr(text, dtstart=starts_at)
    except (ValueError, TypeError, OverflowError) as error:
        raise invalid from error
    if not isinstance(rule, rrule):
        raise invalid
    return rule


def series_end(text: str, rule: rrule, duration: timedelta) -> datetime | None:
    """When the last occurrence ends, or None for a series without an end."""
    if "COUNT=" not in text.upper() and "UNTIL=" not in text.upper():
        return None
    occurrences_walked = list(islice(rule, MAX_STEPS))
    return occurrences_walked[-1] + duration if occurrences_walked else None


@dataclass(frozen=True)
class Occurrence:
    event: object
    starts_at: datetime
    ends_at: datetime


def occurrences(event, window_start: datetime, window_end: datetime) -> list[Occurrence]:
    """The event's occurrences that overlap [window_start, window_end), bounded."""
    duration = event.ends_at - event.starts_at
    if not event.recurrence:
        if event.starts_at < window_end and event.ends_at > window_start:
            return [Occurrence(event, event.starts_at, event.ends_at)]
        return []
    try:
        rule = parse_rule(event.recurrence, event.starts_at)
    except ValidationError:
        return []
    found = []
    for start in islice(rule, MAX_STEPS):
        if start >= window_end or len(found) >= MAX_OCCURRENCES:
            break
        if start + duration > window_start:
            found.append(Occurrence(event, start, start + duration))
    return found

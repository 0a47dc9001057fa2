"""Read paths of the agenda, each with a bounded number of queries."""

from dataclasses import dataclass
from datetime import date, datetime, time, timedelta
from time import time_ns

from django.core.cache import cache
from django.db import transaction
from django.db.models import Count, Q, QuerySet
from django.utils import timezone

from people.models import Role, User

from . import permissions
from .models import Event, Meeting, Participant
from .recurrence import Occurrence, occurrences

VIEWS = ("day", "week", "month")


def window(view: str, day: date) -> tuple[date, date]:
    """The first and the day after the last day the view shows."""
    if view == "day":
        return day, day + timedelta(days=1)
    if view == "week":
        first = day - timedelta(days=day.weekday())
        return first, first + timedelta(days=7)
    first = day.replace(day=1)
    following = (first + timedelta(days=32)).replace(day=1)
    # Whole weeks, Monday first, so the month grid has no holes.
    return first - timedelta(days=first.weekday()), following + timedelta(
        days=(7 - following.weekday()) % 7
    )


def neighbours(view: str, day: date) -> tuple[date, date]:
    """The days the previous and next buttons go to."""
    if view == "day":
        return day - timedelta(days=1), day + timedelta(days=1)
    if view == "week":
        return day - timedelta(days=7), day + timedelta(days=7)
    first = day.replace(day=1)
    return (first - timedelta(days=1)).replace(day=1), (first + timedelta(days=32)).replace(day=1)


def _aware(day: date) -> datetime:
    return timezone.make_aware(datetime.combine(day, time.min))


@dataclass(frozen=True, slots=True)
class EventRow:
    """What a calendar shows of an event; plain rows, since 2,000 model instances cost more than
    the whole month view may."""

    pk: int
    calendar_id: int
    title: str
    location: str
    starts_at: datetime
    ends_at: datetime
    all_day: bool
    recurrence: str


def events_in_window(calendars, start: datetime, end: datetime) -> list[EventRow]:
    """Events that may occur in [start, end): single ones overlapping it and series not over."""
    rows = (
        Event.objects.filter(calendar__in=calendars, starts_at__lt=end)
        .filter(
            Q(recurrence="", ends_at__gt=start)
            | (
                ~Q(recurrence="")
                & (Q(recurrence_ends_at__isnull=True) | Q(recurrence_ends_at__gt=start))
            )
        )
        .values_list(*EventRow.__slots__)
    )
    return [EventRow(*row) for row in rows]


def occurrences_in_window(calendars, first: date, after_last: date) -> list[Occurrence]:
    start, end = _aware(first), _aware(after_last)
    found = []
    for event in events_in_window(calendars, start, end):
        found.extend(occurrences(event, start, end))
    found.sort(key=lambda occurrence: (occurrence.starts_at, occurrence.event.pk))
    return found


CALENDAR_CACHE_SECONDS = 600


def _calendar_version_key(calendar_id: int) -> str:
    return f"agenda:calendar-version:{calendar_id}"


def calendar_changed(calendar_id: int) -> None:
    """Every cached window of the calendar is out of date: now, and again on commit (a
    concurrent reader may have cached the old events in between)."""

    def bump():
        cache.set(_calendar_version_key(calendar_id), time_ns(), timeout=None)

    bump()
    transaction.on_commit(bump)


def calendar_window(
    calendar_id: int, first: date, after_last: date, per_day: int | None
) -> list["CalendarDay"]:
    """One calendar's days in the window (see `calendar_days`), cached until the calendar
    changes: a leader's month is read many times for each change the office makes."""
    version = cache.get_or_set(_calendar_version_key(calendar_id), time_ns, timeout=None)
    key = (
        f"agenda:calendar:{calendar_id}:{version}:{timezone.get_current_timezone_name()}:"
        f"{first.isoformat()}:{after_last.isoformat()}:{per_day}"
    )
    days = cache.get(key)
    if days is None:
        found = occurrences_in_window([calendar_id], first, after_last)
        days = calendar_days(first, after_last, found, per_day)
        cache.set(key, days, CALENDAR_CACHE_SECONDS)
    return days


@dataclass(frozen=True)
class CalendarDay:
    day: date
    occurrences: list[Occurrence]
    # How many more the day holds than it shows.
    more: int


def calendar_days(
    first: date, after_last: date, found: list[Occurrence], per_day: int | None = None
) -> list[CalendarDay]:
    """Each day of the window with the occurrences touching it, at most `per_day` of them."""
    zone = timezone.get_current_timezone()
    by_day: dict[date, list[Occurrence]] = {}
    for occurrence in found:
        day = max(occurrence.starts_at.astimezone(zone).date(), first)
        last = (occurrence.ends_at - timedelta(microseconds=1)).astimezone(zone).date()
        while day <= last and day < after_last:
            by_day.setdefault(day, []).append(occurrence)
            day += timedelta(days=1)
    days = []
    day = first
    while day < after_last:
        touching = by_day.get(day, [])
        shown = touching if per_day is None else touching[:per_day]
        days.append(CalendarDay(day, shown, len(touching) - len(shown)))
        day += timedelta(days=1)
    return days


def today_occurrences(user: User, limit: int) -> list[Occurrence]:
    today = timezone.localdate()
    calendars = permissions.visible_calendars(user).values("pk")
    return occurrences_in_window(calendars, today, today + timedelta(days=1))[:limit]


def upcoming_meetings(user: User, limit: int) -> list[Meeting]:
    return list(
        permissions.visible_meetings(user)
        .filter(status=Meeting.Status.CONFIRMED, ends_at__gte=timezone.now())
        .select_related("room")
        .order_by("starts_at")[:limit]
    )


def replies_due(user: User, limit: int) -> list[Participant]:
    return list(
        Participant.objects.filter(
            user=user,
            reply=Participant.Reply.PENDING,
            meeting__status=Meeting.Status.CONFIRMED,
            meeting__ends_at__gte=timezone.now(),
        )
        .exclude(meeting__room__unit__agenda_modules__meetings_enabled=False)
        .select_related("meeting__room")
        .order_by("meeting__starts_at")[:limit]
    )


def meeting_list(user: User) -> QuerySet[Meeting]:
    return (
        permissions.visible_meetings(user)
        .select_related("room", "organizer")
        .order_by("-starts_at", "-pk")
    )


def reply_counts(meeting: Meeting) -> dict[str, int]:
    counts = dict(meeting.participants.values_list("reply").annotate(count=Count("pk")).order_by())
    counts["total"] = sum(counts.values())
    counts["signed_in"] = meeting.participants.filter(signed_in_at__isnull=False).count()
    keys = [*Participant.Reply.values, "total", "signed_in"]
    return {key: counts.get(key, 0) for key in keys}


def leaders_kept_by(user: User) -> QuerySet[User]:
    """The leaders whose schedules this secretary keeps."""
    units = user.role_assignments.filter(role=Role.SECRETARY, unit__isnull=False).values("unit_id")
    return User.objects.filter(is_leader=True, is_active=True, department__unit_id__in=units)

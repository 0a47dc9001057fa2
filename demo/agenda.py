"""The demo agenda (data: demo/data/agenda.yaml): rooms, leaders' schedules kept by their
secretaries, personal events and meetings booked through the agenda services. What exists (a
room by unit and name, an event by calendar and title, a meeting by title) is left alone."""

from datetime import datetime, time

from django.utils import timezone

from agenda import services
from agenda.models import Event, Meeting, Room
from people.models import OrgUnit, User

from .dates import DemoCalendar


def agenda_demo_ensure(data: dict, calendar: DemoCalendar) -> None:
    users = {user.username: user for user in User.objects.all()}
    units = {unit.code: unit for unit in OrgUnit.objects.all()}
    rooms = _rooms_ensure(data["rooms"], users, units)
    for schedule in data["leader_schedules"]:
        leader_calendar = services.leader_calendar_ensure(
            user=users[schedule["secretary"]], leader=users[schedule["leader"]]
        )
        leader_calendar.readers.add(*(users[name] for name in schedule["readers"]))
        _events_ensure(leader_calendar, schedule["events"], users[schedule["secretary"]], calendar)
    for personal in data["personal_events"]:
        owner = users[personal["owner"]]
        own = services.personal_calendar_ensure(owner)
        _events_ensure(own, personal["events"], owner, calendar)
    existing = set(Meeting.objects.values_list("title", flat=True))
    for spec in data["meetings"]:
        title = calendar.text(spec["title"])
        if title in existing:
            continue
        services.meeting_book(
            user=users[spec["organizer"]],
            room=rooms[spec["room"]],
            title=title,
            starts_at=_at(calendar, spec["day"], spec["start"]),
            ends_at=_at(calendar, spec["day"], spec["end"]),
            agenda=spec.get("agenda", ""),
            attendees=[users[name] for name in spec.get("attendees", ())],
            observers=[users[name] for name in spec.get("observers", ())],
        )


def _rooms_ensure(specs, users, units) -> dict[str, Room]:
    rooms = {}
    for spec in specs:
        room, created = Room.objects.get_or_create(
            unit=units[spec["unit"]],
            name=spec["name"],
            defaults={
                "location": spec["location"],
                "capacity": spec["capacity"],
                "equipment": spec["equipment"],
                "requires_approval": spec.get("requires_approval", False),
            },
        )
        if created:
            room.approvers.set(users[name] for name in spec.get("approvers", ()))
            room.bookable_by.set(units[code] for code in spec.get("bookable_by", ()))
        rooms[room.name] = room
    return rooms


def _at(calendar: DemoCalendar, day: int, clock: str) -> datetime:
    return timezone.make_aware(datetime.combine(calendar.day(day), time.fromisoformat(clock)))


def _events_ensure(target, specs, user: User, calendar: DemoCalendar) -> None:
    existing = set(Event.objects.filter(calendar=target).values_list("title", flat=True))
    for spec in specs:
        title = calendar.text(spec["title"])
        if title in existing:
            continue
        services.event_create(
            user=user,
            calendar=target,
            title=title,
            starts_at=_at(calendar, spec["day"], spec["start"]),
            ends_at=_at(calendar, spec["day"], spec["end"]),
            location=spec.get("location", ""),
            recurrence=spec.get("recurrence", ""),
        )

"""Every change to schedules, rooms and meetings: permission-checked, in a transaction, refusing
with a translated `AgendaError`."""

from collections.abc import Iterable
from datetime import datetime, timedelta

from django.conf import settings
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import IntegrityError, transaction
from django.urls import reverse
from django.utils import formats, timezone, translation
from django.utils.html import format_html, format_html_join
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from core.uploads import ICALENDAR_IMPORT, check_upload
from intranet.portal import panel_changed
from notifications.services import notify
from people.models import OrgUnit, User
from workflow.models import DocumentType
from workflow.services import document_create

from . import permissions
from .ical import parse_ics
from .models import Calendar, Event, Meeting, Participant, Room, UnitModules, new_feed_token
from .notifications import MEETING_CANCELLED, MEETING_INVITED
from .portal import MEETINGS_PANEL, REPLIES_DUE_PANEL, TODAY_PANEL
from .recurrence import parse_rule, series_end
from .selectors import calendar_changed

SIGN_IN_OPENS_BEFORE = timedelta(minutes=30)


class AgendaError(ValidationError):
    """A refused agenda action; the message says why, in the user's language."""


def _require(allowed: bool) -> None:
    if not allowed:
        raise PermissionDenied


# Module switches


@transaction.atomic
def unit_modules_set(*, user: User, unit: OrgUnit, schedules: bool, meetings: bool) -> None:
    _require(permissions.can_switch_modules(user, unit))
    UnitModules.objects.update_or_create(
        unit=unit, defaults={"schedules_enabled": schedules, "meetings_enabled": meetings}
    )
    permissions.modules_changed()
    transaction.on_commit(permissions.modules_changed)


# Meeting rooms


@transaction.atomic
def room_save(
    *,
    user: User,
    unit: OrgUnit,
    room: Room | None = None,
    bookable_by: Iterable[OrgUnit] = (),
    approvers: Iterable[User] = (),
    **fields,
) -> Room:
    """Creates a room of `unit`, or changes `room`: name, location, capacity, equipment,
    requires_approval; the departments that may book it and its approvers belong to its unit."""
    room = room or Room(unit=unit)
    _require(permissions.can_administer_rooms(user, room.unit))
    departments, people = list(bookable_by), list(approvers)
    errors = {}
    if any(department.unit_id != room.unit_id for department in departments):
        errors["bookable_by"] = _("Choose departments of the room's own unit.")
    outsiders = User.objects.filter(pk__in=[person.pk for person in people]).exclude(
        department__unit_id=room.unit_id
    )
    if outsiders.exists():
        errors["approvers"] = _("Choose approvers from the room's own unit.")
    elif fields.get("requires_approval") and not people:
        errors["approvers"] = _("A room that needs approval needs at least one approver.")
    if errors:
        raise AgendaError(errors)
    for name, value in fields.items():
        setattr(room, name, value)
    room.save()
    room.bookable_by.set(departments)
    room.approvers.set(people)
    return room


@transaction.atomic
def room_set_active(*, user: User, room: Room, active: bool) -> None:
    """Retires a room (no new bookings; its meetings stay) or puts it back in use."""
    _require(permissions.can_administer_rooms(user, room.unit))
    room.is_active = active
    room.save(update_fields=["is_active"])


# Calendars


def personal_calendar_ensure(user: User) -> Calendar:
    unit_id = permissions.user_unit_id(user)
    if unit_id is None:
        raise PermissionDenied
    calendar, _created = Calendar.objects.get_or_create(
        kind=Calendar.Kind.PERSONAL,
        owner=user,
        defaults={
            "name": _("%(name)s's calendar") % {"name": user.get_full_name()},
            "unit_id": unit_id,
        },
    )
    return calendar


def department_calendar_ensure(department: OrgUnit) -> Calendar:
    calendar, _created = Calendar.objects.get_or_create(
        kind=Calendar.Kind.DEPARTMENT,
        department=department,
        defaults={
            "name": _("%(department)s calendar") % {"department": department.display_name},
            "unit_id": department.unit_id,
        },
    )
    return calendar


def leader_calendar_ensure(*, user: User, leader: User) -> Calendar:
    """The leader's schedule, opened by a secretary of the leader's unit."""
    unit_id = permissions.user_unit_id(leader)
    if not leader.is_leader or unit_id is None or not permissions.is_secretary_of(user, unit_id):
        raise PermissionDenied
    calendar, _created = Calendar.objects.get_or_create(
        kind=Calendar.Kind.LEADER,
        owner=leader,
        defaults={
            "name": _("Schedule of %(name)s") % {"name": leader.get_full_name()},
            "unit_id": unit_id,
        },
    )
    return calendar


@transaction.atomic
def calendar_readers_set(*, user: User, calendar: Calendar, readers: Iterable[User]) -> None:
    _require(permissions.can_choose_readers(user, calendar))
    calendar.readers.set(readers)
    panel_changed(TODAY_PANEL)


@transaction.atomic
def feed_token_regenerate(*, user: User, calendar: Calendar) -> str:
    """A new secret address for the calendar's feed; the old one stops working."""
    _require(permissions.can_view_calendar(user, calendar))
    calendar.feed_token = new_feed_token()
    calendar.save(update_fields=["feed_token"])
    return calendar.feed_token


@transaction.atomic
def feed_token_revoke(*, user: User, calendar: Calendar) -> None:
    _require(permissions.can_view_calendar(user, calendar))
    calendar.feed_token = None
    calendar.save(update_fields=["feed_token"])


# Events


def _events_changed(calendar: Calendar) -> None:
    calendar_changed(calendar.pk)
    panel_changed(TODAY_PANEL)


def _whole_days(starts_at: datetime, ends_at: datetime) -> tuple[datetime, datetime]:
    """An all-day event runs from the midnight of its first day to that after its last day."""
    first = timezone.localtime(starts_at).date()
    last = max(timezone.localtime(ends_at).date(), first)
    if last > first and timezone.localtime(ends_at).time() == datetime.min.time():
        last -= timedelta(days=1)  # already an exclusive end at midnight
    start = timezone.make_aware(datetime.combine(first, datetime.min.time()))
    return start, timezone.make_aware(
        datetime.combine(last + timedelta(days=1), datetime.min.time())
    )


def _checked_times(starts_at: datetime, ends_at: datetime, recurrence: str) -> datetime | None:
    """The end of the series (None while it never ends), or an AgendaError."""
    if ends_at < starts_at:
        raise AgendaError({"ends_at": _("The event ends before it starts.")})
    if not recurrence:
        return ends_at
    try:
        rule = parse_rule(recurrence, starts_at)
    except ValidationError as error:
        raise AgendaError({"recurrence": error.messages}) from error
    return series_end(recurrence, rule, ends_at - starts_at)


@transaction.atomic
def event_create(
    *,
    user: User,
    calendar: Calendar,
    title: str,
    starts_at: datetime,
    ends_at: datetime,
    location: str = "",
    description: str = "",
    all_day: bool = False,
    recurrence: str = "",
) -> Event:
    _require(permissions.can_edit_calendar(user, calendar))
    recurrence = recurrence.strip()
    if all_day and ends_at >= starts_at:
        starts_at, ends_at = _whole_days(starts_at, ends_at)
    event = Event.objects.create(
        calendar=calendar,
        title=title,
        starts_at=starts_at,
        ends_at=ends_at,
        location=location,
        description=description,
        all_day=all_day,
        recurrence=recurrence,
        recurrence_ends_at=_checked_times(starts_at, ends_at, recurrence),
        created_by=user,
    )
    _events_changed(calendar)
    return event


@transaction.atomic
def event_update(*, user: User, event: Event, **fields) -> Event:
    _require(permissions.can_edit_calendar(user, event.calendar))
    for name, value in fields.items():
        setattr(event, name, value)
    event.recurrence = event.recurrence.strip()
    if event.all_day and event.ends_at >= event.starts_at:
        event.starts_at, event.ends_at = _whole_days(event.starts_at, event.ends_at)
    event.recurrence_ends_at = _checked_times(event.starts_at, event.ends_at, event.recurrence)
    event.save()
    _events_changed(event.calendar)
    return event


@transaction.atomic
def event_delete(*, user: User, event: Event) -> None:
    _require(permissions.can_edit_calendar(user, event.calendar))
    event.delete()
    _events_changed(event.calendar)


@transaction.atomic
def calendar_import_ics(*, user: User, calendar: Calendar, uploaded) -> int:
    """Adds the file's events (an event whose UID the calendar holds is replaced); all or none."""
    _require(permissions.can_edit_calendar(user, calendar))
    check_upload(uploaded, ICALENDAR_IMPORT)
    uploaded.seek(0)
    imported = parse_ics(uploaded.read())
    uids = [item.uid for item in imported]
    calendar.events.filter(uid__in=uids).delete()
    Event.objects.bulk_create(
        Event(
            calendar=calendar,
            uid=item.uid,
            title=item.title,
            location=item.location,
            description=item.description,
            starts_at=item.starts_at,
            ends_at=item.ends_at,
            all_day=item.all_day,
            recurrence=item.recurrence,
            recurrence_ends_at=_checked_times(item.starts_at, item.ends_at, item.recurrence),
            created_by=user,
        )
        for item in imported
    )
    _events_changed(calendar)
    return len(imported)


# Meetings


def participants_told(meeting: Meeting, users: Iterable[User], change: str) -> None:
    """The one place participants learn of a meeting or of a change to it (`change`: "invited"
    or "cancelled"): in their inbox, once per meeting and change, under 我的会议 and on the home
    page."""
    kind, title = {
        "invited": (MEETING_INVITED.key, gettext_lazy("Meeting invitation: %(title)s")),
        "cancelled": (MEETING_CANCELLED.key, gettext_lazy("Meeting cancelled: %(title)s")),
    }[change]
    with translation.override(settings.LANGUAGE_CODE):
        notify(
            [user for user in users if user.pk != meeting.organizer_id],
            kind=kind,
            title=str(title) % {"title": meeting.title},
            body=_("%(start)s, %(room)s")
            % {
                "start": formats.date_format(
                    timezone.localtime(meeting.starts_at), "DATETIME_FORMAT"
                ),
                "room": meeting.room.name,
            },
            url=reverse("agenda:meeting", args=[meeting.pk]),
            source=meeting,
        )
    panel_changed(MEETINGS_PANEL)
    panel_changed(REPLIES_DUE_PANEL)


def _overlapping(room: Room, starts_at: datetime, ends_at: datetime):
    return Meeting.objects.filter(
        room=room, status__in=Meeting.HOLDING, starts_at__lt=ends_at, ends_at__gt=starts_at
    )


def _conflict() -> AgendaError:
    return AgendaError(_("The room is already booked for part of this time."), code="conflict")


def meeting_book(
    *,
    user: User,
    room: Room,
    title: str,
    starts_at: datetime,
    ends_at: datetime,
    attendees: Iterable[User] = (),
    observers: Iterable[User] = (),
    agenda: str = "",
) -> Meeting:
    """Books the room and invites the participants. Two bookings of one slot: one wins. On
    PostgreSQL the exclusion constraint decides; on SQLite the IMMEDIATE transaction holds the
    database's write lock from the check to the insert."""
    _require(permissions.can_book(user, room))
    if ends_at <= starts_at:
        raise AgendaError({"ends_at": _("The meeting ends before it starts.")})
    if starts_at < timezone.now():
        raise AgendaError({"starts_at": _("A meeting cannot be booked in the past.")})
    attendees = {person.pk: person for person in attendees}
    observers = {pk: p for pk, p in ((p.pk, p) for p in observers) if pk not in attendees}
    if len(attendees) + len(observers) > room.capacity:
        raise AgendaError(
            _("The room seats %(capacity)s; %(count)s people are invited.")
            % {"capacity": room.capacity, "count": len(attendees) + len(observers)},
            code="capacity",
        )
    status = Meeting.Status.PENDING if room.requires_approval else Meeting.Status.CONFIRMED
    try:
        with transaction.atomic():
            if _overlapping(room, starts_at, ends_at).exists():
                raise _conflict()
            meeting = Meeting.objects.create(
                room=room,
                title=title,
                agenda=agenda,
                organizer=user,
                starts_at=starts_at,
                ends_at=ends_at,
                status=status,
            )
            Participant.objects.bulk_create(
                [
                    Participant(meeting=meeting, user=person, role=Participant.Role.ATTENDEE)
                    for person in attendees.values()
                ]
                + [
                    Participant(meeting=meeting, user=person, role=Participant.Role.OBSERVER)
                    for person in observers.values()
                ]
            )
            if status == Meeting.Status.CONFIRMED:
                participants_told(meeting, [*attendees.values(), *observers.values()], "invited")
    except IntegrityError as error:
        raise _conflict() from error
    return meeting


@transaction.atomic
def meeting_decide(*, user: User, meeting: Meeting, approve: bool) -> None:
    meeting = Meeting.objects.select_for_update().select_related("room").get(pk=meeting.pk)
    _require(permissions.can_approve(user, meeting))
    if meeting.status != Meeting.Status.PENDING:
        raise AgendaError(_("This booking has already been decided."), code="decided")
    meeting.status = Meeting.Status.CONFIRMED if approve else Meeting.Status.REJECTED
    meeting.save(update_fields=["status"])
    if approve:
        participants_told(meeting, _participant_users(meeting), "invited")


@transaction.atomic
def meeting_cancel(*, user: User, meeting: Meeting) -> None:
    _require(permissions.can_manage_meeting(user, meeting))
    if meeting.status not in Meeting.HOLDING:
        raise AgendaError(_("This meeting is no longer booked."), code="decided")
    meeting.status = Meeting.Status.CANCELLED
    meeting.save(update_fields=["status"])
    participants_told(meeting, _participant_users(meeting), "cancelled")


def _participant_users(meeting: Meeting) -> list[User]:
    return [p.user for p in meeting.participants.select_related("user")]


def _own_participation(user: User, meeting: Meeting) -> Participant:
    participation = (
        Participant.objects.select_for_update().filter(meeting=meeting, user=user).first()
    )
    if participation is None or meeting.status != Meeting.Status.CONFIRMED:
        raise PermissionDenied
    return participation


@transaction.atomic
def meeting_reply(
    *, user: User, meeting: Meeting, reply: str, delegate: User | None = None
) -> Participant:
    participation = _own_participation(user, meeting)
    if reply not in {Participant.Reply.ACCEPTED, Participant.Reply.DECLINED}:
        if reply != Participant.Reply.DELEGATED:
            raise AgendaError(_("Choose accept, decline or delegate."), code="reply")
        if delegate is None or delegate.pk == user.pk:
            raise AgendaError({"delegate": _("Choose who attends in your place.")})
        if meeting.participants.filter(user=delegate).exists():
            raise AgendaError({"delegate": _("This person is already invited.")})
        Participant.objects.create(
            meeting=meeting, user=delegate, role=participation.role, delegated_from=participation
        )
        participants_told(meeting, [delegate], "invited")
    participation.reply = reply
    participation.replied_at = timezone.now()
    participation.save(update_fields=["reply", "replied_at"])
    panel_changed(REPLIES_DUE_PANEL)
    return participation


@transaction.atomic
def meeting_sign_in(*, user: User, meeting: Meeting) -> Participant:
    participation = _own_participation(user, meeting)
    now = timezone.now()
    opens = meeting.starts_at - SIGN_IN_OPENS_BEFORE
    if not opens <= now <= meeting.ends_at:
        raise AgendaError(
            _("Sign-in opens %(minutes)s minutes before the meeting and closes at its end.")
            % {"minutes": int(SIGN_IN_OPENS_BEFORE.total_seconds() // 60)},
            code="sign_in",
        )
    if participation.signed_in_at is None:
        participation.signed_in_at = now
        participation.save(update_fields=["signed_in_at"])
    return participation


def attendance(meeting: Meeting) -> dict[str, str]:
    """The 纪要's print fields, one name a line: attendees who accepted or signed in (出席),
    attendees who declined (请假), observers who accepted or signed in (列席)."""
    lists = {"attendees": [], "absentees": [], "observers": []}
    for participation in meeting.participants.select_related("user").order_by("pk"):
        came = participation.signed_in_at or participation.reply == Participant.Reply.ACCEPTED
        if participation.role == Participant.Role.OBSERVER:
            field = "observers" if came else None
        elif came:
            field = "attendees"
        else:
            declined = participation.reply == Participant.Reply.DECLINED
            field = "absentees" if declined else None
        if field:
            lists[field].append(participation.user.get_full_name())
    return {field: "\n".join(names) for field, names in lists.items()}


def _minutes_lead_in(meeting: Meeting) -> str:
    rows = [
        (_("Meeting"), meeting.title),
        (_("Time"), timezone.localtime(meeting.starts_at).strftime("%Y-%m-%d %H:%M")),
        (_("Place"), f"{meeting.room.name} {meeting.room.location}".strip()),
    ]
    return format_html_join("", "<p>{}：{}</p>", rows) + format_html(
        "<p>{}</p>", meeting.agenda or ""
    )


@transaction.atomic
def meeting_draft_minutes(*, user: User, meeting: Meeting):
    """Starts an outgoing document of type 纪要: its attendance lists in the print fields, the
    meeting's title, time, place and agenda as the body's lead-in."""
    meeting = Meeting.objects.select_for_update().select_related("room").get(pk=meeting.pk)
    _require(permissions.can_manage_meeting(user, meeting))
    if meeting.status != Meeting.Status.CONFIRMED:
        raise AgendaError(_("Only a confirmed meeting has minutes."), code="minutes")
    if meeting.minutes_id is not None:
        raise AgendaError(_("The minutes of this meeting are already drafted."), code="minutes")
    document = document_create(
        user=user,
        doc_type=DocumentType.MINUTES,
        title=_("Minutes of %(title)s") % {"title": meeting.title},
        body=_minutes_lead_in(meeting),
        **attendance(meeting),
    )
    meeting.minutes = document
    meeting.save(update_fields=["minutes"])
    return document

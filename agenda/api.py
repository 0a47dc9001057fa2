"""Events and meetings in the JSON API (mounted by intranet/api.py), under the screens' rules."""

from datetime import date, datetime, timedelta

from django.http import Http404
from django.shortcuts import get_object_or_404
from django.utils import timezone
from ninja import Query, Router, Schema
from ninja.pagination import paginate

from intranet.converters import ObjectId, PositiveNumber
from intranet.paging import Converted, PageNumber

from . import permissions, selectors
from .ical import EARLIEST_YEAR, LATEST_YEAR
from .models import Calendar, Meeting
from .permissions import MEETINGS, SCHEDULES

router = Router(tags=["agenda"])
MAX_WINDOW_DAYS = 62


class WindowQuery(Schema):
    start: date | None = None
    days: PositiveNumber = 31


class CalendarOut(Schema):
    id: int
    name: str
    kind: str


class OccurrenceOut(Schema):
    event_id: int
    calendar_id: int
    title: str
    location: str
    starts_at: datetime
    ends_at: datetime
    all_day: bool
    recurring: bool


class MeetingOut(Schema):
    id: int
    title: str
    room: str
    location: str
    starts_at: datetime
    ends_at: datetime
    status: str
    organizer: str


def _module(request, module: str) -> None:
    if not permissions.module_enabled_for(request.user, module):
        raise Http404


@router.get("/calendars", response=list[CalendarOut], summary="The calendars the user may read")
@paginate(PageNumber)
def calendars(request):
    _module(request, SCHEDULES)
    return permissions.visible_calendars(request.user).order_by("kind", "name", "pk")


@router.get(
    "/calendars/{id}/events",
    response=list[OccurrenceOut],
    summary="A calendar's occurrences in a window (at most 62 days)",
)
@paginate(PageNumber)
def calendar_events(request, id: ObjectId, window: Query[WindowQuery]):
    _module(request, SCHEDULES)
    calendar = get_object_or_404(Calendar, pk=id)
    if not permissions.can_view_calendar(request.user, calendar):
        raise Http404
    first = window.start or timezone.localdate()
    days = min(window.days, MAX_WINDOW_DAYS)
    # The calendars hold the years the screens show; there is nothing beyond them.
    if not EARLIEST_YEAR <= first.year <= LATEST_YEAR:
        return []
    found = selectors.occurrences_in_window([calendar.pk], first, first + timedelta(days=days))
    return [
        {
            "event_id": occurrence.event.pk,
            "calendar_id": calendar.pk,
            "title": occurrence.event.title,
            "location": occurrence.event.location,
            "starts_at": occurrence.starts_at,
            "ends_at": occurrence.ends_at,
            "all_day": occurrence.event.all_day,
            "recurring": bool(occurrence.event.recurrence),
        }
        for occurrence in found
    ]


def _meeting_out(meeting: Meeting) -> dict:
    return {
        "id": meeting.pk,
        "title": meeting.title,
        "room": meeting.room.name,
        "location": meeting.room.location,
        "starts_at": meeting.starts_at,
        "ends_at": meeting.ends_at,
        "status": meeting.status,
        "organizer": meeting.organizer.get_full_name(),
    }


@router.get("/meetings", response=list[MeetingOut], summary="The user's latest meetings")
@paginate(PageNumber)
def meetings(request):
    _module(request, MEETINGS)
    return Converted(
        selectors.meeting_list(request.user), lambda page: [_meeting_out(m) for m in page]
    )


@router.get("/meetings/{id}", response=MeetingOut, summary="One meeting")
def meeting(request, id: ObjectId):
    _module(request, MEETINGS)
    found = get_object_or_404(Meeting.objects.select_related("room", "organizer"), pk=id)
    if not permissions.can_view_meeting(request.user, found):
        raise Http404
    return _meeting_out(found)

"""The agenda's screens. What a user may not see answers 404, like the document screens."""

from datetime import date, timedelta

from django.contrib import messages
from django.contrib.auth.decorators import login_not_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import Http404, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.dates import WEEKDAYS_ABBR
from django.utils.translation import gettext as _
from django.utils.translation import pgettext
from django.views.decorators.http import require_POST

from people.models import OrgUnit, User
from people.permissions import administered_units

from . import permissions, selectors, services
from .forms import (
    BookingForm,
    EventForm,
    ImportForm,
    ModulesForm,
    ReadersForm,
    ReplyForm,
    RoomForm,
)
from .ical import EARLIEST_YEAR, LATEST_YEAR, calendar_to_ics
from .models import Calendar, Event, Meeting, Room
from .permissions import MEETINGS, SCHEDULES

ICS_TYPE = "text/calendar; charset=utf-8"
# A month cell shows this many events and links to its day for the rest.
MONTH_CELL_ITEMS = 4


def _module(request, module: str) -> None:
    if not permissions.module_enabled_for(request.user, module):
        raise Http404


def _visible_calendar(request, pk) -> Calendar:
    _module(request, SCHEDULES)
    calendar = get_object_or_404(Calendar, pk=pk)
    if not permissions.can_view_calendar(request.user, calendar):
        raise Http404
    return calendar


def _editable_calendar(request, pk) -> Calendar:
    calendar = _visible_calendar(request, pk)
    if not permissions.can_edit_calendar(request.user, calendar):
        raise PermissionDenied
    return calendar


def _editable_event(request, pk) -> Event:
    event = get_object_or_404(Event.objects.select_related("calendar"), pk=pk)
    _editable_calendar(request, event.calendar_id)
    return event


def _unit_people(user: User):
    return User.objects.filter(
        is_active=True, department__unit_id=permissions.user_unit_id(user)
    ).order_by("name_initials", "pk")


def _service_errors(form, error: ValidationError) -> None:
    if hasattr(error, "error_dict"):
        for field, errors in error.error_dict.items():
            form.add_error(field if field in form.fields else None, errors)
    else:
        form.add_error(None, error.messages)


def my_calendar(request):
    _module(request, SCHEDULES)
    return redirect("agenda:calendar", services.personal_calendar_ensure(request.user).pk)


def department_calendar(request):
    _module(request, SCHEDULES)
    if request.user.department_id is None:
        raise Http404
    calendar = services.department_calendar_ensure(request.user.department)
    return redirect("agenda:calendar", calendar.pk)


def leader_calendar(request, pk):
    _module(request, SCHEDULES)
    leader = get_object_or_404(User, pk=pk)
    try:
        calendar = services.leader_calendar_ensure(user=request.user, leader=leader)
    except PermissionDenied:
        raise Http404 from None
    return redirect("agenda:calendar", calendar.pk)


def _day(request) -> date:
    """The day asked for (?date=), within the years a calendar holds; else today."""
    try:
        day = date.fromisoformat(request.GET.get("date", ""))
    except ValueError:
        return timezone.localdate()
    return day if EARLIEST_YEAR <= day.year <= LATEST_YEAR else timezone.localdate()


def calendar_view(request, pk):
    calendar = _visible_calendar(request, pk)
    view = request.GET.get("view")
    view = view if view in selectors.VIEWS else "month"
    day = _day(request)
    first, after_last = selectors.window(view, day)
    previous_day, next_day = selectors.neighbours(view, day)
    return render(
        request,
        "agenda/calendar.html",
        {
            "calendar": calendar,
            "calendars": permissions.visible_calendars(request.user).order_by("kind", "name"),
            "leaders": selectors.leaders_kept_by(request.user),
            "view": view,
            "views": [
                ("day", pgettext("agenda", "Day")),
                ("week", pgettext("agenda", "Week")),
                ("month", pgettext("agenda", "Month")),
            ],
            "day": day,
            "first": first,
            "last": after_last - timedelta(days=1),
            "days": selectors.calendar_window(
                calendar.pk, first, after_last, MONTH_CELL_ITEMS if view == "month" else None
            ),
            "previous_day": previous_day,
            "next_day": next_day,
            "today": timezone.localdate(),
            "weekdays": [WEEKDAYS_ABBR[number] for number in range(7)],
            "can_edit": permissions.can_edit_calendar(request.user, calendar),
        },
    )


def event_create(request, pk):
    calendar = _editable_calendar(request, pk)
    form = EventForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            services.event_create(user=request.user, calendar=calendar, **form.cleaned_data)
        except ValidationError as error:
            _service_errors(form, error)
        else:
            messages.success(request, _("The event was added."))
            return redirect("agenda:calendar", calendar.pk)
    return render(request, "agenda/event_form.html", {"form": form, "calendar": calendar})


def event_edit(request, pk):
    event = _editable_event(request, pk)
    form = EventForm(request.POST or None, instance=Event.objects.get(pk=event.pk))
    if request.method == "POST" and form.is_valid():
        try:
            services.event_update(user=request.user, event=event, **form.cleaned_data)
        except ValidationError as error:
            _service_errors(form, error)
        else:
            messages.success(request, _("The event was saved."))
            return redirect("agenda:calendar", event.calendar_id)
    return render(
        request,
        "agenda/event_form.html",
        {"form": form, "calendar": event.calendar, "event": event},
    )


@require_POST
def event_delete(request, pk):
    event = _editable_event(request, pk)
    services.event_delete(user=request.user, event=event)
    messages.success(request, _("The event was deleted."))
    return redirect("agenda:calendar", event.calendar_id)


def calendar_settings(request, pk):
    calendar = _visible_calendar(request, pk)
    may_choose = permissions.can_choose_readers(request.user, calendar)
    readers_form = ReadersForm(
        request.POST or None,
        people=_unit_people(request.user),
        initial={"readers": calendar.readers.all()},
    )
    if request.method == "POST":
        if not may_choose:
            raise PermissionDenied
        if readers_form.is_valid():
            services.calendar_readers_set(
                user=request.user, calendar=calendar, readers=readers_form.cleaned_data["readers"]
            )
            messages.success(request, _("The readers were saved."))
            return redirect("agenda:settings", calendar.pk)
    feed_url = (
        request.build_absolute_uri(reverse("agenda:feed", args=[calendar.feed_token]))
        if calendar.feed_token
        else None
    )
    return render(
        request,
        "agenda/calendar_settings.html",
        {
            "calendar": calendar,
            "readers_form": readers_form if may_choose else None,
            "import_form": ImportForm()
            if permissions.can_edit_calendar(request.user, calendar)
            else None,
            "feed_url": feed_url,
        },
    )


@require_POST
def feed_regenerate(request, pk):
    calendar = _visible_calendar(request, pk)
    services.feed_token_regenerate(user=request.user, calendar=calendar)
    messages.success(request, _("A new feed address was made; the old one no longer works."))
    return redirect("agenda:settings", calendar.pk)


@require_POST
def feed_revoke(request, pk):
    calendar = _visible_calendar(request, pk)
    services.feed_token_revoke(user=request.user, calendar=calendar)
    messages.success(request, _("The feed address was revoked."))
    return redirect("agenda:settings", calendar.pk)


@require_POST
def calendar_import(request, pk):
    calendar = _editable_calendar(request, pk)
    form = ImportForm(request.POST, request.FILES)
    if form.is_valid():
        try:
            count = services.calendar_import_ics(
                user=request.user, calendar=calendar, uploaded=form.cleaned_data["file"]
            )
        except ValidationError as error:
            messages.error(request, " ".join(error.messages))
        else:
            messages.success(request, _("%(count)s events were imported.") % {"count": count})
    else:
        messages.error(request, _("Choose an .ics file to import."))
    return redirect("agenda:settings", calendar.pk)


def _ics_response(calendar: Calendar) -> HttpResponse:
    response = HttpResponse(
        calendar_to_ics(calendar.name, calendar.events.all()), content_type=ICS_TYPE
    )
    response["Content-Disposition"] = f'attachment; filename="calendar-{calendar.pk}.ics"'
    return response


def calendar_export(request, pk):
    return _ics_response(_visible_calendar(request, pk))


@login_not_required
def feed(request, token):
    calendar = Calendar.objects.filter(feed_token=token).first() if token else None
    if calendar is None or not permissions.unit_modules(calendar.unit_id)[SCHEDULES]:
        raise Http404
    return _ics_response(calendar)


# Meetings


def _visible_meeting(request, pk) -> Meeting:
    _module(request, MEETINGS)
    meeting = get_object_or_404(Meeting.objects.select_related("room", "organizer"), pk=pk)
    if not permissions.can_view_meeting(request.user, meeting):
        raise Http404
    return meeting


def meeting_list(request):
    _module(request, MEETINGS)
    return render(
        request,
        "agenda/meeting_list.html",
        {
            "meetings": selectors.meeting_list(request.user)[:100],
            "rooms": permissions.bookable_rooms(request.user),
            "replies_due": selectors.replies_due(request.user, 50),
            "administers_rooms": _administered_unit_levels(request.user).exists(),
        },
    )


def _administered_unit_levels(user: User):
    return administered_units(user).filter(kind__in=[OrgUnit.Kind.HEADQUARTERS, OrgUnit.Kind.UNIT])


def room_book(request, pk):
    _module(request, MEETINGS)
    room = get_object_or_404(Room, pk=pk)
    if not permissions.can_book(request.user, room):
        raise Http404
    form = BookingForm(request.POST or None, people=_unit_people(request.user))
    if request.method == "POST" and form.is_valid():
        try:
            meeting = services.meeting_book(user=request.user, room=room, **form.cleaned_data)
        except ValidationError as error:
            _service_errors(form, error)
        else:
            messages.success(request, _("The room was booked."))
            return redirect("agenda:meeting", meeting.pk)
    return render(request, "agenda/room_book.html", {"form": form, "room": room})


def meeting_detail(request, pk):
    meeting = _visible_meeting(request, pk)
    participants = list(
        meeting.participants.select_related("user", "delegated_from__user").order_by("role", "pk")
    )
    own = next((p for p in participants if p.user_id == request.user.pk), None)
    return render(
        request,
        "agenda/meeting.html",
        {
            "meeting": meeting,
            "participants": participants,
            "own": own,
            "counts": selectors.reply_counts(meeting),
            "reply_form": ReplyForm(people=_unit_people(request.user)) if own else None,
            "can_manage": permissions.can_manage_meeting(request.user, meeting),
            "can_approve": meeting.status == Meeting.Status.PENDING
            and permissions.can_approve(request.user, meeting),
        },
    )


def _act(request, meeting: Meeting, action, success: str):
    try:
        action()
    except ValidationError as error:
        messages.error(request, " ".join(error.messages))
    else:
        messages.success(request, success)
    return redirect("agenda:meeting", meeting.pk)


@require_POST
def meeting_reply(request, pk):
    meeting = _visible_meeting(request, pk)
    form = ReplyForm(request.POST, people=_unit_people(request.user))
    if not form.is_valid():
        messages.error(request, _("Choose accept, decline or delegate."))
        return redirect("agenda:meeting", meeting.pk)
    return _act(
        request,
        meeting,
        lambda: services.meeting_reply(user=request.user, meeting=meeting, **form.cleaned_data),
        _("Your reply was recorded."),
    )


@require_POST
def meeting_sign_in(request, pk):
    meeting = _visible_meeting(request, pk)
    return _act(
        request,
        meeting,
        lambda: services.meeting_sign_in(user=request.user, meeting=meeting),
        _("You signed in."),
    )


@require_POST
def meeting_decide(request, pk):
    meeting = _visible_meeting(request, pk)
    approve = request.POST.get("decision") == "approve"
    return _act(
        request,
        meeting,
        lambda: services.meeting_decide(user=request.user, meeting=meeting, approve=approve),
        _("The booking was approved.") if approve else _("The booking was rejected."),
    )


@require_POST
def meeting_cancel(request, pk):
    meeting = _visible_meeting(request, pk)
    return _act(
        request,
        meeting,
        lambda: services.meeting_cancel(user=request.user, meeting=meeting),
        _("The meeting was cancelled."),
    )


@require_POST
def meeting_minutes(request, pk):
    meeting = _visible_meeting(request, pk)
    try:
        document = services.meeting_draft_minutes(user=request.user, meeting=meeting)
    except ValidationError as error:
        messages.error(request, " ".join(error.messages))
        return redirect("agenda:meeting", meeting.pk)
    messages.success(request, _("The minutes were drafted as a document."))
    return redirect("workflow:documents:document", document.pk)


# Module switches and meeting rooms: the unit administrator's


def _administered_unit(request):
    """The unit chosen by `?unit=` among those the user administers (the first by default)."""
    units = list(_administered_unit_levels(request.user).order_by("path"))
    if not units:
        raise Http404
    wanted = request.GET.get("unit") or request.POST.get("unit")
    return next((u for u in units if str(u.pk) == wanted), units[0]), units


def _administered_room(request, pk) -> Room:
    room = get_object_or_404(Room.objects.select_related("unit"), pk=pk)
    if not permissions.can_administer_rooms(request.user, room.unit):
        raise Http404
    return room


def rooms(request):
    unit, units = _administered_unit(request)
    return render(
        request,
        "agenda/rooms.html",
        {
            "unit": unit,
            "units": units,
            "rooms": Room.objects.filter(unit=unit)
            .prefetch_related("bookable_by", "approvers")
            .order_by("-is_active", "name"),
        },
    )


def _room_form(request, unit, room: Room | None):
    form = RoomForm(request.POST or None, instance=room or Room(unit=unit), unit=unit)
    if request.method == "POST" and form.is_valid():
        try:
            saved = services.room_save(user=request.user, unit=unit, room=room, **form.cleaned_data)
        except ValidationError as error:
            _service_errors(form, error)
        else:
            messages.success(request, _("The meeting room %(room)s was saved.") % {"room": saved})
            return redirect(f"{reverse('agenda:rooms')}?unit={unit.pk}")
    return render(request, "agenda/room_form.html", {"form": form, "unit": unit, "room": room})


def room_create(request):
    unit, _units = _administered_unit(request)
    return _room_form(request, unit, None)


def room_edit(request, pk):
    room = _administered_room(request, pk)
    return _room_form(request, room.unit, room)


@require_POST
def room_active(request, pk):
    room = _administered_room(request, pk)
    active = request.POST.get("active") == "1"
    services.room_set_active(user=request.user, room=room, active=active)
    if active:
        messages.success(request, _("The meeting room %(room)s is in use again.") % {"room": room})
    else:
        messages.success(request, _("The meeting room %(room)s was retired.") % {"room": room})
    return redirect(f"{reverse('agenda:rooms')}?unit={room.unit_id}")


def modules(request):
    unit, units = _administered_unit(request)
    current = permissions.unit_modules(unit.pk)
    form = ModulesForm(request.POST or None, initial=current)
    if request.method == "POST" and form.is_valid():
        services.unit_modules_set(user=request.user, unit=unit, **form.cleaned_data)
        messages.success(request, _("The modules of %(unit)s were saved.") % {"unit": unit.name})
        return redirect(f"{reverse('agenda:modules')}?unit={unit.pk}")
    return render(request, "agenda/modules.html", {"form": form, "unit": unit, "units": units})

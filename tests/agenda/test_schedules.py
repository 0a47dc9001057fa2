"""Who sees which schedule, and the calendar screens (day, week, month) with bounded queries."""

from datetime import timedelta

import pytest
from django.core.exceptions import PermissionDenied
from django.test import Client
from django.utils import timezone

from agenda import permissions, services
from agenda.models import Calendar, Event
from agenda.services import AgendaError
from tests.factories.agenda import EventFactory, personal_calendar

pytestmark = pytest.mark.django_db


def client_for(user) -> Client:
    client = Client()
    client.force_login(user)
    return client


def test_a_personal_calendar_is_its_owners_and_its_chosen_readers(office):
    calendar = personal_calendar(office.staff)
    assert permissions.can_edit_calendar(office.staff, calendar)
    for other in (office.colleague, office.secretary, office.leader, office.outsider):
        assert not permissions.can_view_calendar(other, calendar)
    services.calendar_readers_set(user=office.staff, calendar=calendar, readers=[office.colleague])
    assert permissions.can_view_calendar(office.colleague, calendar)
    assert not permissions.can_edit_calendar(office.colleague, calendar)
    assert list(permissions.visible_calendars(office.colleague)) == [calendar]
    with pytest.raises(PermissionDenied):
        services.calendar_readers_set(user=office.colleague, calendar=calendar, readers=[])


def test_a_department_calendar_is_shared_by_the_department_only(office):
    calendar = services.department_calendar_ensure(office.office)
    assert permissions.can_edit_calendar(office.colleague, calendar)
    assert not permissions.can_view_calendar(office.worker, calendar)
    assert not permissions.can_view_calendar(office.outsider, calendar)
    assert calendar in permissions.visible_calendars(office.staff)
    assert calendar not in permissions.visible_calendars(office.worker)


def test_the_office_keeps_a_leaders_schedule_and_publishes_it_to_chosen_readers(office):
    with pytest.raises(PermissionDenied):
        services.leader_calendar_ensure(user=office.staff, leader=office.leader)
    with pytest.raises(PermissionDenied):  # the secretary of another unit
        services.leader_calendar_ensure(user=office.other_secretary, leader=office.leader)
    with pytest.raises(PermissionDenied):  # not a leader
        services.leader_calendar_ensure(user=office.secretary, leader=office.colleague)
    calendar = services.leader_calendar_ensure(user=office.secretary, leader=office.leader)
    start = timezone.now()
    services.event_create(
        user=office.secretary,
        calendar=calendar,
        title="调研一车间",
        starts_at=start,
        ends_at=start + timedelta(hours=2),
    )
    assert permissions.can_view_calendar(office.leader, calendar)
    assert not permissions.can_edit_calendar(office.leader, calendar)
    assert not permissions.can_view_calendar(office.staff, calendar)
    assert not permissions.can_view_calendar(office.other_secretary, calendar)
    services.calendar_readers_set(user=office.secretary, calendar=calendar, readers=[office.staff])
    assert permissions.can_view_calendar(office.staff, calendar)
    assert client_for(office.staff).get(f"/agenda/calendars/{calendar.pk}/").status_code == 200
    outsider = client_for(office.outsider)
    assert outsider.get(f"/agenda/calendars/{calendar.pk}/").status_code == 404
    assert outsider.get(f"/agenda/calendars/{calendar.pk}/export.ics").status_code == 404
    assert outsider.get(f"/api/agenda/calendars/{calendar.pk}/events").status_code == 404


def test_a_reader_cannot_add_change_or_delete_events(office):
    calendar = personal_calendar(office.staff)
    calendar.readers.add(office.colleague)
    event = EventFactory(calendar=calendar)
    with pytest.raises(PermissionDenied):
        services.event_create(
            user=office.colleague,
            calendar=calendar,
            title="x",
            starts_at=event.starts_at,
            ends_at=event.ends_at,
        )
    reader = client_for(office.colleague)
    assert reader.get(f"/agenda/calendars/{calendar.pk}/events/new/").status_code == 403
    assert reader.post(f"/agenda/events/{event.pk}/delete/").status_code == 403
    assert reader.post(f"/agenda/events/{event.pk}/", {"title": "改"}).status_code == 403
    assert client_for(office.worker).get(f"/agenda/events/{event.pk}/").status_code == 404
    assert Event.objects.get(pk=event.pk).title == event.title


def test_an_event_ending_before_it_starts_is_refused(office, english_messages):
    calendar = personal_calendar(office.staff)
    start = timezone.now()
    with pytest.raises(AgendaError, match="ends before it starts"):
        services.event_create(
            user=office.staff,
            calendar=calendar,
            title="倒序",
            starts_at=start,
            ends_at=start - timedelta(hours=1),
        )
    response = client_for(office.staff).post(
        f"/agenda/calendars/{calendar.pk}/events/new/",
        {
            "title": "倒序",
            "starts_at": "2026-12-01T10:00",
            "ends_at": "2026-12-01T09:00",
        },
    )
    assert response.status_code == 200
    assert response.context["form"].errors
    assert not Event.objects.exists()


def test_the_personal_calendar_opens_from_the_menu_and_adds_events(office):
    client = client_for(office.staff)
    response = client.get("/agenda/")
    calendar = Calendar.objects.get(owner=office.staff, kind=Calendar.Kind.PERSONAL)
    assert response.url == f"/agenda/calendars/{calendar.pk}/"
    response = client.post(
        f"/agenda/calendars/{calendar.pk}/events/new/",
        {
            "title": "周例会",
            "starts_at": "2026-12-01T09:00",
            "ends_at": "2026-12-01T10:00",
            "recurrence": "FREQ=WEEKLY;BYDAY=TU",
        },
    )
    assert response.status_code == 302
    month = client.get(f"/agenda/calendars/{calendar.pk}/?view=month&date=2026-12-10")
    assert month.content.decode().count("周例会 ↻") == 5  # the Tuesdays of December 2026


@pytest.mark.parametrize("view", ["day", "week", "month"])
def test_calendar_views_have_bounded_queries(office, view, django_assert_max_num_queries):
    calendar = personal_calendar(office.staff)
    start = timezone.now().replace(hour=9)
    Event.objects.bulk_create(
        Event(
            calendar=calendar,
            title=f"日程{n}",
            starts_at=start + timedelta(hours=n),
            ends_at=start + timedelta(hours=n + 1),
        )
        for n in range(60)
    )
    EventFactory(calendar=calendar, title="每日晨会", recurrence="FREQ=DAILY")
    client = client_for(office.staff)
    client.get(f"/agenda/calendars/{calendar.pk}/")  # warms the session and caches
    with django_assert_max_num_queries(12):
        response = client.get(f"/agenda/calendars/{calendar.pk}/?view={view}")
    assert response.status_code == 200
    assert "每日晨会" in response.content.decode()
    if view == "month":  # a cell shows four events and links to its day for the rest
        assert "另有 " in response.content.decode()


def test_malformed_view_parameters_fall_back(office):
    calendar = personal_calendar(office.staff)
    client = client_for(office.staff)
    for query in ("?view=year", "?date=2026-13-45", "?date=%00", "?view=day&date=9999-12-31"):
        assert client.get(f"/agenda/calendars/{calendar.pk}/{query}").status_code == 200

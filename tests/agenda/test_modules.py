"""Per-unit module switches: a unit administrator turns schedules or meetings off for the unit;
they leave its menus, home page and URLs (404), and their data stays."""

from datetime import timedelta

import pytest
from django.core.exceptions import PermissionDenied
from django.test import Client, RequestFactory
from django.utils import timezone

from agenda import services
from agenda.models import Event, Meeting
from intranet.navigation import MAIN, menu
from intranet.portal import rendered_panels
from tests.factories.agenda import EventFactory, personal_calendar

pytestmark = pytest.mark.django_db


def client_for(user) -> Client:
    client = Client()
    client.force_login(user)
    return client


def navigation(user) -> dict:
    request = RequestFactory().get("/")
    request.user = user
    return {item["key"]: item["url"] for item in menu(request, MAIN)}


def panels(user) -> str:
    request = RequestFactory().get("/")
    request.user = user
    return "".join(rendered_panels(request))


@pytest.fixture
def agenda_data(office, tomorrow_at_nine):
    calendar = personal_calendar(office.staff)
    EventFactory(calendar=calendar, title="今日安排", starts_at=timezone.now())
    meeting = services.meeting_book(
        user=office.staff,
        room=office.room,
        title="季度会",
        starts_at=tomorrow_at_nine,
        ends_at=tomorrow_at_nine + timedelta(hours=1),
        attendees=[office.colleague],
    )
    return calendar, meeting


def switch(office, schedules=True, meetings=True):
    response = client_for(office.unit_admin).post(
        "/agenda/modules/",
        {
            "unit": office.unit.pk,
            **({"schedules": "on"} if schedules else {}),
            **({"meetings": "on"} if meetings else {}),
        },
    )
    assert response.status_code == 302


def test_only_the_units_administrator_switches_its_modules(office):
    for user in (office.staff, office.secretary, office.outsider):
        assert client_for(user).get("/agenda/modules/").status_code == 404
        with pytest.raises(PermissionDenied):
            services.unit_modules_set(user=user, unit=office.unit, schedules=False, meetings=False)
    # Another unit named in the form falls back to the administrator's own.
    client_for(office.unit_admin).post(
        "/agenda/modules/", {"unit": office.outsider.department.unit_id}
    )
    assert client_for(office.outsider).get("/agenda/meetings/").status_code == 200


def test_schedules_off_vanish_from_menu_home_and_urls_and_the_data_stays(office, agenda_data):
    calendar, _meeting = agenda_data
    staff = client_for(office.staff)
    assert navigation(office.staff)["agenda"] == "/agenda/"
    assert "今日安排" in panels(office.staff)

    switch(office, schedules=False)

    for url in (
        "/agenda/",
        "/agenda/department/",
        f"/agenda/calendars/{calendar.pk}/",
        f"/agenda/calendars/{calendar.pk}/export.ics",
        f"/agenda/calendars/{calendar.pk}/settings/",
        f"/agenda/events/{calendar.events.get().pk}/",
        "/api/agenda/calendars",
        f"/api/agenda/calendars/{calendar.pk}/events",
    ):
        assert staff.get(url).status_code == 404, url
    shown = navigation(office.staff)
    assert shown["agenda-meetings"] == "/agenda/meetings/"
    assert "agenda" not in shown
    html = panels(office.staff)
    assert "今日安排" not in html and "季度会" in html
    assert Event.objects.filter(calendar=calendar).count() == 1

    switch(office)
    assert staff.get(f"/agenda/calendars/{calendar.pk}/").status_code == 200


def test_a_feed_of_a_switched_off_unit_answers_404(office, agenda_data):
    calendar, _meeting = agenda_data
    token = services.feed_token_regenerate(user=office.staff, calendar=calendar)
    switch(office, schedules=False)
    assert Client().get(f"/agenda/feed/{token}.ics").status_code == 404


def test_meetings_off_vanish_too(office, agenda_data):
    _calendar, meeting = agenda_data
    switch(office, schedules=False, meetings=False)
    colleague = client_for(office.colleague)
    for url in (
        "/agenda/meetings/",
        f"/agenda/meetings/{meeting.pk}/",
        f"/agenda/rooms/{office.room.pk}/book/",
        "/api/agenda/meetings",
        f"/api/agenda/meetings/{meeting.pk}",
    ):
        assert colleague.get(url).status_code == 404, url
    assert colleague.post(f"/agenda/meetings/{meeting.pk}/reply/").status_code == 404
    assert not {"agenda", "agenda-meetings"} & set(navigation(office.colleague))
    assert "季度会" not in panels(office.colleague)
    assert Meeting.objects.filter(pk=meeting.pk).exists()
    # Other units are untouched.
    assert client_for(office.outsider).get("/agenda/").status_code == 302

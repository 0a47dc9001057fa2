"""The agenda in the JSON API: the same rules as the screens."""

from datetime import timedelta

import pytest
from django.test import Client

from agenda import services
from tests.factories.agenda import EventFactory, personal_calendar

pytestmark = pytest.mark.django_db


def client_for(user) -> Client:
    client = Client()
    client.force_login(user)
    return client


def test_events_of_a_calendar_within_a_window(office):
    calendar = personal_calendar(office.staff)
    event = EventFactory(calendar=calendar, title="晨会", recurrence="FREQ=DAILY")
    start = event.starts_at.date()
    response = client_for(office.staff).get(
        f"/api/agenda/calendars/{calendar.pk}/events", {"start": start.isoformat(), "days": 5}
    )
    assert response.status_code == 200
    assert [item["title"] for item in response.json()["items"]] == ["晨会"] * 5
    assert client_for(office.staff).get("/api/agenda/calendars").json()["items"] == [
        {"id": calendar.pk, "name": calendar.name, "kind": "personal"}
    ]
    huge = client_for(office.staff).get(
        f"/api/agenda/calendars/{calendar.pk}/events", {"days": 100000}
    )
    assert huge.json()["count"] <= 62
    for other in (office.colleague, office.outsider):
        denied = client_for(other).get(f"/api/agenda/calendars/{calendar.pk}/events")
        assert denied.status_code == 404
        assert client_for(other).get("/api/agenda/calendars").json()["items"] == []


def test_meetings_only_for_those_who_may_see_them(office, tomorrow_at_nine):
    meeting = services.meeting_book(
        user=office.staff,
        room=office.room,
        title="季度会",
        starts_at=tomorrow_at_nine,
        ends_at=tomorrow_at_nine + timedelta(hours=1),
        attendees=[office.colleague],
    )
    for user in (office.staff, office.colleague, office.secretary):
        assert (
            client_for(user).get(f"/api/agenda/meetings/{meeting.pk}").json()["title"] == "季度会"
        )
        assert [m["id"] for m in client_for(user).get("/api/agenda/meetings").json()["items"]] == [
            meeting.pk
        ]
    for user in (office.worker, office.outsider, office.other_secretary):
        assert client_for(user).get(f"/api/agenda/meetings/{meeting.pk}").status_code == 404
        assert client_for(user).get("/api/agenda/meetings").json()["items"] == []
    assert Client().get("/api/agenda/meetings").status_code == 401


def test_a_window_beyond_the_calendars_years_is_empty(office):
    calendar = personal_calendar(office.staff)
    EventFactory(calendar=calendar, title="晨会", recurrence="FREQ=DAILY")
    url = f"/api/agenda/calendars/{calendar.pk}/events"
    for start in ("0001-01-01", "9999-12-31"):
        response = client_for(office.staff).get(url, {"start": start})
        assert response.status_code == 200, start
        assert response.json()["items"] == []

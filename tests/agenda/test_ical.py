"""iCalendar out (export, the secret feed) and in (import): valid for the library and for a second,
independent parser (vobject); malformed or hostile files are refused whole, with the reason."""

from datetime import timedelta

import icalendar
import pytest
import vobject
from django.core.files.uploadedfile import SimpleUploadedFile
from django.test import Client
from django.utils import timezone

from agenda import services
from agenda.models import Event
from tests.factories.agenda import EventFactory, personal_calendar

pytestmark = pytest.mark.django_db


def client_for(user) -> Client:
    client = Client()
    client.force_login(user)
    return client


def upload(content: bytes, name: str = "events.ics") -> SimpleUploadedFile:
    return SimpleUploadedFile(name, content, content_type="text/calendar")


@pytest.fixture
def calendar(office):
    calendar = personal_calendar(office.staff)
    start = timezone.now().replace(microsecond=0)
    EventFactory(calendar=calendar, title="党委会", location="一号楼301", starts_at=start)
    EventFactory(
        calendar=calendar,
        title="周例会",
        description="各部门汇报，第二行",
        starts_at=start + timedelta(days=1),
        recurrence="FREQ=WEEKLY;BYDAY=MO,WE;COUNT=6",
    )
    services.event_create(
        user=office.staff,
        calendar=calendar,
        title="全天培训",
        all_day=True,
        starts_at=start + timedelta(days=2),
        ends_at=start + timedelta(days=2, hours=1),
    )
    return calendar


def test_export_parses_back_with_icalendar_and_vobject(office, calendar):
    response = client_for(office.staff).get(f"/agenda/calendars/{calendar.pk}/export.ics")
    assert response.status_code == 200
    assert response["Content-Type"].startswith("text/calendar")
    content = response.content

    parsed = icalendar.Calendar.from_ical(content)
    events = {str(e["SUMMARY"]): e for e in parsed.walk("VEVENT")}
    assert set(events) == {"党委会", "周例会", "全天培训"}
    assert str(events["党委会"]["LOCATION"]) == "一号楼301"
    assert events["周例会"]["RRULE"]["COUNT"] == [6]

    second = vobject.readOne(content.decode())
    by_title = {e.summary.value: e for e in second.vevent_list}
    assert set(by_title) == {"党委会", "周例会", "全天培训"}
    assert by_title["周例会"].description.value == "各部门汇报，第二行"
    assert len(list(by_title["周例会"].getrruleset())) == 6
    stored = Event.objects.get(title="党委会")
    assert by_title["党委会"].dtstart.value == stored.starts_at


def test_round_trip_through_import(office, calendar):
    content = client_for(office.staff).get(f"/agenda/calendars/{calendar.pk}/export.ics").content
    other = personal_calendar(office.colleague)
    count = services.calendar_import_ics(
        user=office.colleague, calendar=other, uploaded=upload(content)
    )
    assert count == 3
    fields = ("uid", "title", "location", "description", "starts_at", "ends_at", "all_day")

    def stored(events):
        rows = events.values_list(*fields, "recurrence")
        return sorted((*row[:-1], sorted(row[-1].split(";"))) for row in rows)

    assert stored(other.events) == stored(calendar.events)
    # Importing again replaces the events with the same UIDs instead of doubling them.
    services.calendar_import_ics(user=office.colleague, calendar=other, uploaded=upload(content))
    assert other.events.count() == 3


GOOD_EVENT = (
    "BEGIN:VEVENT\r\nUID:a@x\r\nDTSTAMP:20260101T000000Z\r\nSUMMARY:好\r\n"
    "DTSTART:20261201T010000Z\r\nDTEND:20261201T020000Z\r\nEND:VEVENT\r\n"
)


def wrap(*events: str) -> bytes:
    return ("BEGIN:VCALENDAR\r\nVERSION:2.0\r\nPRODID:-//t//t//\r\n" + "".join(events)).encode() + (
        b"END:VCALENDAR\r\n"
    )


HOSTILE = {
    "not ics at all": b"hello, world",
    "truncated": b"BEGIN:VCALENDAR\r\nBEGIN:VEVENT\r\nSUMMARY:x\r\n",
    "no events": wrap(),
    "ends before start": wrap(
        GOOD_EVENT.replace("DTEND:20261201T020000Z", "DTEND:20261130T000000Z")
    ),
    "endless secondly rule": wrap(
        GOOD_EVENT.replace("END:VEVENT", "RRULE:FREQ=SECONDLY\r\nEND:VEVENT")
    ),
    "a million occurrences": wrap(
        GOOD_EVENT.replace("END:VEVENT", "RRULE:FREQ=DAILY;COUNT=1000000\r\nEND:VEVENT")
    ),
    "bad date": wrap(GOOD_EVENT.replace("20261201T010000Z", "2026-99-99")),
    "year 9999": wrap(GOOD_EVENT.replace("20261201T010000Z", "99991201T010000Z")),
    "no start": wrap(GOOD_EVENT.replace("DTSTART:20261201T010000Z\r\n", "")),
    "huge title": wrap(GOOD_EVENT.replace("SUMMARY:好", "SUMMARY:" + "长" * 5000)),
    "duplicate uid": wrap(GOOD_EVENT, GOOD_EVENT),
    "markup": b"<html><script>alert(1)</script></html>",
    "binary": b"\x00\x01BEGIN:VCALENDAR",
}


@pytest.mark.parametrize("case", HOSTILE)
def test_malformed_or_hostile_files_are_refused_and_nothing_is_stored(office, case):
    calendar = personal_calendar(office.staff)
    # A good event first: a refusal stores none of the file.
    content = HOSTILE[case]
    if case not in {"markup", "binary", "not ics at all", "truncated", "no events"}:
        content = content.replace(
            b"PRODID:-//t//t//\r\n",
            b"PRODID:-//t//t//\r\n" + GOOD_EVENT.replace("UID:a@x", "UID:first@x").encode(),
        )
    client = client_for(office.staff)
    response = client.post(
        f"/agenda/calendars/{calendar.pk}/import/", {"file": upload(content)}, follow=True
    )
    assert response.status_code == 200
    errors = [m for m in response.context["messages"] if m.level_tag == "error"]
    assert errors, case
    assert not Event.objects.exists()


def test_an_oversized_file_is_refused_by_the_upload_policy(office, settings):
    settings.AGENDA_MAX_ICS_BYTES = 100
    calendar = personal_calendar(office.staff)
    response = client_for(office.staff).post(
        f"/agenda/calendars/{calendar.pk}/import/", {"file": upload(wrap(GOOD_EVENT))}, follow=True
    )
    assert [m for m in response.context["messages"] if m.level_tag == "error"]
    assert not Event.objects.exists()


def test_only_who_keeps_the_calendar_imports(office, calendar):
    calendar.readers.add(office.colleague)
    response = client_for(office.colleague).post(
        f"/agenda/calendars/{calendar.pk}/import/", {"file": upload(wrap(GOOD_EVENT))}
    )
    assert response.status_code == 403
    assert calendar.events.count() == 3


def test_the_feed_needs_its_secret_token_which_can_be_regenerated_and_revoked(office, calendar):
    anonymous = Client()
    token = services.feed_token_regenerate(user=office.staff, calendar=calendar)
    response = anonymous.get(f"/agenda/feed/{token}.ics")
    assert response.status_code == 200
    assert "党委会" in response.content.decode()
    new_token = services.feed_token_regenerate(user=office.staff, calendar=calendar)
    assert new_token != token
    assert anonymous.get(f"/agenda/feed/{token}.ics").status_code == 404
    assert anonymous.get(f"/agenda/feed/{new_token}.ics").status_code == 200
    services.feed_token_revoke(user=office.staff, calendar=calendar)
    assert anonymous.get(f"/agenda/feed/{new_token}.ics").status_code == 404
    assert anonymous.get("/agenda/feed/guess.ics").status_code == 404


def test_feed_tokens_are_managed_only_by_readers_of_the_calendar(office, calendar):
    client = client_for(office.colleague)
    assert client.post(f"/agenda/calendars/{calendar.pk}/feed/regenerate/").status_code == 404
    calendar.refresh_from_db()
    assert calendar.feed_token is None

"""Booking rooms and running meetings: who may book, conflicts, approval, replies, sign-in and
the minutes drafted as a 纪要 document."""

from datetime import timedelta

import pytest
from django.core.exceptions import PermissionDenied
from django.utils import timezone

from agenda import services
from agenda.models import Meeting, Participant
from agenda.services import AgendaError
from tests.factories.agenda import RoomFactory
from tests.factories.people import UserFactory
from workflow.models import DocumentType, OutgoingDocument

pytestmark = pytest.mark.django_db


def book(office, start, hours=1, room=None, user=None, **extra):
    return services.meeting_book(
        user=user or office.staff,
        room=room or office.room,
        title="安全生产例会",
        starts_at=start,
        ends_at=start + timedelta(hours=hours),
        **extra,
    )


def test_an_overlapping_booking_is_refused_and_nothing_is_stored(
    office, tomorrow_at_nine, english_messages
):
    book(office, tomorrow_at_nine, hours=2)
    with pytest.raises(AgendaError, match="already booked"):
        book(office, tomorrow_at_nine + timedelta(hours=1), user=office.colleague)
    assert Meeting.objects.count() == 1


def test_back_to_back_bookings_and_cancelled_ones_do_not_conflict(office, tomorrow_at_nine):
    first = book(office, tomorrow_at_nine)
    book(office, tomorrow_at_nine + timedelta(hours=1))
    services.meeting_cancel(user=office.staff, meeting=first)
    book(office, tomorrow_at_nine, user=office.colleague)
    assert Meeting.objects.filter(status=Meeting.Status.CONFIRMED).count() == 2


def test_a_meeting_ending_before_it_starts_or_in_the_past_is_refused(
    office, tomorrow_at_nine, english_messages
):
    with pytest.raises(AgendaError, match="ends before it starts"):
        book(office, tomorrow_at_nine, hours=-1)
    with pytest.raises(AgendaError, match="in the past"):
        book(office, timezone.now() - timedelta(days=1))
    assert not Meeting.objects.exists()


def test_more_participants_than_seats_are_refused(office, tomorrow_at_nine, english_messages):
    room = RoomFactory(unit=office.unit, capacity=2)
    with pytest.raises(AgendaError, match="seats 2"):
        book(
            office,
            tomorrow_at_nine,
            room=room,
            attendees=[office.colleague, office.worker],
            observers=[office.leader],
        )


def test_who_may_not_book(office, tomorrow_at_nine):
    with pytest.raises(PermissionDenied):
        book(office, tomorrow_at_nine, user=office.outsider)
    restricted = RoomFactory(unit=office.unit)
    restricted.bookable_by.set([office.workshop])
    with pytest.raises(PermissionDenied):
        book(office, tomorrow_at_nine, room=restricted)
    assert book(office, tomorrow_at_nine, room=restricted, user=office.worker)
    office.room.is_active = False
    office.room.save()
    with pytest.raises(PermissionDenied):
        book(office, tomorrow_at_nine)


def test_a_room_requiring_approval_waits_for_its_approver(office, tomorrow_at_nine):
    room = RoomFactory(unit=office.unit, requires_approval=True)
    room.approvers.set([office.secretary])
    meeting = book(office, tomorrow_at_nine, room=room, attendees=[office.colleague])
    assert meeting.status == Meeting.Status.PENDING
    with pytest.raises(PermissionDenied):  # invitations wait for the approval
        services.meeting_reply(user=office.colleague, meeting=meeting, reply="accepted")
    with pytest.raises(PermissionDenied):
        services.meeting_decide(user=office.staff, meeting=meeting, approve=True)
    # A pending booking holds the slot.
    with pytest.raises(AgendaError):
        book(office, tomorrow_at_nine, room=room, user=office.colleague)
    services.meeting_decide(user=office.secretary, meeting=meeting, approve=True)
    meeting.refresh_from_db()
    assert meeting.status == Meeting.Status.CONFIRMED


def test_replies_delegation_and_their_counts(office, tomorrow_at_nine, english_messages):
    meeting = book(
        office,
        tomorrow_at_nine,
        attendees=[office.colleague, office.worker, office.leader],
    )
    services.meeting_reply(user=office.colleague, meeting=meeting, reply="accepted")
    services.meeting_reply(user=office.worker, meeting=meeting, reply="declined")
    services.meeting_reply(
        user=office.leader, meeting=meeting, reply="delegated", delegate=office.secretary
    )
    with pytest.raises(AgendaError, match="already invited"):
        services.meeting_reply(
            user=office.colleague, meeting=meeting, reply="delegated", delegate=office.worker
        )
    with pytest.raises(PermissionDenied):
        services.meeting_reply(user=office.outsider, meeting=meeting, reply="accepted")
    from agenda.selectors import reply_counts

    counts = reply_counts(meeting)
    assert (counts["accepted"], counts["declined"], counts["delegated"]) == (1, 1, 1)
    assert (counts["pending"], counts["total"]) == (1, 4)
    stand_in = Participant.objects.get(meeting=meeting, user=office.secretary)
    assert stand_in.delegated_from.user == office.leader


def test_sign_in_is_open_only_around_the_meeting(office, english_messages):
    start = timezone.now() + timedelta(minutes=10)
    meeting = book(office, start, attendees=[office.colleague])
    participation = services.meeting_sign_in(user=office.colleague, meeting=meeting)
    assert participation.signed_in_at is not None
    later = book(office, start + timedelta(days=1), attendees=[office.colleague])
    with pytest.raises(AgendaError, match="Sign-in opens"):
        services.meeting_sign_in(user=office.colleague, meeting=later)
    with pytest.raises(PermissionDenied):
        services.meeting_sign_in(user=office.worker, meeting=meeting)


def test_minutes_are_a_minutes_document_with_the_attendance_in_its_print_fields(office):
    start = timezone.now() + timedelta(minutes=5)
    absent_minded = UserFactory(username="zhaoliu", name="赵六", department=office.office)
    meeting = book(
        office,
        start,
        attendees=[office.colleague, office.worker, office.secretary, absent_minded],
        observers=[office.leader, office.unit_admin],
    )
    services.meeting_sign_in(user=office.colleague, meeting=meeting)
    services.meeting_reply(user=office.secretary, meeting=meeting, reply="accepted")
    services.meeting_reply(user=office.worker, meeting=meeting, reply="declined")
    services.meeting_sign_in(user=office.leader, meeting=meeting)
    with pytest.raises(PermissionDenied):
        services.meeting_draft_minutes(user=office.colleague, meeting=meeting)
    document = services.meeting_draft_minutes(user=office.staff, meeting=meeting)
    assert document.doc_type == DocumentType.MINUTES
    assert "安全生产例会" in document.title
    assert document.attendees == "李四\n秘书"
    assert document.absentees == "王五"
    assert document.observers == "赵总"
    assert "第一会议室" in document.body and "李四" not in document.body
    with pytest.raises(AgendaError):
        services.meeting_draft_minutes(user=office.staff, meeting=meeting)
    assert OutgoingDocument.objects.count() == 1

"""Participants learn of a meeting and of its cancellation in their inbox; nobody else does."""

from datetime import timedelta

import pytest

from agenda import services
from notifications.models import Notification

pytestmark = pytest.mark.django_db


def inbox(user):
    return list(Notification.objects.filter(recipient=user).values_list("kind", "title", "url"))


def test_invited_participants_get_one_notice_and_the_organizer_and_others_none(
    office, tomorrow_at_nine
):
    meeting = services.meeting_book(
        user=office.staff,
        room=office.room,
        title="季度会",
        starts_at=tomorrow_at_nine,
        ends_at=tomorrow_at_nine + timedelta(hours=1),
        attendees=[office.colleague],
    )

    assert inbox(office.colleague) == [
        ("agenda.meeting_invited", "会议邀请：季度会", f"/agenda/meetings/{meeting.pk}/")
    ]
    assert inbox(office.staff) == []
    assert inbox(office.outsider) == []

    services.meeting_cancel(user=office.staff, meeting=meeting)

    assert sorted(kind for kind, _title, _url in inbox(office.colleague)) == [
        "agenda.meeting_cancelled",
        "agenda.meeting_invited",
    ]
    assert ("agenda.meeting_cancelled", "会议取消：季度会") in [
        (kind, title) for kind, title, _url in inbox(office.colleague)
    ]
    assert inbox(office.outsider) == []

"""Sixteen people booking one slot of one room at once: exactly one booking stands."""

import threading
from datetime import timedelta

import pytest
from django.db import connection, connections

from agenda import services
from agenda.models import Meeting
from agenda.services import AgendaError
from tests.factories import UserFactory

CLIENTS = 16


@pytest.mark.skipif(
    connection.vendor != "postgresql",
    reason="needs sixteen database connections writing at once (PostgreSQL); SQLite serialises "
    "whole-database writes (tests/agenda/test_meetings.py checks the conflict there)",
)
@pytest.mark.django_db(transaction=True)
def test_sixteen_clients_booking_one_slot_one_wins(office, tomorrow_at_nine):
    bookers = [UserFactory(username=f"booker{n}", department=office.office) for n in range(CLIENTS)]
    barrier = threading.Barrier(CLIENTS)
    outcomes = []

    def book(user, offset):
        try:
            barrier.wait()
            # Overlapping, not identical, slots: the constraint compares ranges.
            start = tomorrow_at_nine + timedelta(minutes=offset)
            services.meeting_book(
                user=user,
                room=office.room,
                title="抢订",
                starts_at=start,
                ends_at=start + timedelta(hours=1),
            )
            outcomes.append("booked")
        except AgendaError:
            outcomes.append("refused")
        finally:
            connections.close_all()

    threads = [threading.Thread(target=book, args=(u, n)) for n, u in enumerate(bookers)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()

    assert sorted(outcomes) == ["booked"] + ["refused"] * (CLIENTS - 1)
    assert Meeting.objects.filter(room=office.room).count() == 1

"""Incoming numbers stay gapless and unique when many clerks of a unit register at the same
moment, the very first registration (which sets up the unit's incoming numbering) included.

PostgreSQL only: SQLite serialises every writer on the whole database, so it cannot show what
the row lock does.
"""

import threading

import pytest
from django.db import close_old_connections, connection, connections, transaction
from django.utils import timezone

from people.models import OrgUnit, User
from workflow.models import IncomingDocument
from workflow.numbering.models import DocumentPrefix, IssuedNumber
from workflow.numbering.services import assign_incoming_number, current_year
from workflow.services import incoming_register

pytestmark = [
    pytest.mark.django_db(transaction=True),
    pytest.mark.skipif(
        connection.vendor != "postgresql",
        reason="row locks under concurrent transactions need PostgreSQL",
    ),
]


def _in_threads(workers, work):
    start = threading.Barrier(workers)
    errors = []

    def run():
        try:
            start.wait()
            work()
        except Exception as error:  # reported by the test thread
            errors.append(error)
        finally:
            connections.close_all()

    threads = [threading.Thread(target=run) for _ in range(workers)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    close_old_connections()
    return errors


def _serials(unit, year):
    return sorted(
        IssuedNumber.objects.filter(prefix__unit=unit, year=year).values_list("serial", flat=True)
    )


def test_sixteen_workers_taking_numbers_get_one_to_n(unit_a, clerk_a):
    workers, each = 16, 100

    def work():
        unit = OrgUnit.objects.get(pk=unit_a.pk)
        clerk = User.objects.get(pk=clerk_a.pk)
        for _ in range(each):
            with transaction.atomic():
                assign_incoming_number(unit=unit, user=clerk, year=2026)

    assert _in_threads(workers, work) == []
    total = workers * each
    assert _serials(unit_a, 2026) == list(range(1, total + 1))
    texts = set(IssuedNumber.objects.values_list("text", flat=True))
    assert texts == {f"收〔2026〕{serial}号" for serial in range(1, total + 1)}
    assert DocumentPrefix.objects.filter(unit=unit_a).count() == 1


def test_eight_clerks_registering_at_once_get_one_to_n(unit_a, clerk_a):
    workers, each = 8, 25

    def work():
        unit = OrgUnit.objects.get(pk=unit_a.pk)
        clerk = User.objects.get(pk=clerk_a.pk)
        for index in range(each):
            incoming_register(
                user=clerk,
                unit=unit,
                title=f"来文 {index}",
                received_on=timezone.localdate(),
                sender_name="市应急管理局",
            )

    assert _in_threads(workers, work) == []
    total = workers * each
    year = current_year()
    assert _serials(unit_a, year) == list(range(1, total + 1))
    numbers = IncomingDocument.objects.values_list("number_text", flat=True)
    assert sorted(numbers) == sorted(f"收〔{year}〕{serial}号" for serial in range(1, total + 1))

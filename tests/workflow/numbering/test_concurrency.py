"""Numbers stay unique and gapless when many clerks' steps number at the same moment.

PostgreSQL only: SQLite serialises every writer on the whole database, so it cannot show what
the row lock does.
"""

import threading

import pytest
from django.db import close_old_connections, connection, connections, transaction

from people.models import User
from workflow.numbering.models import DocumentPrefix, IssuedNumber
from workflow.numbering.services import assign_number

WORKERS = 16
NUMBERS_EACH = 500

pytestmark = [
    pytest.mark.django_db(transaction=True),
    pytest.mark.skipif(
        connection.vendor != "postgresql",
        reason="row locks under concurrent transactions need PostgreSQL",
    ),
]


def _number_in_own_transactions(prefix_pk, clerk_pk, count, start, errors):
    try:
        prefix = DocumentPrefix.objects.select_related("unit").get(pk=prefix_pk)
        clerk = User.objects.get(pk=clerk_pk)
        start.wait()
        for _ in range(count):
            with transaction.atomic():
                assign_number(prefix=prefix, user=clerk, year=2026)
    except Exception as error:  # reported by the test thread
        errors.append(error)
    finally:
        connections.close_all()


def test_sixteen_workers_get_every_serial_once_and_leave_no_gap(prefix_a, clerk_a):
    start = threading.Barrier(WORKERS)
    errors = []
    workers = [
        threading.Thread(
            target=_number_in_own_transactions,
            args=(prefix_a.pk, clerk_a.pk, NUMBERS_EACH, start, errors),
        )
        for _ in range(WORKERS)
    ]
    for worker in workers:
        worker.start()
    for worker in workers:
        worker.join()
    close_old_connections()

    assert errors == []
    serials = list(
        IssuedNumber.objects.filter(prefix=prefix_a, year=2026).values_list("serial", flat=True)
    )
    total = WORKERS * NUMBERS_EACH
    assert len(serials) == total
    assert sorted(serials) == list(range(1, total + 1))
    assert IssuedNumber.objects.filter(prefix=prefix_a).values("text").distinct().count() == total

"""Two archivists filing in the same class at the same moment get item numbers 1 and 2.

PostgreSQL only: SQLite serialises every writer on the whole database, so it cannot show what
the counter's row lock does.
"""

import threading

import pytest
from django.db import close_old_connections, connection, connections

from archive.models import ArchiveItem, FondsSettings, ItemCounter
from archive.services import file_item
from people.models import User
from tests.archive.conftest import constructed_outgoing
from tests.factories.archive import archivist_of

pytestmark = [
    pytest.mark.django_db(transaction=True),
    pytest.mark.skipif(
        connection.vendor != "postgresql",
        reason="row locks under concurrent transactions need PostgreSQL",
    ),
]


def _file(archivist_pk, fonds_pk, document_pk, start, errors):
    try:
        archivist = User.objects.get(pk=archivist_pk)
        fonds = FondsSettings.objects.select_related("unit").get(pk=fonds_pk)
        start.wait()
        file_item(archivist, fonds, [document_pk])
    except Exception as error:  # reported by the test thread
        errors.append(error)
    finally:
        connections.close_all()


def test_two_archivists_filing_the_same_class_get_one_and_two(office, fonds, archivist):
    second = archivist_of(office.unit, "DA2", username="archivist-two")
    documents = [constructed_outgoing(office, title=f"通知{n}") for n in (1, 2)]
    start, errors = threading.Barrier(2), []
    workers = [
        threading.Thread(target=_file, args=(user.pk, fonds.pk, document.pk, start, errors))
        for user, document in zip((archivist, second), documents, strict=True)
    ]
    for worker in workers:
        worker.start()
    for worker in workers:
        worker.join()
    close_old_connections()

    assert errors == []
    assert sorted(ArchiveItem.objects.values_list("item_number", flat=True)) == [1, 2]
    assert ItemCounter.objects.get().last_number == 2

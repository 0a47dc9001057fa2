"""Closed documents of a unit, ready to be filed, and the unit's archive settings."""

import pytest

from archive.models import ArchiveClassCode, ClassScheme
from tests.factories.archive import archivist_of, fonds_of
from tests.factories.circulation import dispatched_document
from tests.factories.documents import OfficeFactory
from tests.factories.incoming import advance_incoming, register_incoming
from workflow import services
from workflow.models import IncomingDocument, IncomingProcess


@pytest.fixture
def office(db):
    return OfficeFactory()


@pytest.fixture
def fonds(office):
    fonds = fonds_of(office.unit, scheme=ClassScheme.ORGANISATION)
    for department, code in ((office.production, "SCB"), (office.office, "BGS")):
        ArchiveClassCode.objects.create(
            fonds=fonds, code=code, name=department.name, department=department
        )
    return fonds


@pytest.fixture
def archivist(office):
    return archivist_of(office.unit)


def closed_outgoing(office, **overrides):
    document = dispatched_document(office, **overrides)
    services.outgoing_close(document=document, user=office.clerk)
    document.refresh_from_db()
    return document


def closed_incoming(office, **overrides) -> IncomingDocument:
    document = register_incoming(office, **overrides)
    advance_incoming(document, office, until="finished")
    document.refresh_from_db()
    assert document.status == IncomingDocument.Status.CLOSED
    return document


def replied(incoming, reply) -> None:
    """Link a reply to the request it answers, as the incoming flow's reply step does."""
    IncomingProcess.objects.filter(document=incoming).update(reply_document=reply)

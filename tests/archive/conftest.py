"""Closed documents of a unit, ready to be filed, and the unit's archive settings."""

from datetime import date

import pytest
from django.core.files.base import ContentFile
from django.utils import timezone

from archive.models import ArchiveClassCode, ClassScheme
from tests.factories.archive import archivist_of, fonds_of
from tests.factories.circulation import dispatched_document
from tests.factories.documents import OfficeFactory
from tests.factories.incoming import advance_incoming, register_incoming
from workflow import services
from workflow.flows import IncomingFlow, OutgoingFlow
from workflow.models import (
    DocumentType,
    IncomingDocument,
    IncomingProcess,
    OutgoingDocument,
    OutgoingProcess,
)


@pytest.fixture(autouse=True)
def media(settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path / "media"


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


def constructed_outgoing(office, *, status=OutgoingDocument.Status.CLOSED, pdf=b"", **fields):
    """An outgoing document written straight to the database (no flow run), closed unless
    `status` says otherwise, with `pdf` as its final PDF."""
    values = {
        "title": "关于开展安全生产大检查的通知",
        "unit": office.unit,
        "doc_type": DocumentType.NOTICE,
        "drafting_department": office.production,
        "drafter": office.drafter,
        "number_text": "甲拖〔2026〕7号",
        "written_on": date(2026, 3, 2),
        "status": status,
        "closed_at": timezone.now() if status == OutgoingDocument.Status.CLOSED else None,
    }
    values.update(fields)
    document = OutgoingDocument.objects.create(**values)
    OutgoingProcess.objects.create(document=document, flow_class=OutgoingFlow)
    if pdf:
        document.final_pdf.save("final.pdf", ContentFile(pdf))
    return document


def constructed_incoming(office, *, status=IncomingDocument.Status.CLOSED, reply=None, **fields):
    """An incoming document written straight to the database, handled by production; `reply`
    the outgoing document that answers it."""
    values = {
        "title": "关于报送安全生产月活动总结的通知",
        "unit": office.unit,
        "sender_name": "市应急管理局",
        "sender_number": "市应急〔2026〕12号",
        "received_on": date(2026, 2, 20),
        "registered_by": office.clerk,
        "number_text": "收〔2026〕3号",
        "status": status,
        "closed_at": timezone.now() if status == IncomingDocument.Status.CLOSED else None,
    }
    values.update(fields)
    document = IncomingDocument.objects.create(**values)
    IncomingProcess.objects.create(
        document=document,
        flow_class=IncomingFlow,
        lead_department=office.production,
        reply_document=reply,
    )
    return document

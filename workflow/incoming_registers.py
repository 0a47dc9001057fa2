"""The unit's incoming register (收文登记簿): every document the unit registered, filtered by
the date received, the sender, urgency and whether it is closed, with its XLSX export; read in
a fixed number of queries. A document is closed once its trace records 办结."""

from dataclasses import dataclass
from datetime import date

from django.conf import settings
from django.db.models import Exists, OuterRef, Q, QuerySet
from django.utils import translation
from django.utils.translation import gettext as _

from people.models import OrgUnit

from .exports import table_xlsx
from .models import IncomingDocument, TraceEntry, Urgency

OPEN = "open"
CLOSED = "closed"


@dataclass(frozen=True)
class IncomingFilters:
    received_from: date | None = None
    received_to: date | None = None
    sender: str = ""
    urgency: str | None = None
    status: str = ""


def incoming_entries(unit: OrgUnit, filters: IncomingFilters) -> QuerySet[IncomingDocument]:
    """The unit's incoming documents in the order of their incoming numbers."""
    closed = TraceEntry.objects.filter(document_id=OuterRef("pk"), action=TraceEntry.Action.CLOSE)
    documents = IncomingDocument.objects.filter(unit=unit).annotate(is_closed=Exists(closed))
    if filters.received_from:
        documents = documents.filter(received_on__gte=filters.received_from)
    if filters.received_to:
        documents = documents.filter(received_on__lte=filters.received_to)
    if filters.sender:
        documents = documents.filter(
            Q(sender_name__icontains=filters.sender)
            | Q(sender_unit__name__icontains=filters.sender)
        )
    if filters.urgency is not None:
        documents = documents.filter(urgency=filters.urgency)
    if filters.status == OPEN:
        documents = documents.filter(is_closed=False)
    elif filters.status == CLOSED:
        documents = documents.filter(is_closed=True)
    return documents.select_related("sender_unit", "registered_by", "number").order_by(
        "received_on", "number__serial", "pk"
    )


def status_label(document: IncomingDocument) -> str:
    return _("Closed") if document.is_closed else _("Being handled")


def incoming_xlsx(unit: OrgUnit, documents) -> bytes:
    """The register as an XLSX workbook, headed in Chinese (it is an official record)."""
    with translation.override(settings.LANGUAGE_CODE):
        urgency_labels = {value: str(label) for value, label in Urgency.choices}
        return table_xlsx(
            sheet_title=_("Incoming register"),
            heading=_("%(unit)s incoming register") % {"unit": unit.name},
            columns=[
                (_("No."), 6),
                (_("Incoming number"), 18),
                (_("Date received"), 12),
                (_("Sending unit"), 24),
                (_("Sender's number"), 20),
                (_("Title"), 48),
                (_("Urgency"), 10),
                (_("Copies"), 8),
                (_("Deadline"), 12),
                (_("Registered by"), 10),
                (_("Status"), 10),
            ],
            rows=[
                [
                    position,
                    document.number_text,
                    document.received_on,
                    document.sender,
                    document.sender_number,
                    document.title,
                    urgency_labels.get(document.urgency, ""),
                    document.copies,
                    document.deadline,
                    document.registered_by.get_full_name(),
                    status_label(document),
                ]
                for position, document in enumerate(documents, 1)
            ],
        )

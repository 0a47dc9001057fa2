"""Read paths of the filing: the documents waiting to be filed with their proposed grouping, and
an item with its documents and files."""

from dataclasses import dataclass, field

from django.core.paginator import Page, Paginator
from django.db.models import Prefetch, Q, QuerySet
from django.db.models.functions import Coalesce

from people.models import OrgUnit
from workflow.models import Document, IncomingDocument, IncomingProcess, OutgoingDocument

from .models import ArchivedDocument, ArchiveItem

TO_FILE_PER_PAGE = 25


def closed_unfiled(unit: OrgUnit) -> QuerySet[Document]:
    """The unit's documents closed (办结) in either flow and not filed yet, newest first."""
    return (
        Document.objects.filter(unit=unit, archived_as__isnull=True)
        .filter(
            Q(outgoingdocument__status=OutgoingDocument.Status.CLOSED)
            | Q(incomingdocument__status=IncomingDocument.Status.CLOSED)
        )
        .annotate(closed=Coalesce("outgoingdocument__closed_at", "incomingdocument__closed_at"))
        .select_related("outgoingdocument", "incomingdocument")
        .order_by("-closed", "-pk")
    )


@dataclass
class ProposedItem:
    """Documents proposed to be filed as one item, the first the item's main document."""

    documents: list[Document] = field(default_factory=list)

    @property
    def main(self) -> Document:
        return self.documents[0]

    @property
    def document_ids(self) -> list[int]:
        return [document.pk for document in self.documents]


def _replied_requests(unit: OrgUnit, replies: list[int]) -> dict[int, list[Document]]:
    """For each reply (复函) among `replies`, the closed, unfiled incoming documents it answers."""
    requests: dict[int, list[Document]] = {}
    processes = IncomingProcess.objects.filter(
        reply_document_id__in=replies,
        document__unit=unit,
        document__status=IncomingDocument.Status.CLOSED,
        document__archived_as__isnull=True,
    ).select_related("document")
    for process in processes.order_by("document__closed_at", "pk"):
        requests.setdefault(process.reply_document_id, []).append(process.document)
    return requests


def proposed_items(unit: OrgUnit, page_number) -> Page:
    """A page of the unit's proposed items, newest first: a reply with the requests it answers
    (复文在前，来文在后, DA/T 22 §5.2), otherwise one document per item. A request whose reply
    waits to be filed too appears with that reply only."""
    with_waiting_reply = IncomingProcess.objects.filter(
        reply_document__status=OutgoingDocument.Status.CLOSED,
        reply_document__archived_as__isnull=True,
        reply_document__unit=unit,
    ).values("document_id")
    leads = closed_unfiled(unit).exclude(pk__in=with_waiting_reply)
    page = Paginator(leads, TO_FILE_PER_PAGE).get_page(page_number)
    requests = _replied_requests(unit, [d.pk for d in page.object_list if d.kind == "outgoing"])
    page.object_list = [
        ProposedItem([document, *requests.get(document.pk, [])]) for document in page.object_list
    ]
    return page


def proposal_for(unit: OrgUnit, document_id: int) -> list[Document]:
    """The proposed grouping of one waiting document (empty when it is not waiting)."""
    document = closed_unfiled(unit).filter(pk=document_id).first()
    if document is None:
        return []
    if document.kind == Document.Kind.INCOMING:
        process = IncomingProcess.objects.filter(document_id=document.pk).first()
        if process is not None and process.reply_document_id:
            reply = closed_unfiled(unit).filter(pk=process.reply_document_id).first()
            if reply is not None:
                document = reply
    return [document, *_replied_requests(unit, [document.pk]).get(document.pk, [])]


def documents_by_id(unit: OrgUnit, ids: list[int]) -> list[Document]:
    """The waiting documents of the unit among `ids`, in the order of `ids`."""
    found = {d.pk: d for d in closed_unfiled(unit).filter(pk__in=ids)}
    return [found[pk] for pk in ids if pk in found]


def addable_documents(unit: OrgUnit, chosen: list[int], limit: int = 200) -> list[Document]:
    """Waiting documents that may be added to an item being put together, newest first."""
    return list(closed_unfiled(unit).exclude(pk__in=chosen)[:limit])


def item_page(pk: int) -> ArchiveItem:
    """An item with its documents and files; three queries."""
    return (
        ArchiveItem.objects.select_related("fonds__unit", "filed_by")
        .prefetch_related(
            Prefetch(
                "documents",
                queryset=ArchivedDocument.objects.select_related(
                    "document__outgoingdocument", "document__incomingdocument"
                ),
            ),
            "files",
        )
        .get(pk=pk)
    )

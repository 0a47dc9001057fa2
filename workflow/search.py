"""How documents become search entries: outgoing (kind "document") and incoming ("incoming").

The outgoing access list follows `workflow.permissions.visible_documents`: every handler (trace
actors and the people they acted for), every task owner and the drafter by user; the issuing
unit's document clerks and process administrators by role. Recipient units are not on it: they
see the document only as it was sent to them (their delivery and incoming document). The
incoming one is `permissions.incoming_document_access`. Document numbers go into `exact`, where
the search also keys them however they may be typed (`core.document_numbers`). The services
enqueue the document in each step's transaction.
"""

import io
import logging

from django.db.models import Prefetch
from django.urls import reverse
from django.utils.html import strip_tags
from django.utils.translation import gettext_lazy as _
from viewflow.workflow.models import Task

from core.extraction import cap_text, docx_lines
from people.models import Role
from search.registry import SearchEntry, SearchProvider, register

from . import permissions
from .models import (
    CirculationReader,
    Document,
    DocumentRecipient,
    IncomingDocument,
    OutgoingDocument,
    TraceEntry,
)
from .permissions import incoming_document_access

logger = logging.getLogger(__name__)
CHUNK = 200


def _word_text(file_field) -> str:
    """The text of a DOCX file (attachments and Word bodies); empty for anything else."""
    if not file_field or not file_field.name.lower().endswith(".docx"):
        return ""
    try:
        with file_field.open("rb") as handle:
            return cap_text("\n".join(docx_lines(io.BytesIO(handle.read()))))
    except Exception:  # an unreadable file must not stop indexing
        logger.warning("Could not read the text of %s", file_field.name, exc_info=True)
        return ""


class DocumentProvider(SearchProvider):
    kind = "document"
    label = _("Documents")

    def _documents(self):
        return (
            OutgoingDocument.objects.select_related("unit", "process")
            .prefetch_related(
                Prefetch(
                    "recipients",
                    queryset=DocumentRecipient.objects.select_related("org_unit").order_by(
                        "kind", "order"
                    ),
                ),
                "attachments",
                Prefetch(
                    "trace_entries",
                    queryset=TraceEntry.objects.only("document_id", "actor_id", "on_behalf_of_id"),
                ),
            )
            .order_by("pk")
        )

    def entries(self):
        documents = self._documents()
        for start in range(0, documents.count(), CHUNK):
            batch = list(documents[start : start + CHUNK])
            owners = self._task_owners(batch)
            for document in batch:
                yield self._entry(document, owners.get(document.pk, set()))

    def entry_for(self, key):
        document = self._documents().filter(pk=key).first()
        if document is None:
            return None
        return self._entry(document, self._task_owners([document]).get(document.pk, set()))

    def _task_owners(self, documents) -> dict[int, set[int]]:
        by_process = {}
        for document in documents:
            process = getattr(document, "process", None)
            if process is not None:
                by_process[process.pk] = document.pk
        owners: dict[int, set[int]] = {}
        tasks = Task.objects.filter(process_id__in=by_process, owner__isnull=False)
        for process_id, owner_id in tasks.values_list("process_id", "owner_id"):
            owners.setdefault(by_process[process_id], set()).add(owner_id)
        return owners

    def _entry(self, document: OutgoingDocument, owner_ids: set[int]) -> SearchEntry:
        recipients = list(document.recipients.all())
        attachments = list(document.attachments.all())
        users = {document.drafter_id, *owner_ids}
        for entry in document.trace_entries.all():
            if entry.action not in permissions.RECIPIENT_ACTIONS:
                users.update(user for user in (entry.actor_id, entry.on_behalf_of_id) if user)
        access = {f"user:{user}" for user in users if user}
        access.add(f"role:{Role.FILE_CLERK}:{document.unit_id}")
        access.add(f"role:{Role.PROCESS_ADMIN}:{document.unit_id}")
        body = "\n".join(
            filter(
                None,
                [
                    "、".join(r.name for r in recipients),
                    strip_tags(document.body),
                    _word_text(document.body_file),
                    document.attachment_note,
                    " ".join(a.name for a in attachments),
                    *(_word_text(a.file) for a in attachments if not a.is_paper_only),
                    document.remarks,
                ],
            )
        )
        unit = document.unit
        return SearchEntry(
            kind=self.kind,
            key=str(document.pk),
            title=document.title,
            body=body,
            url=reverse("workflow:documents:document", args=[document.pk]),
            unit=unit.code,
            unit_name=unit.display_name,
            date=document.closed_at or document.created_at,
            tags=(document.get_doc_type_display(), document.get_status_display()),
            exact=(document.number_text,) if document.number_text else (),
            access=tuple(sorted(access)),
        )


class IncomingDocumentProvider(DocumentProvider):
    kind = "incoming"
    label = _("Incoming documents")

    def _documents(self):
        documents = IncomingDocument.objects.select_related("unit", "sender_unit", "process")
        return documents.prefetch_related(
            "attachments",
            Prefetch(
                "trace_entries",
                queryset=TraceEntry.objects.only("document_id", "actor_id", "on_behalf_of_id"),
            ),
            Prefetch(
                "circulations__readers",
                queryset=CirculationReader.objects.only("circulation_id", "reader_id"),
            ),
        ).order_by("pk")

    def _entry(self, document: IncomingDocument, owner_ids: set[int]) -> SearchEntry:
        attachments = list(document.attachments.all())
        handlers = {document.registered_by_id, *owner_ids}
        for entry in document.trace_entries.all():
            handlers.update((entry.actor_id, entry.on_behalf_of_id))
        for circulation in document.circulations.all():
            handlers.update(reader.reader_id for reader in circulation.readers.all())
        body = "\n".join(
            filter(
                None,
                [
                    document.sender,
                    document.sender_number,
                    document.number_text,
                    document.ocr_text,
                    " ".join(a.name for a in attachments),
                    *(_word_text(a.file) for a in attachments if not a.is_paper_only),
                ],
            )
        )
        unit = document.unit
        return SearchEntry(
            kind=self.kind,
            key=str(document.pk),
            title=document.title,
            body=body,
            url=incoming_document_url(document),
            unit=unit.code,
            unit_name=unit.display_name,
            date=document.created_at,
            tags=(str(Document.Kind.INCOMING.label), document.sender),
            exact=tuple(filter(None, (document.number_text, document.sender_number))),
            access=tuple(sorted(incoming_document_access(document, handlers))),
        )


def incoming_document_url(document: IncomingDocument) -> str:
    return reverse("workflow:documents:incoming_document", args=[document.pk])


register(DocumentProvider())
register(IncomingDocumentProvider())

"""The documents' JSON API (mounted at /api/documents, signed-in users only): my to-do tasks,
one outgoing document, and the incoming documents (list and one), read-only, under the same
rules as the screens."""

from datetime import date, datetime

from django.http import Http404
from django.urls import reverse
from ninja import Query, Router, Schema
from ninja.pagination import paginate

from intranet.converters import ObjectId
from intranet.paging import Converted, PageNumber

from . import permissions, registers, selectors
from .models import DocumentRecipient, IncomingDocument, OutgoingDocument

router = Router(tags=["documents"])


class TaskOut(Schema):
    id: int
    step: str
    step_title: str
    document_id: int
    kind: str
    title: str
    doc_number: str
    doc_type: str
    doc_type_label: str
    urgency: str
    urgency_label: str
    arrived_at: datetime
    due_at: datetime
    overdue: bool
    on_behalf_of: str | None
    url: str


class TaskQuery(Schema):
    doc_type: str = ""
    urgency: str | None = None
    step: str = ""
    date_from: date | None = None
    date_to: date | None = None
    overdue: bool = False


class RecipientOut(Schema):
    name: str
    status: str


class AttachmentOut(Schema):
    name: str
    paper_only: bool
    url: str | None


class DocumentOut(Schema):
    id: int
    title: str
    doc_type: str
    doc_type_label: str
    classification: str
    urgency: str
    status: str
    status_label: str
    doc_number: str
    unit: str
    drafting_department: str
    drafter: str
    signers: list[str]
    written_on: date | None
    copies: int
    main_recipients: list[RecipientOut]
    copy_recipients: list[RecipientOut]
    attachments: list[AttachmentOut]
    url: str
    pdf_url: str | None


class IncomingAttachmentOut(Schema):
    name: str
    paper_only: bool


class IncomingOut(Schema):
    id: int
    title: str
    classification: str
    urgency: str
    urgency_label: str
    incoming_number: str
    sender: str
    sender_number: str
    received_on: date
    copies: int
    deadline: date | None
    unit: str
    registered_by: str
    attachments: list[IncomingAttachmentOut]
    url: str


def _incoming_out(document: IncomingDocument) -> dict:
    return {
        "id": document.pk,
        "title": document.title,
        "classification": document.classification,
        "urgency": document.urgency,
        "urgency_label": document.get_urgency_display(),
        "incoming_number": document.number_text,
        "sender": document.sender,
        "sender_number": document.sender_number,
        "received_on": document.received_on,
        "copies": document.copies,
        "deadline": document.deadline,
        "unit": document.unit.name,
        "registered_by": document.registered_by.get_full_name(),
        "attachments": [
            {"name": attachment.name, "paper_only": attachment.is_paper_only}
            for attachment in document.attachments.all()
        ],
        "url": reverse("api:incoming_document", args=[document.pk]),
    }


@router.get("/tasks", response=list[TaskOut], summary="My to-do tasks (待办)")
@paginate(PageNumber)
def my_tasks(request, query: Query[TaskQuery]):
    step = query.step if query.step in dict(registers.step_choices()) else ""
    filters = registers.TaskFilters(
        doc_type=query.doc_type,
        urgency={"normal": ""}.get(query.urgency, query.urgency),
        step=step,
        date_from=query.date_from,
        date_to=query.date_to,
        overdue=query.overdue,
    )
    return Converted(
        registers.todo_list(request.user, filters),
        lambda tasks: [
            {
                "id": row.task.pk,
                "step": row.task.flow_task.name,
                "step_title": row.step_title,
                "document_id": row.document.pk,
                "kind": row.document.kind,
                "title": row.document.title,
                "doc_number": row.document.number_text,
                # 文种 is an outgoing document's; an incoming one is the sender's document.
                "doc_type": getattr(row.document, "doc_type", ""),
                "doc_type_label": row.doc_type_label,
                "urgency": row.document.urgency,
                "urgency_label": row.urgency_label,
                "arrived_at": row.arrived_at,
                "due_at": row.due,
                "overdue": row.is_overdue,
                "on_behalf_of": row.on_behalf_of.get_full_name() if row.on_behalf_of else None,
                "url": row.url,
            }
            for row in registers.task_rows(tasks, request.user)
        ],
    )


@router.get("/{int:document_id}", response=DocumentOut, summary="One outgoing document")
def document_detail(request, document_id: ObjectId):
    try:
        document = selectors.document_form(document_id)
    except OutgoingDocument.DoesNotExist:
        raise Http404 from None
    # Not found rather than forbidden: the API does not confirm that a document exists.
    if not permissions.can_view_document(request.user, document):
        raise Http404
    recipients = list(document.recipients.all())

    def recipients_of(kind):
        return [{"name": r.name, "status": r.status} for r in recipients if r.kind == kind]

    return {
        "id": document.pk,
        "title": document.title,
        "doc_type": document.doc_type,
        "doc_type_label": document.get_doc_type_display(),
        "classification": document.classification,
        "urgency": document.urgency,
        "status": document.status,
        "status_label": document.get_status_display(),
        "doc_number": document.number_text,
        "unit": document.unit.name,
        "drafting_department": document.drafting_department.name,
        "drafter": document.drafter.get_full_name(),
        "signers": [entry.user.get_full_name() for entry in document.signer_entries.all()],
        "written_on": document.written_on,
        "copies": document.copies,
        "main_recipients": recipients_of(DocumentRecipient.Kind.MAIN),
        "copy_recipients": recipients_of(DocumentRecipient.Kind.COPY),
        "attachments": [
            {
                "name": attachment.name,
                "paper_only": attachment.is_paper_only,
                "url": None
                if attachment.is_paper_only
                else reverse(
                    "workflow:documents:attachment_download", args=[document.pk, attachment.pk]
                ),
            }
            for attachment in document.attachments.all()
        ],
        "url": reverse("workflow:documents:document", args=[document.pk]),
        "pdf_url": reverse("workflow:documents:pdf_download", args=[document.pk])
        if document.final_pdf
        else None,
    }


@router.get(
    "/incoming",
    response=list[IncomingOut],
    summary="Incoming documents (收文) I may see",
)
@paginate(PageNumber)
def incoming_list(request):
    return Converted(
        selectors.visible_incoming_documents(request.user),
        lambda documents: [_incoming_out(document) for document in documents],
    )


@router.get(
    "/incoming/{int:document_id}",
    response=IncomingOut,
    summary="One incoming document",
    url_name="incoming_document",
)
def incoming_detail(request, document_id: ObjectId):
    # Not found rather than forbidden: the API does not confirm that a document exists.
    document = selectors.visible_incoming_documents(request.user).filter(pk=document_id).first()
    if document is None:
        raise Http404
    return _incoming_out(document)

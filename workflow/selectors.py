"""Read paths over outgoing documents and their tasks, each with a bounded number of queries."""

from django.db.models import Prefetch, Q, QuerySet
from django.urls import reverse
from django.utils import timezone
from viewflow.workflow.models import Task
from viewflow.workflow.status import STATUS

from . import permissions
from .models import (
    Circulation,
    CirculationReader,
    Delegation,
    Document,
    DocumentRecipient,
    IncomingDocument,
    OutgoingDocument,
    OutgoingProcess,
    TraceEntry,
)
from .steps import task_step_title

OPEN_STATUSES = [STATUS.NEW, STATUS.ASSIGNED]


def todo_tasks(user) -> QuerySet[Task]:
    """Open human tasks the user may act on (待办): their own and, while a delegation runs,
    those of the leaders they stand in for."""
    if not user.is_authenticated:
        return Task.objects.none()
    today = timezone.localdate()
    delegators = Delegation.objects.filter(
        deputy=user, starts_on__lte=today, ends_on__gte=today, revoked_at__isnull=True
    ).values("leader_id")
    return Task.objects.filter(
        Q(owner=user) | Q(owner__in=delegators),
        status__in=OPEN_STATUSES,
        flow_task_type="HUMAN",
    )


def pending_tasks_for(user, *, limit: int) -> list[Task]:
    """The newest open tasks of the user, each with `url` (its screen), `document` (title,
    urgency…), `step_title` and `on_behalf_of` (the leader, for a delegated task); two queries."""
    if not user.is_authenticated:
        return []
    tasks = list(todo_tasks(user).select_related("owner").order_by("-created")[:limit])
    with_documents(tasks, user)
    return tasks


def with_documents(tasks: list[Task], user=None) -> list[Task]:
    """Give each task of a page its document, screen URL and step title in one query."""
    documents = documents_for_tasks(tasks)
    for task in tasks:
        task.document = documents.get(task.process_id)
        task.url = task_url(task)
        task.step_title = task_step_title(task)
        task.on_behalf_of = task.owner if user is not None and task.owner_id != user.pk else None
    return tasks


def done_tasks(user) -> QuerySet[Task]:
    """Tasks the user completed (已办), themselves or on a leader's behalf."""
    if not user.is_authenticated:
        return Task.objects.none()
    acted = TraceEntry.objects.filter(actor=user, task__isnull=False).exclude(
        action=TraceEntry.Action.OPEN
    )
    return Task.objects.filter(
        Q(owner=user) | Q(pk__in=acted.values("task_id")),
        status=STATUS.DONE,
        flow_task_type="HUMAN",
    )


def task_url(task: Task) -> str:
    """The processing screen of a human task."""
    return reverse(
        f"workflow:documents:flows:outgoing:{task.flow_task.name}:execute",
        args=[task.process_id, task.pk],
    )


def document_of_task(task: Task) -> OutgoingDocument:
    return OutgoingDocument.objects.get(process__pk=task.process_id)


def documents_for_tasks(tasks) -> dict[int, OutgoingDocument]:
    """{process id: document} for a page of tasks, in one query."""
    process_ids = {task.process_id for task in tasks}
    documents = OutgoingDocument.objects.filter(process__pk__in=process_ids).select_related(
        "process", "unit", "drafter"
    )
    return {document.process.pk: document for document in documents}


def my_drafts(user) -> QuerySet[OutgoingDocument]:
    """Documents at their drafter: never submitted, or returned to the draft step."""
    if not user.is_authenticated:
        return OutgoingDocument.objects.none()
    from .flows import OutgoingFlow

    draft_tasks = Task.objects.filter(
        owner=user, status__in=OPEN_STATUSES, flow_task=OutgoingFlow.draft
    ).values("process_id")
    return OutgoingDocument.objects.filter(drafter=user, process__pk__in=draft_tasks)


def visible_documents(user) -> QuerySet[OutgoingDocument]:
    return permissions.visible_documents(user)


def document_form(document_pk: int) -> OutgoingDocument:
    """Everything the processing form (发文稿纸) shows, in a fixed number of queries."""
    return (
        OutgoingDocument.objects.select_related(
            "unit", "drafting_department", "drafter", "number", "process"
        )
        .prefetch_related(
            Prefetch(
                "recipients",
                queryset=DocumentRecipient.objects.select_related("org_unit").order_by(
                    "kind", "order", "pk"
                ),
            ),
            "attachments",
            Prefetch("signer_entries", queryset=_signers()),
            Prefetch(
                "trace_entries",
                queryset=TraceEntry.objects.order_by("pk"),
            ),
        )
        .get(pk=document_pk)
    )


def _signers():
    from .models import DocumentSigner

    return DocumentSigner.objects.select_related("user").order_by("order")


def open_tasks_of(document: OutgoingDocument) -> list[Task]:
    return list(
        Task.objects.filter(
            process_id=document.process.pk, status__in=OPEN_STATUSES, flow_task_type="HUMAN"
        )
        .select_related("owner")
        .order_by("pk")
    )


def running_processes(unit) -> QuerySet[OutgoingProcess]:
    """The unit's processes still under way, for its process administrator."""
    return (
        OutgoingProcess.objects.filter(document__unit=unit, finished__isnull=True)
        .exclude(status="CANCELED")
        .select_related("document", "document__drafter")
    )


def document_url(document: Document) -> str:
    """The page a document is read on: an outgoing one's processing form, an incoming one's
    收文处理单."""
    if document.kind == Document.Kind.INCOMING:
        return reverse("gongwen:incoming_form", args=[document.pk])
    return reverse("workflow:documents:document", args=[document.pk])


def circulation_inbox(user, *, read: bool) -> QuerySet[CirculationReader]:
    """The user's receipts to sign (待阅) or signed (已阅), newest round first."""
    if not user.is_authenticated:
        return CirculationReader.objects.none()
    return (
        CirculationReader.objects.filter(reader=user, read_at__isnull=not read)
        .select_related("circulation__document", "circulation__started_by")
        .order_by("-read_at" if read else "-circulation__started_at", "-pk")
    )


def circulation_rounds(document: Document) -> list[Circulation]:
    """The document's rounds with each reader's receipt, oldest first; two queries."""
    return list(
        Circulation.objects.filter(document=document)
        .select_related("started_by")
        .prefetch_related(
            Prefetch(
                "readers",
                queryset=CirculationReader.objects.select_related("reader").order_by("pk"),
            )
        )
        .order_by("pk")
    )


def open_receipt(user, document: Document) -> CirculationReader | None:
    """The user's receipt of the document still to sign, if any."""
    return (
        CirculationReader.objects.filter(
            reader=user, circulation__document=document, read_at__isnull=True
        )
        .order_by("pk")
        .first()
    )


def incoming_form(document_pk: int) -> IncomingDocument:
    """Everything the 收文处理单 shows, in a fixed number of queries."""
    return (
        IncomingDocument.objects.select_related("unit", "sender_unit", "registered_by")
        .prefetch_related(
            Prefetch("trace_entries", queryset=TraceEntry.objects.order_by("pk")),
            "attachments",
        )
        .get(pk=document_pk)
    )

"""Read paths over documents (outgoing and incoming) and their tasks, each with a bounded number
of queries."""

from django.db.models import Count, Prefetch, Q, QuerySet, prefetch_related_objects
from django.urls import reverse
from django.utils import timezone
from viewflow.workflow.models import Task
from viewflow.workflow.status import STATUS

from . import permissions
from .models import (
    Circulation,
    CirculationReader,
    Delegation,
    Delivery,
    Document,
    DocumentRecipient,
    IncomingDocument,
    InstructionEntry,
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


def without_unsubmitted_drafts(tasks: QuerySet[Task]) -> QuerySet[Task]:
    """A draft never submitted is the drafter's work in hand (草稿), not a task; a draft
    returned to its drafter is one."""
    from .flows import OutgoingFlow

    return tasks.exclude(
        flow_task=OutgoingFlow.draft,
        process__outgoingprocess__document__status=OutgoingDocument.Status.DRAFT,
    )


def pending_tasks_for(user, *, limit: int) -> list[Task]:
    """The newest open tasks of the user (drafts not counted), each with `url` (its screen),
    `document` (title, urgency, deadline…), `step_title`, `is_overdue` and `on_behalf_of` (the
    leader, for a delegated task); two queries."""
    if not user.is_authenticated:
        return []
    tasks = list(
        without_unsubmitted_drafts(todo_tasks(user))
        .select_related("owner")
        .order_by("-created")[:limit]
    )
    with_documents(tasks, user)
    today = timezone.localdate()
    for task in tasks:
        deadline = task.document.deadline if task.document else None
        task.is_overdue = deadline is not None and deadline < today
    return tasks


def unread_circulation(user) -> QuerySet[CirculationReader]:
    """Documents sent round to the user that they have not signed as read yet (待阅)."""
    if not user.is_authenticated:
        return CirculationReader.objects.none()
    return CirculationReader.objects.filter(reader=user, read_at__isnull=True)


def todo_counts(user, *, to_read: int | None = None) -> dict[str, int]:
    """待办 (tasks, drafts not counted), of which overdue by their document's deadline, and
    待阅: one query for the tasks, and one for 待阅 unless the caller already knows it."""
    if not user.is_authenticated:
        return {"tasks": 0, "overdue": 0, "to_read": 0}
    from . import supervision

    tasks = without_unsubmitted_drafts(todo_tasks(user))
    overdue = supervision.past_deadline(tasks).values("pk")
    counts = tasks.aggregate(tasks=Count("pk"), overdue=Count("pk", filter=Q(pk__in=overdue)))
    counts["to_read"] = unread_circulation(user).count() if to_read is None else to_read
    return counts


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
    owned, acted_for_others = done_task_sources(user)
    either = owned.order_by().values("pk").union(acted_for_others.order_by().values("pk"))
    return Task.objects.filter(pk__in=either)


def done_task_sources(user) -> tuple[QuerySet[Task], QuerySet[Task]]:
    """The user's done tasks as two disjoint parts: their own, read in finish order from the
    done-list index (workflow_done_tasks_by_owner), and the others' tasks they acted on (on a
    leader's behalf). A list pages each part by its own index and merges the pages: a union
    or an OR made the database sort the user's whole history on every page."""
    if not user.is_authenticated:
        return Task.objects.none(), Task.objects.none()
    done = Task.objects.filter(status=STATUS.DONE, flow_task_type="HUMAN")
    acted = TraceEntry.objects.filter(actor=user, task__isnull=False).exclude(
        action=TraceEntry.Action.OPEN
    )
    return done.filter(owner=user), done.filter(pk__in=acted.values("task_id")).exclude(owner=user)


def _document_class(flow_class):
    return flow_class.process_class._meta.get_field("document").related_model


def task_url(task: Task) -> str:
    """The processing screen of a human task, in its flow's namespace."""
    # Viewflow names a flow's namespace after its class (OutgoingFlow → "outgoing") and clears
    # the flow's app_name once its URLs are built, so the name is derived the same way here.
    flow = task.flow_task.flow_class.__name__.removesuffix("Flow").lower()
    return reverse(
        f"workflow:documents:flows:{flow}:{task.flow_task.name}:execute",
        args=[task.process_id, task.pk],
    )


def document_url(document: Document) -> str:
    """The page of a document of either kind."""
    name = "incoming_document" if document.kind == Document.Kind.INCOMING else "document"
    return reverse(f"workflow:documents:{name}", args=[document.pk])


def document_of_task(task: Task) -> Document:
    """The task's document, as its own kind (outgoing or incoming)."""
    document_class = _document_class(task.flow_task.flow_class)
    return document_class.objects.get(process__pk=task.process_id)


def documents_for_tasks(tasks) -> dict[int, Document]:
    """{process id: document} for a page of tasks, one query per kind of document among them."""
    process_ids = {}
    for task in tasks:
        process_ids.setdefault(task.flow_task.flow_class, set()).add(task.process_id)
    found = {}
    for flow_class, ids in process_ids.items():
        document_class = _document_class(flow_class)
        related = ["process", "unit"]
        if document_class is OutgoingDocument:
            related.append("drafter")
        documents = document_class.objects.filter(process__pk__in=ids).select_related(*related)
        found.update({document.process.pk: document for document in documents})
    return found


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
    return document_forms().get(pk=document_pk)


def document_forms() -> QuerySet[OutgoingDocument]:
    return OutgoingDocument.objects.select_related(
        "unit", "drafting_department", "drafter", "number", "process"
    ).prefetch_related(
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


def visible_incoming_documents(user) -> QuerySet[IncomingDocument]:
    """The incoming documents the user may open, newest first, with what a list shows."""
    return (
        permissions.visible_incoming_documents(user)
        .select_related("unit", "sender_unit", "registered_by")
        .prefetch_related("attachments")
        .order_by("-received_on", "-pk")
    )


def _signers():
    from .models import DocumentSigner

    return DocumentSigner.objects.select_related("user").order_by("order")


def incoming_form(**lookup) -> IncomingDocument:
    """The incoming document found by `lookup` with everything its processing form (收文处理单)
    shows, in a fixed number of queries."""
    return (
        IncomingDocument.objects.select_related(
            "unit",
            "sender_unit",
            "registered_by",
            "closed_by",
            "process__lead_department",
            "process__reply_document",
        )
        .prefetch_related(
            "attachments",
            "process__co_departments",
            Prefetch(
                "circulations",
                queryset=Circulation.objects.select_related("started_by").order_by("pk"),
            ),
            Prefetch(
                "circulations__readers",
                queryset=CirculationReader.objects.select_related("reader").order_by("pk"),
            ),
            Prefetch(
                "instruction_entries",
                queryset=InstructionEntry.objects.select_related("user").order_by("order"),
            ),
            Prefetch("trace_entries", queryset=TraceEntry.objects.order_by("pk")),
        )
        .get(**lookup)
    )


def open_tasks_of(document: Document) -> list[Task]:
    """The process's open human tasks with their owners and what the withdrawal rule walks
    (the task's origin, through a gateway at most)."""
    return _human_tasks_of(document)[0]


def done_steps_of(document: Document) -> set[str]:
    """The steps of the process done so far (which a return may go back to); read with
    `open_tasks_of` in one query."""
    return {task.flow_task.name for task in _human_tasks_of(document)[1]}


def _human_tasks_of(document: Document) -> tuple[list[Task], list[Task]]:
    """The open and the done human tasks of the document's process, read once per document
    instance (a task screen needs both)."""
    if "_human_tasks" not in document.__dict__:
        tasks = list(
            Task.objects.filter(
                process_id=document.process.pk,
                flow_task_type="HUMAN",
                status__in=[*OPEN_STATUSES, STATUS.DONE],
            )
            .select_related("owner")
            .order_by("pk")
        )
        open_tasks = [task for task in tasks if task.status in OPEN_STATUSES]
        prefetch_related_objects(open_tasks, "previous__previous")
        document._human_tasks = (open_tasks, [t for t in tasks if t.status == STATUS.DONE])
    return document._human_tasks


def running_processes(unit) -> QuerySet[OutgoingProcess]:
    """The unit's processes still under way, for its process administrator."""
    return (
        OutgoingProcess.objects.filter(document__unit=unit, finished__isnull=True)
        .exclude(status="CANCELED")
        .select_related("document", "document__drafter")
    )


def circulation_inbox(user, *, read: bool) -> QuerySet[CirculationReader]:
    """The user's receipts to sign (待阅) or signed (已阅), newest round first."""
    if not user.is_authenticated:
        return CirculationReader.objects.none()
    return (
        CirculationReader.objects.filter(reader=user, read_at__isnull=not read)
        .select_related("circulation__document", "circulation__started_by")
        .order_by("-read_at" if read else "-circulation__started_at", "-pk")
    )


def incoming_sheet(document_pk: int) -> IncomingDocument:
    """The incoming document with what its printed 收文处理单 needs; two queries."""
    return (
        IncomingDocument.objects.select_related("unit", "sender_unit")
        .prefetch_related(Prefetch("trace_entries", queryset=TraceEntry.objects.order_by("pk")))
        .get(pk=document_pk)
    )


def circulation_rounds(document: Document) -> list[Circulation]:
    """The document's rounds with each reader's receipt, oldest first; two queries (none for an
    outgoing document still in progress, which is sent round only once dispatched)."""
    if isinstance(document, OutgoingDocument) and document.status in (
        OutgoingDocument.Status.DRAFT,
        OutgoingDocument.Status.IN_PROGRESS,
    ):
        return []
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


def deliveries_to_sign_for(user) -> QuerySet[Delivery]:
    """The unit's 待签收 list: deliveries sent to the units the user is document clerk of,
    not yet signed for or refused, newest first, with what the list shows."""
    return (
        permissions.deliveries_received(user)
        .filter(status=Delivery.Status.SENT)
        .select_related("document", "document__unit", "recipient_unit")
        .order_by("-sent_at", "-pk")
    )


def deliveries_handled(user) -> QuerySet[Delivery]:
    """Deliveries the user's units signed for or refused (已签收/已退文), newest first."""
    return (
        permissions.deliveries_received(user)
        .exclude(status=Delivery.Status.SENT)
        .select_related("document", "document__unit", "recipient_unit", "signed_by", "refused_by")
        .order_by("-sent_at", "-pk")
    )


def delivery_page(pk: int) -> Delivery:
    """One delivery with only what was sent: the document's elements and attachments."""
    return (
        Delivery.objects.select_related(
            "document", "document__unit", "recipient_unit", "signed_by", "refused_by"
        )
        .prefetch_related("document__attachments")
        .get(pk=pk)
    )


def deliveries_of(document: OutgoingDocument) -> list[Delivery]:
    """Where the sent document stands at each recipient unit, for the sender's page: each
    unit's deliveries, the latest first, and whether a refused one may be sent again (none
    before dispatch: no query then)."""
    if document.status in (OutgoingDocument.Status.DRAFT, OutgoingDocument.Status.IN_PROGRESS):
        return []
    deliveries = list(
        document.deliveries.select_related("recipient_unit", "signed_by", "refused_by").order_by(
            "recipient_unit__path", "-sent_at", "-pk"
        )
    )
    latest_by_unit: dict[int, Delivery] = {}
    for delivery in deliveries:
        latest_by_unit.setdefault(delivery.recipient_unit_id, delivery)
    for delivery in deliveries:
        delivery.is_latest = latest_by_unit[delivery.recipient_unit_id] is delivery
        delivery.may_resend = (
            delivery.is_latest
            and delivery.status == Delivery.Status.REFUSED
            and document.status == OutgoingDocument.Status.DISPATCHED
        )
    return deliveries

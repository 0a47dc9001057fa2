"""Read paths over outgoing documents and their tasks, each with a bounded number of queries."""

from django.db.models import Prefetch, Q, QuerySet
from django.urls import reverse
from django.utils import timezone
from viewflow.workflow.models import Task
from viewflow.workflow.status import STATUS

from . import permissions
from .models import (
    Delegation,
    Delivery,
    DocumentRecipient,
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
    unit's deliveries, the latest first, and whether a refused one may be sent again."""
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

"""Read paths of deadlines and supervision (催办/督办) over every document flow: which open
tasks are due soon or overdue by their document's deadline (办理时限), and the office's overdue
and supervision dashboard. A task reaches its document through its flow's process model, so
these hold for the outgoing and the incoming flow alike."""

from dataclasses import dataclass
from datetime import date

from django.db.models import Q, QuerySet
from django.utils import timezone
from viewflow.workflow.models import Task

from people.models import OrgUnit, User

from .deadlines import add_working_days
from .flows import FLOWS
from .models import Document, Supervision
from .selectors import OPEN_STATUSES
from .steps import task_step_title


def document_path(flow_class) -> str:
    """The lookup from a task to its document in `flow_class`."""
    return f"process__{flow_class.process_class._meta.model_name}__document"


def _on_document(**lookups) -> Q:
    """A condition on a task's document, whichever flow carries it."""
    condition = Q(pk__in=[])
    for flow_class in FLOWS:
        path = document_path(flow_class)
        condition |= Q(
            process__flow_class=flow_class,
            **{f"{path}__{field}": value for field, value in lookups.items()},
        )
    return condition


def at_step(step: str) -> Q:
    """Tasks at the step named `step` in whichever flow has one."""
    condition = Q(pk__in=[])
    for flow_class in FLOWS:
        if step in flow_class.steps:
            condition |= Q(flow_task=getattr(flow_class, step))
    return condition


def open_tasks() -> QuerySet[Task]:
    """Open human tasks with an owner, of the routed document flows."""
    return Task.objects.filter(
        status__in=OPEN_STATUSES,
        flow_task_type="HUMAN",
        owner__isnull=False,
        process__flow_class__in=FLOWS,
    )


def tasks_of_document(document: Document) -> QuerySet[Task]:
    """The document's open tasks, with their owners."""
    return (
        open_tasks()
        .filter(_on_document(pk=document.pk))
        .select_related("owner__department")
        .order_by("pk")
    )


def next_working_day(today: date) -> date:
    return add_working_days(today, 1)


def due_soon(tasks: QuerySet[Task], today: date | None = None) -> QuerySet[Task]:
    """Tasks whose document is due by the next working day: the day before (or, over a weekend
    or holiday, the last working day before) the deadline."""
    today = today or timezone.localdate()
    return tasks.filter(_on_document(deadline__gt=today, deadline__lte=next_working_day(today)))


def past_deadline(tasks: QuerySet[Task], today: date | None = None) -> QuerySet[Task]:
    today = today or timezone.localdate()
    return tasks.filter(_on_document(deadline__lt=today))


def supervised(tasks: QuerySet[Task]) -> QuerySet[Task]:
    return tasks.filter(_on_document(supervision__isnull=False))


def in_unit(tasks: QuerySet[Task], unit: OrgUnit) -> QuerySet[Task]:
    return tasks.filter(_on_document(unit=unit))


def documents_of_tasks(tasks) -> dict[int, Document]:
    """{process id: document (as its own kind)} for a page of tasks; one query per flow."""
    by_flow: dict = {}
    for task in tasks:
        if task.flow_task.flow_class in FLOWS:
            by_flow.setdefault(task.flow_task.flow_class, set()).add(task.process_id)
    documents = {}
    for flow_class, process_ids in by_flow.items():
        processes = flow_class.process_class.objects.filter(pk__in=process_ids).select_related(
            "document__unit", "document__supervision"
        )
        documents.update({process.pk: process.document for process in processes})
    return documents


def lead_department(document: Document, tasks: list[Task]) -> OrgUnit | None:
    """Who reports a supervised document's progress: the department of whoever holds its open
    handling task, else (outgoing) the drafting department."""
    for task in tasks:
        if task.flow_task.name == "handle" and task.owner_id and task.owner.department_id:
            return task.owner.department
    return getattr(document, "drafting_department", None)


@dataclass(frozen=True)
class DashboardFilters:
    step: str = ""
    department: OrgUnit | None = None
    state: str = ""  # "overdue", "due_soon", "supervised" or "" (all with a deadline or supervised)


DASHBOARD_STATES = ("overdue", "due_soon", "supervised")


@dataclass(frozen=True)
class DashboardRow:
    task: Task
    document: Document
    step_title: str
    owner: User
    department: OrgUnit | None
    deadline: date | None
    is_overdue: bool
    is_due_soon: bool
    supervision: Supervision | None


def dashboard_tasks(unit: OrgUnit, filters: DashboardFilters) -> QuerySet[Task]:
    """The unit's open tasks the office watches: with a deadline, or under supervision."""
    today = timezone.localdate()
    tasks = in_unit(open_tasks(), unit).filter(
        _on_document(deadline__isnull=False) | _on_document(supervision__isnull=False)
    )
    if filters.state == "overdue":
        tasks = past_deadline(tasks, today)
    elif filters.state == "due_soon":
        tasks = due_soon(tasks, today)
    elif filters.state == "supervised":
        tasks = supervised(tasks)
    if filters.step:
        tasks = tasks.filter(at_step(filters.step))
    if filters.department is not None:
        tasks = tasks.filter(owner__department=filters.department)
    return tasks.select_related("owner__department").order_by("created", "pk")


def dashboard_rows(tasks) -> list[DashboardRow]:
    """Rows of a page of `dashboard_tasks`, in a query per flow."""
    tasks = list(tasks)
    documents = documents_of_tasks(tasks)
    today = timezone.localdate()
    soon = next_working_day(today)
    rows = []
    for task in tasks:
        document = documents[task.process_id]
        deadline = document.deadline
        rows.append(
            DashboardRow(
                task=task,
                document=document,
                step_title=str(task_step_title(task)),
                owner=task.owner,
                department=task.owner.department,
                deadline=deadline,
                is_overdue=deadline is not None and deadline < today,
                is_due_soon=deadline is not None and today < deadline <= soon,
                supervision=getattr(document, "supervision", None),
            )
        )
    return rows

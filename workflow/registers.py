"""The lists behind the outgoing-document screens: to-do and done tasks with their filters and
due dates, the process administrator's running processes, and the unit's outgoing register
(发文登记簿) with its XLSX export. Every list is read in a fixed number of queries.

Due dates: a task is due by the end of its document's deadline (办理时限) when it has one;
otherwise a number of days after it arrived that depends on the document's urgency (特急 1,
加急 3, otherwise 5 days), overridable with the WORKFLOW_TASK_DAYS setting.
"""

import heapq
import itertools
from dataclasses import dataclass
from datetime import UTC, date, datetime, time, timedelta

from django.conf import settings
from django.db.models import Prefetch, Q, QuerySet
from django.utils import timezone, translation
from django.utils.translation import gettext as _
from openpyxl import Workbook
from openpyxl.styles import Alignment, Font, PatternFill
from openpyxl.utils import get_column_letter
from viewflow.workflow.models import Task

from core.xlsx import workbook_bytes
from people.models import OrgUnit, Role, RoleAssignment, User
from people.permissions import held_roles, is_system_admin

from . import permissions, selectors
from .flows import IncomingFlow, OutgoingFlow
from .models import (
    Document,
    DocumentRecipient,
    DocumentSigner,
    DocumentType,
    IncomingDocument,
    OutgoingDocument,
    OutgoingProcess,
    Urgency,
)
from .numbering.models import DocumentPrefix, IssuedNumber
from .steps import task_step_title

DEFAULT_TASK_DAYS = {Urgency.VERY_URGENT: 1, Urgency.URGENT: 3, Urgency.NORMAL: 5}
DOCUMENT = "process__outgoingprocess__document"
INCOMING_DOCUMENT = "process__incomingprocess__document"
TASK_FLOWS = (OutgoingFlow, IncomingFlow)
OPEN_STATUSES = selectors.OPEN_STATUSES


def task_days() -> dict[str, int]:
    return {**DEFAULT_TASK_DAYS, **getattr(settings, "WORKFLOW_TASK_DAYS", {})}


def due_at(arrived: datetime, urgency: str) -> datetime:
    return arrived + timedelta(days=task_days().get(urgency, DEFAULT_TASK_DAYS[Urgency.NORMAL]))


def step_choices() -> list[tuple[str, str]]:
    return [(spec.name, spec.title) for flow in TASK_FLOWS for spec in flow.steps]


# Tasks -----------------------------------------------------------------------------------


@dataclass(frozen=True)
class TaskFilters:
    doc_type: str = ""
    urgency: str | None = None
    step: str = ""
    date_from: date | None = None
    date_to: date | None = None
    overdue: bool = False


def document_tasks(tasks: QuerySet[Task]) -> QuerySet[Task]:
    """Restrict tasks to the document flows (outgoing and incoming), with their documents in
    the same query (without the texts no list shows: the body, the scan's OCR text)."""
    return (
        tasks.filter(process__flow_class__in=TASK_FLOWS)
        .select_related(
            "owner",
            f"{DOCUMENT}__drafter",
            f"{DOCUMENT}__drafting_department",
            f"{INCOMING_DOCUMENT}__sender_unit",
        )
        .defer(f"{DOCUMENT}__body", f"{INCOMING_DOCUMENT}__ocr_text")
    )


def _either_document(**lookup) -> Q:
    """`lookup` on the task's document, whichever kind it is."""
    condition = Q()
    for path in (DOCUMENT, INCOMING_DOCUMENT):
        condition |= Q(**{f"{path}__{name}": value for name, value in lookup.items()})
    return condition


def _overdue_condition(field: str, now: datetime) -> Q:
    """Tasks whose `field` (arrival) lies further back than their urgency allows."""
    condition = Q()
    for urgency, days in task_days().items():
        condition |= _either_document(urgency=urgency) & Q(
            **{f"{field}__lt": now - timedelta(days)}
        )
    return condition


# Days a database datetime holds in any time zone: a period beyond them (0001-01-01 from a
# form, 9999-12-31 from a script) means "from the beginning" or "to the end".
EARLIEST_DAY = date(1900, 1, 1)
LATEST_DAY = date(9998, 12, 31)


def _day_start(day: date) -> datetime:
    day = min(max(day, EARLIEST_DAY), LATEST_DAY)
    return timezone.make_aware(datetime.combine(day, time.min))


def tasks_of_type(tasks: QuerySet[Task], doc_type: str) -> QuerySet[Task]:
    return tasks.filter(**{f"{DOCUMENT}__doc_type": doc_type})


def tasks_of_urgency(tasks: QuerySet[Task], urgency: str) -> QuerySet[Task]:
    return tasks.filter(_either_document(urgency=urgency))


def tasks_at_step(tasks: QuerySet[Task], step: str) -> QuerySet[Task]:
    nodes = [getattr(flow, step) for flow in TASK_FLOWS if step in flow.steps]
    return tasks.filter(flow_task__in=nodes) if nodes else tasks.none()


def tasks_since(tasks: QuerySet[Task], day: date, *, date_field: str) -> QuerySet[Task]:
    return tasks.filter(**{f"{date_field}__gte": _day_start(day)})


def tasks_until(tasks: QuerySet[Task], day: date, *, date_field: str) -> QuerySet[Task]:
    return tasks.filter(**{f"{date_field}__lt": _day_start(min(day, LATEST_DAY) + timedelta(1))})


def overdue_tasks(tasks: QuerySet[Task]) -> QuerySet[Task]:
    """Past their document's deadline or, without one, their urgency's time limit."""
    today = timezone.localdate()
    without_deadline = Q(**{f"{DOCUMENT}__deadline__isnull": True}) & Q(
        **{f"{INCOMING_DOCUMENT}__deadline__isnull": True}
    )
    past_deadline = Q(**{f"{DOCUMENT}__deadline__lt": today}) | Q(
        **{f"{INCOMING_DOCUMENT}__deadline__lt": today}
    )
    by_urgency = without_deadline & _overdue_condition("created", timezone.now())
    return tasks.filter(by_urgency | past_deadline)


def filter_tasks(tasks: QuerySet[Task], filters: TaskFilters, *, date_field: str) -> QuerySet:
    """Apply the list filters; the date range applies to `date_field` (arrival or finish)."""
    if filters.doc_type:
        tasks = tasks_of_type(tasks, filters.doc_type)
    if filters.urgency is not None:
        tasks = tasks_of_urgency(tasks, filters.urgency)
    if filters.step:
        tasks = tasks_at_step(tasks, filters.step)
    if filters.date_from:
        tasks = tasks_since(tasks, filters.date_from, date_field=date_field)
    if filters.date_to:
        tasks = tasks_until(tasks, filters.date_to, date_field=date_field)
    if filters.overdue:
        tasks = overdue_tasks(tasks)
    return tasks


def todo_list(user: User, filters: TaskFilters = TaskFilters()) -> QuerySet[Task]:
    """My to-do (待办): open tasks of mine or of the leaders I stand in for, oldest first so
    the most pressing is on top."""
    tasks = document_tasks(selectors.todo_tasks(user))
    return filter_tasks(tasks, filters, date_field="created").order_by("created", "pk")


def done_list(user: User, filters: TaskFilters = TaskFilters()) -> QuerySet[Task]:
    """My done tasks (已办), latest first."""
    tasks = document_tasks(selectors.done_tasks(user))
    return filter_tasks(tasks, filters, date_field="finished").order_by("-finished", "-pk")


class DoneTaskPages:
    """My done tasks (已办), latest first, as the paginator reads them: the count and a page's
    tasks (fetched as `document_tasks`), `narrow` (the list's filters) applied. Each part of
    `selectors.done_task_sources` is read in finish order up to the page, narrow (ids and
    finish times), and the parts are merged: the database never sorts the whole history, and
    a page past the middle is read from the oldest end."""

    def __init__(self, user: User, narrow=lambda tasks: tasks):
        self.parts = [
            narrow(tasks.filter(process__flow_class__in=TASK_FLOWS))
            for tasks in selectors.done_task_sources(user)
        ]
        self._count = None

    def count(self) -> int:
        if self._count is None:
            self._count = sum(part.count() for part in self.parts)
        return self._count

    def __len__(self) -> int:
        return self.count()

    def __getitem__(self, page: slice) -> list[Task]:
        start, stop = max(page.start or 0, 0), min(page.stop, self.count())
        if start >= stop:
            return []
        if start <= self.count() - stop:
            order, skip, wanted = ("-finished", "-pk"), start, stop
        else:  # nearer the oldest end: read from there, ascending
            order, skip, wanted = ("finished", "pk"), self.count() - stop, self.count() - start
        keys = heapq.merge(
            *(part.order_by(*order).values_list("finished", "pk")[:wanted] for part in self.parts),
            key=_finish_order,
            reverse=order[0].startswith("-"),
        )
        ids = [pk for _finished, pk in itertools.islice(keys, skip, wanted)]
        if not order[0].startswith("-"):
            ids.reverse()
        tasks = document_tasks(Task.objects.filter(pk__in=ids)).in_bulk()
        return [tasks[pk] for pk in ids]


def _finish_order(key: tuple[datetime | None, int]) -> tuple[datetime, int]:
    finished, pk = key
    return (finished or datetime.min.replace(tzinfo=UTC), pk)


@dataclass(frozen=True)
class TaskRow:
    """One line of a task list, as the office reads it."""

    task: Task
    document: OutgoingDocument | IncomingDocument
    step_title: str
    arrived_at: datetime
    due: datetime
    finished_at: datetime | None
    is_overdue: bool
    on_behalf_of: User | None
    url: str
    doc_type_label: str
    urgency_label: str
    status_label: str
    origin: str
    origin_detail: str


def _task_document(task: Task):
    if task.flow_task.flow_class is IncomingFlow:
        return task.process.incomingprocess.document
    return task.process.outgoingprocess.document


def _origin(document) -> tuple[str, str]:
    """Who the document comes from: its drafter and department, or for an incoming one its
    sender and their number."""
    if document.kind == Document.Kind.INCOMING:
        return document.sender, document.sender_number
    return document.drafter.get_full_name(), document.drafting_department.name


def task_rows(tasks, user: User) -> list[TaskRow]:
    """Rows of a page of tasks (fetched with `document_tasks`); no further queries."""
    now = timezone.now()
    # Once per page: Django's get_FOO_display() translates every choice on each call.
    labels = _choice_labels()
    rows = []
    for task in tasks:
        document = _task_document(task)
        kind = document.kind
        origin, origin_detail = _origin(document)
        due = (
            _day_start(document.deadline + timedelta(days=1))
            if document.deadline
            else due_at(task.created, document.urgency)
        )
        finished = task.finished if task.status not in OPEN_STATUSES else None
        open_task = finished is None
        rows.append(
            TaskRow(
                task=task,
                document=document,
                step_title=str(task_step_title(task)),
                arrived_at=task.created,
                due=due,
                finished_at=finished,
                is_overdue=(now if open_task else finished) > due,
                on_behalf_of=task.owner if task.owner_id != user.pk else None,
                url=selectors.task_url(task) if open_task else selectors.document_url(document),
                doc_type_label=labels["doc_type"].get(
                    getattr(document, "doc_type", kind), labels["kind"][kind]
                ),
                urgency_label=labels["urgency"].get(document.urgency, ""),
                status_label=labels[kind].get(document.status, document.status),
                origin=origin,
                origin_detail=origin_detail,
            )
        )
    return rows


def _choice_labels() -> dict[str, dict[str, str]]:
    return {
        "doc_type": {value: str(label) for value, label in DocumentType.choices},
        "urgency": {value: str(label) for value, label in Urgency.choices},
        "kind": {value: str(label) for value, label in Document.Kind.choices},
        Document.Kind.OUTGOING: {v: str(label) for v, label in OutgoingDocument.Status.choices},
        Document.Kind.INCOMING: {v: str(label) for v, label in IncomingDocument.Status.choices},
    }


def to_read(user: User, limit: int = 50) -> list:
    """Documents sent round to the user, unread (待阅), newest first; one query."""
    return list(
        selectors.unread_circulation(user)
        .select_related("circulation__document", "circulation__started_by")
        .order_by("-circulation__started_at", "-pk")[:limit]
    )


def open_draft_tasks(documents) -> dict[int, Task]:
    """{document id: its open draft task} for a page of the drafter's documents."""
    processes = {document.process.pk: document.pk for document in documents}
    tasks = Task.objects.filter(
        process_id__in=processes, flow_task=OutgoingFlow.draft, status__in=OPEN_STATUSES
    )
    return {processes[task.process_id]: task for task in tasks}


def my_drafts(user: User) -> QuerySet[OutgoingDocument]:
    return (
        selectors.my_drafts(user)
        .select_related("process", "drafting_department")
        .order_by("-updated_at", "-pk")
    )


# Process administration ------------------------------------------------------------------


def administered_units(user: User) -> QuerySet[OrgUnit]:
    """The units whose processes this user administers (流程管理员)."""
    return _units_with_roles(user, [Role.PROCESS_ADMIN])


def register_units(user: User) -> QuerySet[OrgUnit]:
    """The units whose outgoing register this user keeps or oversees."""
    return _units_with_roles(user, [Role.FILE_CLERK, Role.PROCESS_ADMIN])


def _units_with_roles(user: User, roles: list[str]) -> QuerySet[OrgUnit]:
    unit_levels = OrgUnit.objects.filter(
        kind__in=[OrgUnit.Kind.HEADQUARTERS, OrgUnit.Kind.UNIT], is_active=True
    )
    if not user.is_authenticated or not user.is_active:
        return OrgUnit.objects.none()
    if is_system_admin(user):
        return unit_levels.order_by("path")
    held = RoleAssignment.objects.filter(user=user, role__in=roles).values("unit_id")
    return unit_levels.filter(pk__in=held).order_by("path")


def may_see_register(user: User, unit: OrgUnit) -> bool:
    return permissions.is_file_clerk(user, unit) or permissions.is_process_admin(user, unit)


@dataclass(frozen=True)
class RunningProcess:
    process: OutgoingProcess
    document: OutgoingDocument
    tasks: list[Task]
    is_stuck: bool


def running_processes(unit: OrgUnit) -> list[RunningProcess]:
    """The unit's running processes with their open tasks (current step and owner); stuck
    when a task waits longer than its urgency allows."""
    open_tasks = (
        Task.objects.filter(status__in=OPEN_STATUSES, flow_task_type="HUMAN")
        .select_related("owner")
        .order_by("pk")
    )
    processes = (
        selectors.running_processes(unit)
        .select_related("document__drafting_department")
        .prefetch_related(Prefetch("task_set", queryset=open_tasks, to_attr="open_tasks"))
        .order_by("created", "pk")
    )
    now = timezone.now()
    return [
        RunningProcess(
            process=process,
            document=process.document,
            tasks=process.open_tasks,
            is_stuck=any(
                now > due_at(task.created, process.document.urgency) for task in process.open_tasks
            ),
        )
        for process in processes
    ]


# The outgoing register (发文登记簿) ---------------------------------------------------------


@dataclass(frozen=True)
class RegisterFilters:
    year: int
    prefix: DocumentPrefix | None = None
    doc_type: str = ""


def _outgoing_numbers(unit: OrgUnit) -> QuerySet[IssuedNumber]:
    """The unit's 发文字号; its incoming numbers (收文编号) have a register of their own."""
    return IssuedNumber.objects.filter(
        prefix__unit=unit, prefix__purpose=DocumentPrefix.Purpose.OUTGOING
    )


def register_years(unit: OrgUnit) -> list[int]:
    years = set(_outgoing_numbers(unit).values_list("year", flat=True).distinct())
    years.add(timezone.localdate().year)
    return sorted(years, reverse=True)


def register_prefixes(unit: OrgUnit) -> QuerySet[DocumentPrefix]:
    return DocumentPrefix.objects.filter(
        unit=unit, purpose=DocumentPrefix.Purpose.OUTGOING
    ).order_by("order", "text")


def register_entries(unit: OrgUnit, filters: RegisterFilters) -> QuerySet[IssuedNumber]:
    """Every number the unit gave in the year, with its document (none for a number voided
    before it reached one), in prefix and serial order."""
    numbers = _outgoing_numbers(unit).filter(year=filters.year)
    if filters.prefix is not None:
        numbers = numbers.filter(prefix=filters.prefix)
    if filters.doc_type:
        numbers = numbers.filter(outgoing_document__doc_type=filters.doc_type)
    recipients = DocumentRecipient.objects.select_related("org_unit").order_by(
        "kind", "order", "pk"
    )
    return (
        numbers.select_related(
            "prefix",
            "voided_by",
            "outgoing_document__drafting_department",
            "outgoing_document__drafter",
        )
        .prefetch_related(
            Prefetch(
                "outgoing_document__signer_entries",
                queryset=DocumentSigner.objects.select_related("user").order_by("order"),
            ),
            Prefetch("outgoing_document__recipients", queryset=recipients),
        )
        .order_by("prefix__order", "prefix__text", "serial")
    )


@dataclass(frozen=True)
class RegisterRow:
    number: IssuedNumber
    document: OutgoingDocument | None
    signers: str
    main_recipients: str
    copy_recipients: str
    dispatch_status: str
    is_void: bool
    doc_type_label: str


def _document_of(number: IssuedNumber) -> OutgoingDocument | None:
    try:
        return number.outgoing_document
    except OutgoingDocument.DoesNotExist:
        return None


def dispatch_status(document: OutgoingDocument | None) -> str:
    if document is None:
        return ""
    if document.status in (OutgoingDocument.Status.CANCELLED, OutgoingDocument.Status.REJECTED):
        return document.get_status_display()
    recipients = list(document.recipients.all())
    sent = [r for r in recipients if r.status != DocumentRecipient.DispatchStatus.PENDING]
    if not recipients or not sent:
        return _("Not yet dispatched")
    if len(sent) < len(recipients):
        return _("Partly dispatched (%(sent)d of %(total)d)") % {
            "sent": len(sent),
            "total": len(recipients),
        }
    received = sum(r.status == DocumentRecipient.DispatchStatus.RECEIVED for r in recipients)
    if received:
        return _("Dispatched, %(received)d of %(total)d signed for") % {
            "received": received,
            "total": len(recipients),
        }
    return _("Dispatched")


def register_rows(numbers) -> list[RegisterRow]:
    type_labels = _choice_labels()["doc_type"]
    rows = []
    for number in numbers:
        document = _document_of(number)
        recipients = list(document.recipients.all()) if document else []
        rows.append(
            RegisterRow(
                number=number,
                document=document,
                signers="、".join(e.user.get_full_name() for e in document.signer_entries.all())
                if document
                else "",
                main_recipients="、".join(
                    r.name for r in recipients if r.kind == DocumentRecipient.Kind.MAIN
                ),
                copy_recipients="、".join(
                    r.name for r in recipients if r.kind == DocumentRecipient.Kind.COPY
                ),
                dispatch_status=dispatch_status(document),
                is_void=number.is_void,
                doc_type_label=type_labels.get(document.doc_type, "") if document else "",
            )
        )
    return rows


def register_xlsx(unit: OrgUnit, filters: RegisterFilters, rows: list[RegisterRow]) -> bytes:
    """The register as an XLSX workbook, headed in Chinese (it is an official record)."""
    with translation.override(settings.LANGUAGE_CODE):
        return _register_workbook(unit, filters, rows)


def _register_workbook(unit, filters, rows) -> bytes:
    workbook = Workbook()
    sheet = workbook.active
    sheet.title = _("Outgoing register %(year)d") % {"year": filters.year}
    headers = [
        (_("No."), 6),
        (_("Document number"), 20),
        (_("Title"), 48),
        (_("Document type"), 10),
        (_("Drafting department"), 16),
        (_("Drafter"), 10),
        (_("Signers"), 14),
        (_("Date of writing"), 12),
        (_("Main recipients"), 30),
        (_("Copy recipients"), 30),
        (_("Copies"), 8),
        (_("Dispatch status"), 16),
        (_("Voided"), 8),
        (_("Reason for voiding"), 30),
    ]
    sheet.append(
        [_("%(unit)s outgoing register, %(year)d") % {"unit": unit.name, "year": filters.year}]
    )
    sheet["A1"].font = Font(bold=True, size=14)
    sheet.append([title for title, _width in headers])
    header_fill = PatternFill("solid", fgColor="E8F0FB")
    for column, (_title, width) in enumerate(headers, 1):
        cell = sheet.cell(row=2, column=column)
        cell.font = Font(bold=True)
        cell.fill = header_fill
        cell.alignment = Alignment(horizontal="center", vertical="center")
        sheet.column_dimensions[get_column_letter(column)].width = width
    sheet.freeze_panes = "A3"
    yes = _("Yes")
    for position, row in enumerate(rows, 1):
        document = row.document
        sheet.append(
            [
                position,
                row.number.text,
                document.title if document else row.number.subject,
                row.doc_type_label,
                document.drafting_department.name if document else "",
                document.drafter.get_full_name() if document else "",
                row.signers,
                document.written_on if document else None,
                row.main_recipients,
                row.copy_recipients,
                document.copies if document else None,
                row.dispatch_status,
                yes if row.is_void else "",
                row.number.void_reason,
            ]
        )
        sheet.cell(row=position + 2, column=8).number_format = "yyyy-mm-dd"
    return workbook_bytes(workbook)


def screen_tabs(user: User) -> dict[str, bool]:
    """Which of the clerk's and administrator's screens to offer in the lists' tabs."""
    roles = held_roles(user)
    admin = is_system_admin(user)
    return {
        "may_see_registers": admin or bool({Role.FILE_CLERK, Role.PROCESS_ADMIN} & roles),
        "may_administer_processes": admin or Role.PROCESS_ADMIN in roles,
        "may_receive": Role.FILE_CLERK in roles,
        "may_keep_calendar": admin
        or (Role.PROCESS_ADMIN in roles and permissions.can_keep_calendar(user)),
    }

"""The incoming document (收文): registration by the receiving unit's document clerk, with the
unit's own incoming number, which starts the incoming flow (gongwen.md §6, §8), and the action of
each step of that flow, from the initial review to the close. Acting, returning, withdrawing,
reassigning, cancelling and tracing are the engine's (`workflow.services.engine`)."""

from collections.abc import Callable, Sequence
from datetime import date, datetime

from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _
from viewflow.workflow.models import Task

from people.models import OrgUnit, Role, User

from .. import permissions, trace
from ..deadlines import default_deadline
from ..flows import IncomingFlow
from ..models import (
    Classification,
    Document,
    DocumentType,
    IncomingDocument,
    InstructionEntry,
    Route,
    TraceEntry,
    Urgency,
)
from ..steps import REGISTER_STEP
from . import engine
from .circulation import circulate
from .documents import enqueue_search, validated_fields
from .engine import choose_next, clean_opinion, complete, forward, one_of
from .errors import DocumentError, require

Action = TraceEntry.Action
# Called as handler(document, user, reason) inside the refusal's transaction: the electronic
# exchange registers here to send an exchanged document back to its sender (退文).
REFUSAL_HANDLERS: list[Callable] = []


def on_refusal(handler: Callable) -> Callable:
    """Register `handler(document, user, reason)` to run when the initial review refuses a
    document; usable as a decorator."""
    REFUSAL_HANDLERS.append(handler)
    return handler


@transaction.atomic
def incoming_register(
    *,
    user: User,
    unit: OrgUnit,
    title: str,
    received_on: date,
    sender_unit: OrgUnit | None = None,
    sender_name: str = "",
    sender_number: str = "",
    urgency: str = Urgency.NORMAL,
    classification: str = Classification.NON_SECRET,
    copies: int = 1,
    source_document: Document | None = None,
) -> IncomingDocument:
    """Register a paper document `unit` received (收文登记) and give it the unit's next
    incoming number, in one transaction: if anything is refused, neither the document nor a
    number exists. 来文单位 is a unit of the organisation tree or a name typed in, not both.
    A document signed for from the electronic exchange names the sender's `source_document`.

    Raises PermissionDenied unless `user` is the unit's document clerk; DocumentError (with
    the field named) for a classified document or any other bad element.
    """
    from ..numbering.services import assign_incoming_number

    require(permissions.can_register_incoming(user, unit))
    values = validated_fields(
        {"title": title, "classification": classification, "urgency": urgency, "copies": copies}
    )
    sender_name = (sender_name or "").strip()
    if (sender_unit is None) == (not sender_name):
        raise DocumentError(
            {"sender_name": _("Choose the sending unit or type its name, not both.")}
        )
    if len(sender_name) > 100:
        raise DocumentError(
            {"sender_name": _("The sender's name is too long (at most 100 characters).")}
        )
    sender_number = (sender_number or "").strip()
    if len(sender_number) > 60:
        raise DocumentError(
            {"sender_number": _("The sender's number is too long (at most 60 characters).")}
        )
    if not isinstance(received_on, date) or isinstance(received_on, datetime):
        raise DocumentError({"received_on": _("Enter the date the document was received.")})
    if received_on > timezone.localdate():
        raise DocumentError({"received_on": _("The date received cannot be in the future.")})

    document = IncomingDocument.objects.create(
        unit=unit,
        sender_unit=sender_unit,
        sender_name=sender_name,
        sender_number=sender_number,
        received_on=received_on,
        registered_by=user,
        source_document=source_document,
        **values,
    )
    # Taken last, so the unit's counter row stays locked for as short a time as possible.
    issued = assign_incoming_number(unit=unit, user=user, subject=document.title)
    document.number = issued
    document.number_text = issued.text
    document.save(update_fields=["number", "number_text", "updated_at"])
    trace.append(
        document,
        step=REGISTER_STEP,
        action=TraceEntry.Action.REGISTER,
        actor=user,
        role=Role.FILE_CLERK,
        extra={"number": issued.text},
    )
    # The registering clerk's initial review (初审) is the flow's first task.
    IncomingFlow.start.run(document=document)
    enqueue_search(document)
    return document


def review_accept(*, task: Task, user: User, office_head: User | None, opinion: str = "") -> None:
    """The clerk finds the document the unit's to handle (初审) and chooses the office head
    who proposes how (拟办)."""
    with engine.acting(task, user, step="review") as acting:
        document = acting.document
        if office_head is None and acting.process.office_head_id:
            office_head = acting.process.office_head
        choose_next(
            acting,
            "office_head",
            office_head,
            permissions.office_head_candidates(document.unit, besides=acting.responsible),
            _("Choose the office head who proposes how to handle it."),
        )
        forward(acting)
        if document.status == IncomingDocument.Status.REGISTERED:
            document.status = IncomingDocument.Status.IN_PROGRESS
            document.save(update_fields=["status", "updated_at"])
        complete(acting, action=Action.APPROVE, opinion=clean_opinion(opinion))


def review_refuse(*, task: Task, user: User, reason: str) -> None:
    """The clerk refuses the document back to its sender with a reason (退文): the process
    ends, the document is refused, and the refusal handlers (the exchange's) run."""
    with engine.acting(task, user, step="review") as acting:
        reason = clean_opinion(reason)
        if not reason:
            raise DocumentError({"opinion": _("Give the reason for refusing.")})
        document = acting.document
        document.status = IncomingDocument.Status.REFUSED
        document.closed_at = timezone.now()
        document.save(update_fields=["status", "closed_at", "updated_at"])
        acting.process.route = Route.REJECT
        acting.process.save(update_fields=["route"])
        complete(acting, action=Action.REFUSE, opinion=reason)
        for handler in REFUSAL_HANDLERS:
            handler(document, acting.responsible, reason)


def propose_submit(
    *, task: Task, user: User, instructors: Sequence[User], opinion: str = ""
) -> None:
    """The office head proposes how to handle it (拟办意见) and chooses the leader(s) who
    instruct, in order."""
    with engine.acting(task, user, step="propose") as acting:
        opinion = clean_opinion(opinion)
        if not opinion:
            raise DocumentError({"opinion": _("Write the proposal.")})
        document = acting.document
        if not instructors:
            raise DocumentError({"instructors": _("Choose the instructing leader(s).")})
        leaders = permissions.leader_candidates(document.unit)
        for leader in instructors:
            one_of(leader, leaders, "instructors", _("Choose leaders of this unit."))
        if len({leader.pk for leader in instructors}) != len(instructors):
            raise DocumentError({"instructors": _("Each leader instructs once.")})
        document.instruction_entries.all().delete()
        InstructionEntry.objects.bulk_create(
            InstructionEntry(document=document, user=leader, order=order)
            for order, leader in enumerate(instructors, 1)
        )
        forward(acting)
        complete(acting, action=Action.PROPOSE, opinion=opinion)


def instruct_submit(
    *,
    task: Task,
    user: User,
    opinion: str = "",
    lead_department: OrgUnit | None = None,
    co_departments: Sequence[OrgUnit] = (),
    deadline: date | None = None,
) -> None:
    """A leader instructs (批办). The last instructing leader decides the lead department
    (主办), the co-departments (协办) and the deadline (by default the urgency's)."""
    with engine.acting(task, user, step="instruct") as acting:
        document = acting.document
        process = acting.process
        entry = document.instruction_entries.filter(
            user=acting.responsible, instructed_at__isnull=True
        ).first()
        if entry is None:
            raise DocumentError(_("You are not among the instructing leaders of this document."))
        opinion = clean_opinion(opinion)
        if not opinion:
            raise DocumentError({"opinion": _("Write the instruction.")})
        entry.instructed_at = timezone.now()
        entry.save(update_fields=["instructed_at"])
        last = not document.instruction_entries.filter(instructed_at__isnull=True).exists()
        if last or lead_department is not None:
            _set_handling(process, document, lead_department, co_departments, deadline)
        forward(acting)
        extra = {"deadline": document.deadline.isoformat()} if last else {}
        complete(acting, action=Action.INSTRUCT, opinion=opinion, extra=extra)


def _set_handling(process, document, lead_department, co_departments, deadline) -> None:
    departments = permissions.handling_departments(document.unit)
    if lead_department is None or not departments.filter(pk=lead_department.pk).exists():
        raise DocumentError(
            {"lead_department": _("Choose the lead department, one of this unit's with a head.")}
        )
    co_departments = list(co_departments)
    allowed = set(departments.values_list("pk", flat=True))
    if any(department.pk not in allowed for department in co_departments):
        raise DocumentError(
            {"co_departments": _("Choose co-departments of this unit that have a head.")}
        )
    if any(department.pk == lead_department.pk for department in co_departments):
        raise DocumentError(
            {"co_departments": _("The lead department cannot also be a co-department.")}
        )
    today = timezone.localdate()
    if deadline is None:
        deadline = default_deadline(document.urgency, today)
    if deadline < today:
        raise DocumentError({"deadline": _("The deadline cannot be in the past.")})
    process.lead_department = lead_department
    process.save(update_fields=["lead_department"])
    process.co_departments.set(co_departments)
    document.deadline = deadline
    document.save(update_fields=["deadline", "updated_at"])


def cohandle_report(*, task: Task, user: User, opinion: str = "") -> None:
    """A co-department (协办) reports its contribution to the lead department."""
    with engine.acting(task, user, step="cohandle") as acting:
        opinion = clean_opinion(opinion)
        if not opinion:
            raise DocumentError({"opinion": _("Write what your department contributed.")})
        department = OrgUnit.objects.filter(pk=acting.task.data.get("department")).first()
        extra = {"department": department.name} if department else {}
        forward(acting)
        complete(acting, action=Action.ASSIST, opinion=opinion, extra=extra)


def handle_complete(
    *, task: Task, user: User, opinion: str = "", needs_reply: bool = False
) -> None:
    """The lead department (主办) writes the result, once every co-department has reported, and
    says whether the sender gets a reply (答复)."""
    with engine.acting(task, user, step="handle") as acting:
        result = clean_opinion(opinion)
        if not result:
            raise DocumentError({"opinion": _("Write the result of handling.")})
        waiting = engine.active_human_tasks(acting.process).exclude(pk=acting.task.pk)
        if waiting.exists():
            raise DocumentError(_("Wait until every co-department has reported."))
        acting.process.needs_reply = bool(needs_reply)
        acting.process.save(update_fields=["needs_reply"])
        forward(acting)
        complete(acting, action=Action.HANDLE, opinion=result, extra={"reply": bool(needs_reply)})


def reply_draft(*, task: Task, user: User):
    """The lead department starts the reply (答复): a new outgoing document of its own, linked
    to this one, its title and main recipient (the sender) filled in. Returns the draft."""
    from .outgoing import document_create

    with engine.acting(task, user, step="reply") as acting:
        document = acting.document
        if acting.process.reply_document_id is not None:
            raise DocumentError(_("The reply is already drafted."))
        sender = document.sender_unit if document.sender_unit_id else document.sender_name
        reply = document_create(
            user=acting.user,
            doc_type=DocumentType.REPLY,
            title=document.title,
            main_recipients=[sender],
        )
        acting.process.reply_document = reply
        acting.process.save(update_fields=["reply_document"])
        trace.append(
            document,
            step="reply",
            action=Action.REPLY,
            actor=acting.user,
            on_behalf_of=acting.on_behalf_of,
            role=acting.steps.role("reply"),
            extra={"reply": reply.pk},
            task=acting.task,
        )
        return reply


def reply_complete(*, task: Task, user: User, opinion: str = "") -> None:
    """The reply is drafted: the document goes on to circulation."""
    with engine.acting(task, user, step="reply") as acting:
        if acting.process.reply_document_id is None:
            raise DocumentError(_("Draft the reply first."))
        forward(acting)
        complete(acting, action=Action.SUBMIT, opinion=clean_opinion(opinion))


def circulate_step(
    *, task: Task, user: User, readers: Sequence[User] = (), opinion: str = ""
) -> None:
    """The clerk sends the document round the chosen readers (传阅), or skips circulation."""
    with engine.acting(task, user, step="circulate") as acting:
        document = acting.document
        opinion = clean_opinion(opinion)
        candidates = permissions.reassign_candidates(document.unit)
        for reader in readers:
            one_of(reader, candidates, "readers", _("Choose readers of this unit."))
        if readers:
            circulate(document, readers=readers, by=acting.user, note=opinion[:300])
        forward(acting)
        complete(acting, action=Action.SUBMIT if readers else Action.SKIP, opinion=opinion)


def close_document(*, task: Task, user: User, opinion: str = "") -> None:
    """The clerk closes the document with its result (办结): it is ready for archiving."""
    with engine.acting(task, user, step="close") as acting:
        result = clean_opinion(opinion)
        if not result:
            raise DocumentError({"opinion": _("Write the result the document is closed with.")})
        document = acting.document
        document.status = IncomingDocument.Status.CLOSED
        document.result = result
        document.closed_at = timezone.now()
        document.closed_by = acting.responsible
        document.save(update_fields=["status", "result", "closed_at", "closed_by", "updated_at"])
        forward(acting)
        complete(acting, action=Action.CLOSE, opinion=result)


INCOMING_STEP_ACTIONS = {
    "review": review_accept,
    "propose": propose_submit,
    "instruct": instruct_submit,
    "cohandle": cohandle_report,
    "handle": handle_complete,
    "reply": reply_complete,
    "circulate": circulate_step,
    "close": close_document,
}


def _registrar_may_cancel(document: IncomingDocument, user: User) -> bool:
    return document.registered_by_id == user.pk


def incoming_cancel(*, document: IncomingDocument, user: User, reason: str) -> None:
    """Cancel the process (the unit's process administrator; the registering clerk while the
    initial review is still theirs)."""
    engine.process_cancel(
        document=document, user=user, reason=reason, starter_may_cancel=_registrar_may_cancel
    )

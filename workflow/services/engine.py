"""The document engine: acting on a task, completing it, returning, withdrawing, reassigning,
cancelling and tracing, for any flow whose process follows a small protocol.

The protocol (what a flow brings):
- the flow class declares `steps` (`workflow.steps.Steps`) and has a `start` node taking
  `document=`;
- its process (a `workflow.models.DocumentProcess`) has a one-to-one `document` to a
  `workflow.models.Document` subclass, whose `Status` has `CANCELLED`, and the assignee
  fields its steps name;
- parallel branches are a viewflow Split and Join.

Every action runs in one transaction: the process row and the task row are locked
(SELECT … FOR UPDATE), the task's status is checked again, the actor's right is checked through
`workflow.permissions`, the decision is written on the process, viewflow completes the task and
routes on it, and a trace entry is appended. Bad input raises `DocumentError` (a
ValidationError with a translated message) and changes nothing; a task someone else has just
handled raises `TaskAlreadyHandled`.
"""

from collections.abc import Callable
from contextlib import contextmanager
from dataclasses import dataclass

from django.core.exceptions import PermissionDenied
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from viewflow.workflow import flow
from viewflow.workflow.models import Task
from viewflow.workflow.status import STATUS

from intranet.transaction_files import TransactionFiles, atomic_with_files
from people.models import User

from .. import permissions, trace
from ..models import Route, TraceEntry
from ..steps import PROCESS_STEP, Steps, steps_of_task
from .documents import enqueue_search
from .errors import DocumentError, TaskAlreadyHandled, require

Action = TraceEntry.Action
ACTIVE = permissions.ACTIVE_TASK_STATUSES
COMMON_PHRASES = (
    gettext_lazy("Agreed."),
    gettext_lazy("Agreed in principle, submitted for approval."),
    gettext_lazy("Please revise and resubmit."),
    gettext_lazy("Read."),
    gettext_lazy("Please review and instruct."),
)


@dataclass
class Acting:
    """A task locked for an action, its process and document, and whom the actor represents."""

    task: Task
    process: object
    document: object
    user: User
    on_behalf_of: User | None

    files: TransactionFiles

    @property
    def step(self) -> str:
        return self.task.flow_task.name

    @property
    def steps(self) -> Steps:
        return steps_of_task(self.task)

    @property
    def responsible(self) -> User:
        """The user whose task it is (the leader when a deputy acts)."""
        return self.on_behalf_of or self.user


def clean_opinion(opinion: str) -> str:
    opinion = (opinion or "").strip()
    if len(opinion) > 2000:
        raise DocumentError({"opinion": _("The opinion is too long (at most 2000 characters).")})
    return opinion


def one_of(user: User | None, candidates, field: str, message: str) -> User:
    if user is None or not candidates.filter(pk=user.pk).exists():
        raise DocumentError({field: message})
    return user


def choose_next(acting: Acting, field: str, user: User | None, candidates, message: str) -> User:
    """Record on the process whom this step chose for the later step whose declared assignee
    is `field`, from the allowed candidates."""
    chosen = one_of(user, candidates, field, message)
    setattr(acting.process, field, chosen)
    acting.process.save(update_fields=[field])
    return chosen


def _process_class(task: Task):
    return task.flow_task.flow_class.process_class


def _document_class(process_class):
    return process_class._meta.get_field("document").related_model


def _locked(task: Task):
    """The task's process, the task and the document, locked in that order."""
    process_class = _process_class(task)
    process = process_class.objects.select_for_update().get(pk=task.process_id)
    locked = Task.objects.select_for_update().get(pk=task.pk)
    locked.process = process
    document_class = _document_class(process_class)
    process.document = document_class.objects.select_for_update().get(pk=process.document_id)
    return process, locked


def may_act(task: Task, user: User, step: str | None) -> User | None:
    """Whom the user represents on this open task; refuses a closed task, another step, or a
    user the task is not for."""
    if task.status not in ACTIVE:
        raise TaskAlreadyHandled()
    if step is not None and task.flow_task.name != step:
        raise DocumentError(_("This task is not at that step."))
    try:
        return permissions.acting_for(user, task)
    except PermissionError:
        raise PermissionDenied(_("This task is not yours.")) from None


@contextmanager
def acting(task: Task, user: User, *, step: str | None = None):
    """Lock process and task, re-check the task is still open and the user may act on it.
    Files saved through `acting.files` are deleted if the step rolls back."""
    with atomic_with_files() as files:
        process, locked = _locked(task)
        on_behalf_of = may_act(locked, user, step)
        yield Acting(locked, process, process.document, user, on_behalf_of, files)


def active_human_tasks(process):
    return Task.objects.filter(process_id=process.pk, flow_task_type="HUMAN", status__in=ACTIVE)


def complete(acting: Acting, *, action: str, opinion: str = "", extra: dict | None = None):
    """Let viewflow complete the task and route; trace who acted and who has the next tasks."""
    before = set(active_human_tasks(acting.process).values_list("pk", flat=True))
    activation = acting.task.flow_task.activation_class(acting.task)
    activation.start(None)
    activation.execute()
    next_tasks = active_human_tasks(acting.process).exclude(pk__in=before)
    next_users = [task.owner for task in next_tasks.select_related("owner") if task.owner]
    trace.append(
        acting.document,
        step=acting.step,
        action=action,
        actor=acting.user,
        on_behalf_of=acting.on_behalf_of,
        role=acting.steps.role(acting.step),
        opinion=opinion,
        next_users=next_users,
        extra=extra,
        task=acting.task,
    )
    enqueue_search(acting.document)


def forward(acting: Acting) -> None:
    acting.process.route = Route.FORWARD
    acting.process.return_to = ""
    acting.process.save(update_fields=["route", "return_to"])


def process_start(flow_class, document, user: User) -> None:
    """Start the flow on a saved document; the creation is the first entry of its trace."""
    flow_class.start.run(document=document)
    first = flow_class.steps.specs[0]
    trace.append(document, step=first.name, action=Action.CREATE, actor=user, role=first.role)


def editing_task(document, user: User) -> Task:
    """The user's open task at a step that edits the document (the drafter's draft), which
    editing and attachments require."""
    task = (
        Task.objects.filter(
            process_id=document.process.pk, flow_task_type="HUMAN", status__in=ACTIVE
        )
        .order_by("-pk")
        .first()
    )
    if task is not None:
        steps = steps_of_task(task)
        name = task.flow_task.name
        if name in steps and steps[name].edits_document and task.owner_id == user.pk:
            return task
    raise PermissionDenied(_("Only the drafter may edit the document while drafting."))


def trace_edit(document, task: Task, user: User, extra: dict) -> None:
    step = task.flow_task.name
    trace.append(
        document,
        step=step,
        action=Action.EDIT,
        actor=user,
        role=steps_of_task(task).role(step),
        extra=extra,
    )
    enqueue_search(document)


@transaction.atomic
def task_open(*, task: Task, user: User) -> bool:
    """Record that the task's owner (or deputy) opened it, once: from then on the previous
    actor can no longer withdraw it. Returns whether this view was the first."""
    if task.status not in ACTIVE or not permissions.can_act_on_task(user, task):
        return False
    process = _process_class(task).objects.select_for_update().get(pk=task.process_id)
    if TraceEntry.objects.filter(task=task, action=Action.OPEN).exists():
        return False
    on_behalf_of = permissions.acting_for(user, task)
    trace.append(
        process.document,
        step=task.flow_task.name,
        action=Action.OPEN,
        actor=user,
        on_behalf_of=on_behalf_of,
        role=steps_of_task(task).role(task.flow_task.name),
        task=task,
    )
    return True


# Returning ------------------------------------------------------------------------------


def returnable_steps(task: Task, done_steps: set[str] | None = None) -> list[str]:
    """The earlier steps this document has been through, which a return may go back to;
    `done_steps`, the process's steps done so far, when the caller has read them."""
    step = task.flow_task.name
    steps = steps_of_task(task)
    if step not in steps:
        return []
    done = done_steps
    if done is None:
        done = {
            t.flow_task.name
            for t in Task.objects.filter(
                process_id=task.process_id, flow_task_type="HUMAN", status=STATUS.DONE
            )
        }
    return [name for name in steps.names[: steps.index(step)] if name in done]


def _close_sibling_tasks(acting: Acting, *, reason: str) -> None:
    """Cancel the other open tasks of the process (parallel branches), each traced, so no
    branch is left waiting at the join."""
    siblings = active_human_tasks(acting.process).exclude(pk=acting.task.pk)
    for sibling in siblings.select_related("owner"):
        sibling.process = acting.process
        sibling.flow_task.activation_class(sibling).cancel()
        trace.append(
            acting.document,
            step=sibling.flow_task.name,
            action=Action.CLOSE_TASK,
            actor=acting.user,
            on_behalf_of=acting.on_behalf_of,
            role=acting.steps.role(acting.step),
            opinion=reason,
            extra={"owner": sibling.owner.get_full_name() if sibling.owner else ""},
            task=sibling,
        )


def _send_back(acting: Acting, to_step: str) -> None:
    """Route the task's completion back to `to_step`, resetting what the steps declare a
    return to them resets."""
    for reset in acting.steps.resets_from(to_step):
        reset(acting.process)
    acting.process.route = Route.RETURN
    acting.process.return_to = to_step
    acting.process.save(update_fields=["route", "return_to"])


def task_return(*, task: Task, user: User, to_step: str, reason: str) -> None:
    """Return (退回) the document to any earlier step it went through, with a reason. From
    inside a parallel branch (countersign) the other branches' tasks are closed."""
    with acting(task, user) as current:
        reason = clean_opinion(reason)
        if not reason:
            raise DocumentError({"opinion": _("Give the reason for returning.")})
        if to_step not in returnable_steps(current.task):
            raise DocumentError({"to_step": _("Choose an earlier step of this document.")})
        _close_sibling_tasks(current, reason=reason)
        _send_back(current, to_step)
        complete(current, action=Action.RETURN, opinion=reason, extra={"to_step": to_step})


# Withdrawing ----------------------------------------------------------------------------


def _human_origin(task: Task) -> Task | None:
    """The human task whose completion created `task` (through gateways)."""
    frontier = list(task.previous.all())
    seen = set()
    while frontier:
        candidate = frontier.pop()
        if candidate.pk in seen:
            continue
        seen.add(candidate.pk)
        if candidate.flow_task_type == "HUMAN":
            return candidate
        frontier.extend(candidate.previous.all())
    return None


def _came_through(task: Task, node_class) -> bool:
    return any(isinstance(previous.flow_task, node_class) for previous in task.previous.all())


def withdrawable_by(task: Task) -> Task | None:
    """The completed task whose actor may still withdraw (撤回) `task`: none once any open
    task of the process was opened, nor across a parallel split or join (one branch cannot
    take back what the others decided)."""
    if task.status not in ACTIVE or task.flow_task_type != "HUMAN":
        return None
    origin = _human_origin(task)
    if origin is None or _came_through(origin, flow.Split) or _came_through(task, flow.Join):
        return None
    pending = Task.objects.filter(
        process_id=task.process_id, flow_task_type="HUMAN", status__in=ACTIVE
    )
    if TraceEntry.objects.filter(task__in=pending, action=Action.OPEN).exists():
        return None
    return origin


def _origin_actor_ids(origin: Task) -> set[int]:
    actors = set(
        TraceEntry.objects.filter(task=origin)
        .exclude(action=Action.OPEN)
        .values_list("actor_id", flat=True)
    )
    return actors | {origin.owner_id}


def can_withdraw(user: User, task: Task) -> bool:
    origin = withdrawable_by(task)
    return origin is not None and user.pk in _origin_actor_ids(origin)


@contextmanager
def _acting_as_sender(task: Task, user: User):
    with atomic_with_files() as files:
        process, locked = _locked(task)
        if locked.status not in ACTIVE:
            raise TaskAlreadyHandled()
        origin = withdrawable_by(locked)
        if origin is None:
            raise DocumentError(
                _("The task has already been opened by its handler and cannot be withdrawn.")
            )
        if user.pk not in _origin_actor_ids(origin):
            raise PermissionDenied(_("Only the sender of this task may withdraw it."))
        yield Acting(locked, process, process.document, user, None, files), origin


def task_withdraw(*, task: Task, user: User, reason: str = "") -> None:
    """The previous actor pulls the task back (撤回) while its new owner has not opened it;
    the document goes back to the withdrawer's step."""
    with _acting_as_sender(task, user) as (current, origin):
        _close_sibling_tasks(current, reason=reason)
        _send_back(current, origin.flow_task.name)
        activation = current.task.flow_task.activation_class(current.task)
        activation.reassign(user=origin.owner)
        current.task.refresh_from_db()
        current.task.process = current.process
        complete(
            current,
            action=Action.WITHDRAW,
            opinion=clean_opinion(reason),
            extra={"to_step": origin.flow_task.name},
        )


# Reassigning and cancelling -------------------------------------------------------------


def task_reassign(*, task: Task, user: User, to_user: User, reason: str = "") -> None:
    """The process administrator hands a stuck task to another user of the unit (traced); the
    step's declared assignee follows."""
    with transaction.atomic():
        process, locked = _locked(task)
        document = process.document
        require(permissions.can_manage_process(user, document))
        if locked.status not in ACTIVE:
            raise TaskAlreadyHandled()
        one_of(
            to_user,
            permissions.reassign_candidates(document.unit),
            "to_user",
            _("Choose an active user of this unit."),
        )
        previous_owner = locked.owner
        step = locked.flow_task.name
        locked.owner = to_user
        locked.status = STATUS.ASSIGNED
        locked.assigned = timezone.now()
        locked.save(update_fields=["owner", "status", "assigned"])
        spec = steps_of_task(locked)[step]
        if spec.assignee_field:
            setattr(process, spec.assignee_field, to_user)
            process.save(update_fields=[spec.assignee_field])
        if spec.on_reassign is not None and previous_owner is not None:
            spec.on_reassign(process, previous_owner, to_user)
        trace.append(
            document,
            step=step,
            action=Action.REASSIGN,
            actor=user,
            role="process_admin",
            opinion=clean_opinion(reason),
            next_users=[to_user],
            extra={"from": previous_owner.get_full_name() if previous_owner else ""},
            task=locked,
        )
        enqueue_search(document)


def process_cancel(
    *,
    document,
    user: User,
    reason: str,
    starter_may_cancel: Callable = lambda document, user: False,
    on_cancel: Callable = lambda document, user, reason: None,
) -> None:
    """Cancel the process: the unit's process administrator, or the owner of the first step
    while every open task is theirs at that step and `starter_may_cancel(document, user)`.
    `on_cancel(document, user, reason)` undoes what the flow gave the document (a number)."""
    with transaction.atomic():
        process_class = type(document.process)
        process = process_class.objects.select_for_update().get(pk=document.process.pk)
        document = type(document).objects.select_for_update().get(pk=document.pk)
        steps = process.flow_class.steps
        reason = clean_opinion(reason)
        if not reason:
            raise DocumentError({"opinion": _("Give the reason for cancelling.")})
        open_tasks = list(active_human_tasks(process))
        if not open_tasks:
            raise DocumentError(_("The process has already ended."))
        first = steps.specs[0]
        is_admin = permissions.can_manage_process(user, document)
        is_starter = starter_may_cancel(document, user) and all(
            t.flow_task.name == first.name and t.owner_id == user.pk for t in open_tasks
        )
        require(is_admin or is_starter)
        role = "process_admin" if is_admin else first.role
        process.flow_class.instance.cancel(process)
        for open_task in open_tasks:
            trace.append(
                document,
                step=open_task.flow_task.name,
                action=Action.CLOSE_TASK,
                actor=user,
                role=role,
                opinion=reason,
                task=open_task,
            )
        on_cancel(document, user, reason)
        document.status = type(document).Status.CANCELLED
        document.closed_at = timezone.now()
        document.save(update_fields=["status", "closed_at", "updated_at"])
        trace.append(
            document, step=PROCESS_STEP, action=Action.CANCEL, actor=user, role=role, opinion=reason
        )
        enqueue_search(document)

"""Urging and supervision (催办/督办, gongwen.md §6), for documents of every flow: the unit's
office urges a task's owner; a leader of the unit puts a document under supervision; the lead
department reports progress until the document closes. Each action is traced and announced in
the owner's (or the supervising leader's) inbox, in one transaction."""

from django.conf import settings
from django.db import transaction
from django.utils import timezone, translation
from django.utils.translation import gettext as _
from viewflow.workflow.models import Task

from notifications.services import notify
from people.models import Role, User

from .. import permissions, selectors, supervision, trace
from ..models import Document, Supervision, TraceEntry
from ..selectors import task_url
from ..steps import PROCESS_STEP, task_step_title
from .errors import DocumentError, require

MESSAGE_MAX = 300
PROGRESS_MAX = 500


def _cleaned(text: str, *, field: str, limit: int, required: bool = False) -> str:
    text = (text or "").strip()
    if required and not text:
        raise DocumentError({field: _("Please write something.")})
    if len(text) > limit:
        raise DocumentError(
            {field: _("Too long (at most %(limit)d characters).") % {"limit": limit}}
        )
    return text


def _office_role(user: User, document: Document) -> str:
    return Role.FILE_CLERK if permissions.is_file_clerk(user, document.unit) else Role.PROCESS_ADMIN


@transaction.atomic
def task_urge(*, task: Task, user: User, message: str = "") -> TraceEntry:
    """The unit's office urges the owner of an open task (催办); each urge is traced and told."""
    task = Task.objects.select_for_update(of=("self",)).select_related("owner").get(pk=task.pk)
    document = supervision.documents_of_tasks([task]).get(task.process_id)
    require(document is not None and permissions.can_urge(user, document))
    message = _cleaned(message, field="message", limit=MESSAGE_MAX)
    if not supervision.open_tasks().filter(pk=task.pk).exists():
        raise DocumentError(_("This task has already been handled; there is nobody to urge."))
    step_title = str(task_step_title(task))
    entry = trace.append(
        document,
        step=task.flow_task.name,
        action=TraceEntry.Action.URGE,
        actor=user,
        role=_office_role(user, document),
        opinion=message,
        next_users=[task.owner],
        task=task,
    )
    with translation.override(settings.LANGUAGE_CODE):
        notify(
            task.owner,
            kind="workflow.urge",
            title=_("Urged: %(step)s · %(title)s") % {"step": step_title, "title": document.title},
            body=message,
            url=task_url(task),
            source=entry,
        )
    return entry


def _locked(document: Document) -> Document:
    return Document.objects.select_for_update().select_related("unit").get(pk=document.pk)


@transaction.atomic
def supervision_start(*, document: Document, user: User, instruction: str = "") -> Supervision:
    """A leader of the unit puts an open document under supervision (督办); its open tasks'
    owners are told."""
    document = _locked(document)
    require(permissions.can_supervise(user, document))
    instruction = _cleaned(instruction, field="instruction", limit=MESSAGE_MAX)
    if Supervision.objects.filter(document=document).exists():
        raise DocumentError(_("This document is already under supervision."))
    tasks = list(supervision.tasks_of_document(document))
    if not tasks:
        raise DocumentError(_("This document is closed; there is nothing left to supervise."))
    watch = Supervision.objects.create(document=document, started_by=user, instruction=instruction)
    entry = trace.append(
        document,
        step=PROCESS_STEP,
        action=TraceEntry.Action.SUPERVISE,
        actor=user,
        role="leader",
        opinion=instruction,
        next_users=[task.owner for task in tasks],
    )
    with translation.override(settings.LANGUAGE_CODE):
        notify(
            [task.owner_id for task in tasks],
            kind="workflow.supervision",
            title=_("Under supervision: %(title)s") % {"title": document.title},
            body=instruction,
            url=task_url(tasks[0]),
            source=entry,
        )
    return watch


@transaction.atomic
def supervision_progress(*, document: Document, user: User, progress: str) -> Supervision:
    """The lead department reports how a supervised document stands, until it closes; the
    supervising leader is told."""
    document = _locked(document)
    watch = Supervision.objects.filter(document=document).select_related("started_by").first()
    tasks = list(supervision.tasks_of_document(document))
    lead = supervision.lead_department(document.specific, tasks)
    require(watch is not None and permissions.can_report_progress(user, lead))
    progress = _cleaned(progress, field="progress", limit=PROGRESS_MAX, required=True)
    if not tasks:
        raise DocumentError(_("This document is closed; no more progress is reported."))
    watch.last_progress = progress
    watch.last_progress_at = timezone.now()
    watch.save(update_fields=["last_progress", "last_progress_at"])
    entry = trace.append(
        document,
        step=PROCESS_STEP,
        action=TraceEntry.Action.PROGRESS,
        actor=user,
        role="lead_department",
        opinion=progress,
        next_users=[watch.started_by],
    )
    with translation.override(settings.LANGUAGE_CODE):
        notify(
            watch.started_by,
            kind="workflow.supervision",
            title=_("Progress reported: %(title)s") % {"title": document.title},
            body=progress,
            url=selectors.document_url(document),
            source=entry,
        )
    return watch

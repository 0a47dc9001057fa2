"""公文 in the inbox: a task reaching its owner, a task due by the next working day, a task left
past its time (its document's deadline, or without one its urgency's time limit), the office's
urge (催办) and a document put under supervision (督办). Each counts as read once the task is
done (or moves to someone else). Circulation (传阅) sends its own: a document to read, and the
sender's reminder."""

from django.conf import settings
from django.db.models.signals import post_save
from django.dispatch import receiver
from django.utils import translation
from django.utils.translation import gettext_lazy as _
from viewflow.workflow.models import Task

from notifications.registry import NotificationKind, register
from notifications.selectors import already_notified
from notifications.services import notifications_settle, notify

from . import supervision
from .flows import FLOWS
from .permissions import deputies_of
from .registers import overdue_tasks
from .selectors import OPEN_STATUSES, task_url, without_unsubmitted_drafts
from .services import circulation
from .steps import task_step_title

NEW_TASK = register(NotificationKind(key="workflow.task", label=_("Documents to handle")))
OVERDUE_TASK = register(
    NotificationKind(key="workflow.overdue", label=_("Overdue documents"), email_default=True)
)
DUE_SOON_TASK = register(
    NotificationKind(key="workflow.due_soon", label=_("Documents due tomorrow"), email_default=True)
)
URGED_TASK = register(
    NotificationKind(key="workflow.urge", label=_("Urged documents"), email_default=True)
)
SUPERVISED_DOCUMENT = register(
    NotificationKind(key="workflow.supervision", label=_("Supervised documents"))
)
register(NotificationKind(key=circulation.TO_READ, label=_("Documents to read")))
register(NotificationKind(key=circulation.READ_REMINDER, label=_("Reminders to read")))


@receiver(post_save, sender=Task)
def tell_the_owner(sender, instance: Task, **kwargs):
    # Only the routed document flows: a task of any other flow has no screen to send its owner to.
    if instance.flow_task_type != "HUMAN" or instance.flow_task.flow_class not in FLOWS:
        return
    if instance.status not in OPEN_STATUSES or not instance.owner_id:
        notifications_settle(instance)
        return
    # Reassigned or delegated away: the former owner has nothing left to do. A deputy acting
    # for the owner today is told too, and keeps the notice while the task is open.
    deputies = deputies_of(instance.owner_id)
    notifications_settle(instance, keep_for=[instance.owner_id, *deputies])
    owner_told = already_notified(instance.owner_id, kind=NEW_TASK.key, source=instance)
    untold = [d for d in deputies if not already_notified(d, kind=NEW_TASK.key, source=instance)]
    if owner_told and not untold:
        return
    # A draft never submitted is the drafter's own work in hand, not a task to be told of.
    if not without_unsubmitted_drafts(Task.objects.filter(pk=instance.pk)).exists():
        return
    if not owner_told:
        _notify_tasks([instance], kind=NEW_TASK.key, title=_("To handle: %(step)s · %(title)s"))
    if untold:
        _notify_tasks(
            [instance],
            kind=NEW_TASK.key,
            title=_("To handle for %(leader)s: %(step)s · %(title)s"),
            recipients=untold,
        )


def overdue_reminders_send() -> int:
    """Tell the owners of open tasks due by the next working day, and of those past their
    document's deadline (without one, their urgency's time limit); once per task and kind, so
    it may run as often as cron likes (daily is enough)."""
    open_tasks = supervision.open_tasks()
    sent = _notify_tasks(
        list(supervision.due_soon(open_tasks)),
        kind=DUE_SOON_TASK.key,
        title=_("Due tomorrow: %(step)s · %(title)s"),
    )
    overdue = supervision.past_deadline(open_tasks) | overdue_tasks(open_tasks)
    return sent + _notify_tasks(
        list(overdue.distinct()),
        kind=OVERDUE_TASK.key,
        title=_("Overdue: %(step)s · %(title)s"),
    )


def _notify_tasks(tasks: list[Task], *, kind: str, title, recipients=None) -> int:
    """Tell each task's owner (or, given `recipients`, those users instead) of it."""
    documents = supervision.documents_of_tasks(tasks)
    sent = 0
    with translation.override(settings.LANGUAGE_CODE):
        for task in tasks:
            document = documents.get(task.process_id)
            text = str(title) % {
                "step": str(task_step_title(task)),
                "title": document.title if document else "",
                "leader": task.owner.name if recipients else "",
            }
            for recipient in recipients or [task.owner_id]:
                sent += notify(recipient, kind=kind, title=text, url=task_url(task), source=task)
    return sent

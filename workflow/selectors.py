"""Read paths over document processes."""

from viewflow.workflow.models import Task
from viewflow.workflow.status import STATUS


def _pending_tasks(user):
    return Task.objects.filter(owner=user, status__in=[STATUS.NEW, STATUS.ASSIGNED])


def pending_task_count(user) -> int:
    """Tasks waiting for this user (待办): the number in the header badge."""
    if not user.is_authenticated:
        return 0
    return _pending_tasks(user).count()


def pending_tasks_for(user, *, limit: int) -> list[Task]:
    if not user.is_authenticated:
        return []
    return list(_pending_tasks(user).select_related("process").order_by("-created")[:limit])

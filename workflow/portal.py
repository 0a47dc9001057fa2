"""The home page's to-do panel (我的待办)."""

from intranet.portal import PortalPanel, register

from .registers import to_read
from .selectors import pending_tasks_for, todo_counts

PENDING_TASKS_PANEL = "pending-tasks"
PENDING_TASKS_ON_HOME = 5


def pending_tasks_context(request) -> dict:
    return {
        "pending_tasks": pending_tasks_for(request.user, limit=PENDING_TASKS_ON_HOME),
        "to_read": to_read(request.user, limit=PENDING_TASKS_ON_HOME),
        "counts": todo_counts(request.user),
    }


register(
    PortalPanel(
        key=PENDING_TASKS_PANEL,
        order=10,
        template="workflow/portal/pending_tasks.html",
        context=pending_tasks_context,
    )
)

"""The home page's to-do panel (我的待办) and, for document clerks, the 待签收 block."""

from intranet.portal import PortalPanel, register

from . import selectors
from .navigation import is_file_clerk_anywhere
from .registers import to_read
from .selectors import pending_tasks_for, todo_counts
from .services.exchange import INBOX_PANEL

PENDING_TASKS_PANEL = "pending-tasks"
PENDING_TASKS_ON_HOME = 5


def pending_tasks_context(request) -> dict:
    reading = to_read(request.user, limit=PENDING_TASKS_ON_HOME)
    # Fewer rows than the panel shows are all of them: no query to count them.
    known = len(reading) if len(reading) < PENDING_TASKS_ON_HOME else None
    return {
        "pending_tasks": pending_tasks_for(request.user, limit=PENDING_TASKS_ON_HOME),
        "to_read": reading,
        "counts": todo_counts(request.user, to_read=known),
    }


register(
    PortalPanel(
        key=PENDING_TASKS_PANEL,
        order=10,
        template="workflow/portal/pending_tasks.html",
        context=pending_tasks_context,
    )
)


DELIVERIES_ON_HOME = 5


def deliveries_context(request) -> dict:
    deliveries = selectors.deliveries_to_sign_for(request.user)
    return {
        "deliveries": list(deliveries[:DELIVERIES_ON_HOME]),
        "deliveries_count": deliveries.count(),
    }


# The 待签收 block; the exchange's services mark it changed (INBOX_PANEL) on every delivery.
register(
    PortalPanel(
        key=INBOX_PANEL,
        order=12,
        template="workflow/portal/deliveries.html",
        context=deliveries_context,
        visible_to=is_file_clerk_anywhere,
    )
)

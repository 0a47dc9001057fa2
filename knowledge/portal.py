"""The home page's panel of the user's knowledge items due for review."""

from intranet.portal import PortalPanel, register

REVIEW_DUE_PANEL = "knowledge-review-due"
REVIEW_DUE_ON_HOME = 5


def review_due_context(request) -> dict:
    # Imported here: the services, which the selectors import, tell this panel of changes.
    from .selectors import items_due_for_review

    return {"due_items": items_due_for_review(request.user, limit=REVIEW_DUE_ON_HOME)}


register(
    PortalPanel(
        key=REVIEW_DUE_PANEL,
        order=20,
        template="knowledge/portal/review_due.html",
        context=review_due_context,
    )
)

from django import template

from ..selectors import items_due_for_review

register = template.Library()
REVIEW_DUE_ON_HOME = 5


@register.simple_tag(takes_context=True)
def knowledge_items_due(context) -> list:
    """The signed-in user's items due for review (one query), for the portal home page."""
    request = context.get("request")
    if request is None:
        return []
    return items_due_for_review(request.user, limit=REVIEW_DUE_ON_HOME)

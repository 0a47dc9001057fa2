from functools import partial

from django.conf import settings

from notifications.selectors import UNREAD_COUNT_CAP, unread_count_of_request

from .navigation import MAIN, USER, menu


def intranet(request):
    """What the shared layout needs on every page; each part is only computed if shown."""
    context = {
        "group_name": settings.INTRANET_GROUP_NAME,
        "site_title": settings.INTRANET_SITE_TITLE,
    }
    # Errors raised before the authentication middleware (e.g. a bad Host header) have no user.
    user = getattr(request, "user", None)
    if user is not None and user.is_authenticated:
        context["main_navigation"] = partial(menu, request, MAIN)
        context["user_menu"] = partial(menu, request, USER)
        context["unread_notification_count"] = partial(unread_count_of_request, request)
        context["unread_notification_cap"] = UNREAD_COUNT_CAP
    return context

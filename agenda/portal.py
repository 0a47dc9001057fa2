"""The home page's agenda panels: today's schedule, upcoming meetings and meeting replies due."""

from intranet.portal import PortalPanel, register

TODAY_PANEL = "agenda-today"
MEETINGS_PANEL = "agenda-meetings"
REPLIES_DUE_PANEL = "agenda-replies-due"
ON_HOME = 6


def _uses(module: str):
    def visible_to(user) -> bool:
        # Imported here: permissions reads the models, which are not ready when portals load.
        from .permissions import module_enabled_for

        return module_enabled_for(user, module)

    return visible_to


def today_context(request) -> dict:
    from .selectors import today_occurrences

    return {"occurrences": today_occurrences(request.user, ON_HOME)}


def meetings_context(request) -> dict:
    from .selectors import upcoming_meetings

    return {"meetings": upcoming_meetings(request.user, ON_HOME)}


def replies_due_context(request) -> dict:
    from .selectors import replies_due

    return {"invitations": replies_due(request.user, ON_HOME)}


register(
    PortalPanel(
        key=TODAY_PANEL,
        order=12,
        template="agenda/portal/today.html",
        context=today_context,
        visible_to=_uses("schedules"),
    )
)
register(
    PortalPanel(
        key=REPLIES_DUE_PANEL,
        order=11,
        template="agenda/portal/replies_due.html",
        context=replies_due_context,
        visible_to=_uses("meetings"),
    )
)
register(
    PortalPanel(
        key=MEETINGS_PANEL,
        order=13,
        template="agenda/portal/meetings.html",
        context=meetings_context,
        visible_to=_uses("meetings"),
    )
)

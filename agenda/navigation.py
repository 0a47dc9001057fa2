from django.utils.translation import gettext_lazy as _

from intranet.navigation import USER, MenuItem, register
from people.permissions import can_administer_any

from .permissions import MEETINGS, SCHEDULES, module_enabled_for


def _schedules_on(user) -> bool:
    return module_enabled_for(user, SCHEDULES)


def _only_meetings_on(user) -> bool:
    """A unit that switched schedules off still reaches its meetings from the menu."""
    return not module_enabled_for(user, SCHEDULES) and module_enabled_for(user, MEETINGS)


register(
    MenuItem(
        key="agenda",
        label=_("Agenda"),
        order=55,
        url_name="agenda:index",
        visible_to=_schedules_on,
        also_active_under=("/agenda/",),
    )
)
register(
    MenuItem(
        key="agenda-meetings",
        label=_("Agenda"),
        order=55,
        url_name="agenda:meetings",
        visible_to=_only_meetings_on,
        also_active_under=("/agenda/",),
    )
)
register(
    MenuItem(
        key="agenda-modules",
        label=_("Agenda modules"),
        order=55,
        menu=USER,
        url_name="agenda:modules",
        visible_to=can_administer_any,
    )
)
register(
    MenuItem(
        key="agenda-rooms",
        label=_("Meeting rooms"),
        order=56,
        menu=USER,
        url_name="agenda:rooms",
        visible_to=can_administer_any,
    )
)

"""Usage statistics in the user menu, for the group's and the units' administrators and offices."""

from django.utils.translation import gettext_lazy as _

from intranet.navigation import USER, MenuItem, register

from .permissions import may_see_stats

register(
    MenuItem(
        key="stats",
        label=_("Usage statistics"),
        order=70,
        menu=USER,
        url_name="stats:index",
        visible_to=may_see_stats,
    )
)

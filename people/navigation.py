from django.utils.translation import gettext_lazy as _

from intranet.navigation import USER, MenuItem, register

from .permissions import can_administer_any

register(MenuItem(key="directory", label=_("Directory"), order=60, url_name="people:directory"))
register(
    MenuItem(key="profile", label=_("My profile"), order=10, menu=USER, url_name="people:profile")
)
register(
    MenuItem(
        key="directory-menu",
        label=_("Directory"),
        order=20,
        menu=USER,
        url_name="people:directory",
    )
)
register(
    MenuItem(
        key="requests",
        label=_("My permission requests"),
        order=30,
        menu=USER,
        url_name="people:request_list",
    )
)
register(
    MenuItem(
        key="administration",
        label=_("Administration"),
        order=50,
        menu=USER,
        url_name="people:user_list",
        visible_to=can_administer_any,
    )
)

from django.utils.translation import gettext_lazy as _

from intranet.navigation import USER, MenuItem, register

register(
    MenuItem(
        key="notification-settings",
        label=_("Notification settings"),
        order=40,
        menu=USER,
        url_name="notifications:preferences",
    )
)

from django.utils.translation import gettext_lazy as _

from intranet.navigation import USER, MenuItem, register

from .permissions import can_edit_any_template

register(
    MenuItem(
        key="redhead",
        label=_("Red-head templates"),
        order=70,
        menu=USER,
        url_name="redhead:template_edit",
        visible_to=can_edit_any_template,
    )
)

from django.utils.translation import gettext_lazy as _

from intranet.navigation import USER, MenuItem, register

from .permissions import can_manage_any_numbering

register(
    MenuItem(
        key="numbering",
        label=_("Document numbering"),
        order=60,
        menu=USER,
        url_name="numbering:prefix_list",
        visible_to=can_manage_any_numbering,
    )
)

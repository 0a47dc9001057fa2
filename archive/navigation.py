"""The archive's entries in the header: the 档案 menu for archivists (待归档, 归档文件目录, 设置 are
linked from its screens), and the use screens (requests to decide, the access log, the review,
destruction) for the units' archivists and administrators. Staff reach their own requests from an
item's page and their notifications."""

from django.utils.translation import gettext_lazy as _

from intranet.navigation import USER, MenuItem, register

from .permissions import archivist_unit_ids, destruction_unit_ids, is_archivist_anywhere

register(
    MenuItem(
        key="archive",
        label=_("Archive"),
        order=56,
        url_name="archive:index",
        visible_to=is_archivist_anywhere,
    )
)
register(
    MenuItem(
        key="archive-catalogue",
        label=_("Archive catalogue"),
        order=44,
        menu=USER,
        url_name="archive:catalogue_index",
        visible_to=lambda user: bool(archivist_unit_ids(user)),
    )
)
register(
    MenuItem(
        key="archive-use",
        label=_("Archive use"),
        order=45,
        menu=USER,
        url_name="archive:requests",
        visible_to=lambda user: bool(destruction_unit_ids(user)),
    )
)

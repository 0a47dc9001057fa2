"""The archive's menu (档案) for archivists; its screens link 待归档, 归档文件目录 and 设置."""

from django.utils.translation import gettext_lazy as _

from intranet.navigation import MenuItem, register

from .permissions import is_archivist_anywhere

register(
    MenuItem(
        key="archive",
        label=_("Archive"),
        order=56,
        url_name="archive:index",
        visible_to=is_archivist_anywhere,
    )
)

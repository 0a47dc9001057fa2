from django.utils.translation import gettext_lazy as _

from intranet.navigation import USER, MenuItem, register
from people.models import Role
from people.permissions import held_roles

register(MenuItem(key="documents", label=_("Documents"), order=50, url_name="workflow:index"))


def is_file_clerk_anywhere(user) -> bool:
    """Cheap (roles cached per request): whether to offer the 待签收 list at all."""
    return Role.FILE_CLERK in held_roles(user)


register(
    MenuItem(
        key="deliveries",
        label=_("To sign for"),
        order=58,
        menu=USER,
        url_name="gongwen:deliveries",
        visible_to=is_file_clerk_anywhere,
    )
)

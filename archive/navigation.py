"""The archive's entries in the header. archive-use: the access requests page, every user's way
to their requests and, for archivists and unit administrators, to the review and destruction."""

from django.utils.translation import gettext_lazy as _

from intranet.navigation import USER, MenuItem, register

register(
    MenuItem(
        key="archive-requests",
        label=_("Archive requests"),
        order=45,
        menu=USER,
        url_name="archive:requests",
        visible_to=lambda user: user.is_authenticated,
    )
)

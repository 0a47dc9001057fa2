"""The archive's entries in the header. archive-use: the use screens (requests to decide, the
access log, the review, destruction) for the units' archivists and administrators; staff reach
their own requests from an item's page and their notifications."""

from django.utils.translation import gettext_lazy as _

from intranet.navigation import USER, MenuItem, register

from .permissions import destruction_unit_ids

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

"""The archive in the inbox: an access request to decide (to the unit's archivists), its
decision (to the requester), and a destruction to approve or its outcome."""

from django.utils.translation import gettext_lazy as _

from notifications.registry import NotificationKind, register

ACCESS_REQUESTED = register(
    NotificationKind(key="archive.access_requested", label=_("Archive requests to decide"))
)
ACCESS_DECIDED = register(
    NotificationKind(key="archive.access_decided", label=_("Decisions on my archive requests"))
)
DESTRUCTION = register(
    NotificationKind(key="archive.destruction", label=_("Archive destruction approvals"))
)

from django.utils.translation import gettext_lazy as _

from notifications.registry import NotificationKind, register

MEETING_INVITED = register(
    NotificationKind(key="agenda.meeting_invited", label=_("Meeting invitations"))
)
MEETING_CANCELLED = register(
    NotificationKind(key="agenda.meeting_cancelled", label=_("Meetings cancelled"))
)

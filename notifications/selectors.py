"""Read paths of the inbox, each one bounded query."""

from django.db.models import QuerySet

from .models import Notification
from .services import source_key

# The header shows "99+" beyond this: counting stops there, however full the inbox.
UNREAD_COUNT_CAP = 100


def unread_count(user) -> int:
    """Unread notifications of the user, counted up to UNREAD_COUNT_CAP (one indexed query)."""
    if not user.is_authenticated:
        return 0
    return Notification.objects.filter(recipient=user, read_at__isnull=True)[
        :UNREAD_COUNT_CAP
    ].count()


def inbox(user, *, kind: str = "", unread: bool = False) -> QuerySet[Notification]:
    notifications = Notification.objects.filter(recipient=user)
    if kind:
        notifications = notifications.filter(kind=kind)
    if unread:
        notifications = notifications.filter(read_at__isnull=True)
    return notifications.order_by("-created_at", "-id")


def own_notification(user, pk: int) -> Notification | None:
    return Notification.objects.filter(recipient=user, pk=pk).first()


def already_notified(recipient_id: int, *, kind: str, source) -> bool:
    return Notification.objects.filter(
        recipient_id=recipient_id, kind=kind, source_key=source_key(source)
    ).exists()

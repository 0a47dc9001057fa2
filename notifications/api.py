"""The user's own inbox in the JSON API (mounted by intranet/api.py). Nobody reaches another's
notifications: every lookup is by the signed-in recipient, so a foreign id answers 404."""

from datetime import datetime

from django.http import Http404
from ninja import Query, Router, Schema
from ninja.pagination import paginate

from intranet.converters import ObjectId
from intranet.paging import PageNumber

from . import selectors, services
from .registry import kind_label

router = Router(tags=["notifications"])


class InboxQuery(Schema):
    kind: str = ""
    unread: bool = False


class NotificationOut(Schema):
    id: int
    kind: str
    kind_label: str
    title: str
    body: str
    url: str
    created_at: datetime
    read: bool

    @staticmethod
    def resolve_kind_label(notification) -> str:
        return kind_label(notification.kind)

    @staticmethod
    def resolve_read(notification) -> bool:
        return notification.read_at is not None


class UnreadCountOut(Schema):
    unread: int
    # The count stops at this cap; the header shows "99+".
    capped_at: int


class MarkedOut(Schema):
    marked: int


@router.get("", response=list[NotificationOut], summary="The user's notifications, newest first")
@paginate(PageNumber)
def notification_list(request, filters: Query[InboxQuery]):
    return selectors.inbox(request.user, kind=filters.kind, unread=filters.unread)


@router.get("/unread-count", response=UnreadCountOut, summary="How many are unread")
def unread_count(request):
    return {"unread": selectors.unread_count(request.user), "capped_at": selectors.UNREAD_COUNT_CAP}


@router.post("/{notification_id}/read", response=MarkedOut, summary="Mark one as read")
def mark_read(request, notification_id: ObjectId):
    notification = selectors.own_notification(request.user, notification_id)
    if notification is None:
        raise Http404
    services.notification_mark_read(user=request.user, notification=notification)
    return {"marked": 1}


@router.post("/read-all", response=MarkedOut, summary="Mark all (of a kind) as read")
def mark_all_read(request, filters: Query[InboxQuery]):
    return {"marked": services.notifications_mark_all_read(user=request.user, kind=filters.kind)}

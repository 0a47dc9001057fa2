"""Read paths of the inbox, each one bounded query."""

from django.db import connections, router
from django.db.models import QuerySet

from core import page_cache

from .models import Notification
from .services import source_key

# The header shows "99+" beyond this: counting stops there, however full the inbox.
UNREAD_COUNT_CAP = 100


def unread_count(user) -> int:
    """Unread notifications of the user, counted up to UNREAD_COUNT_CAP (one indexed query).

    The header asks on every page: the query's SQL is built once per database connection, which
    costs less than building it with the ORM each time."""
    if not user.is_authenticated:
        return 0
    alias = router.db_for_read(Notification)
    connection = connections[alias]
    sql = getattr(connection, _UNREAD_COUNT_SQL_ATTRIBUTE, None)
    if sql is None:
        sql = _unread_count_sql(alias)
        setattr(connection, _UNREAD_COUNT_SQL_ATTRIBUTE, sql)
    # Part of every kept page's key (unread_count_of_request), so not a dependency of the page.
    with page_cache.not_a_dependency(), connection.cursor() as cursor:
        cursor.execute(sql, (user.pk,))
        return cursor.fetchone()[0]


def unread_count_of_request(request) -> int:
    """Counted once per request: for the kept page's key (core.page_cache), then the header."""
    if not hasattr(request, "_unread_notification_count"):
        request._unread_notification_count = unread_count(request.user)
    return request._unread_notification_count


_UNREAD_COUNT_SQL_ATTRIBUTE = "_notifications_unread_count_sql"


def _unread_count_sql(alias: str) -> str:
    # A stand-in recipient: the SQL's only parameter, given on each count.
    unread = Notification.objects.using(alias).filter(recipient_id=0, read_at__isnull=True)
    query = unread.order_by().values("pk")[:UNREAD_COUNT_CAP].query
    sql, parameters = query.get_compiler(alias).as_sql()
    if list(parameters) != [0]:
        raise ValueError(f"Unexpected parameters for the unread count: {parameters!r}")
    return f"SELECT COUNT(*) FROM ({sql}) unread"


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

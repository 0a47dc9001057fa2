"""Every app sends its notifications through `notify`; users read and tidy their inbox here."""

from collections.abc import Iterable
from datetime import timedelta
from functools import partial

from django.conf import settings
from django.db import models, transaction
from django.utils import timezone

from people.models import User

from .models import Notification, NotificationPreference
from .registry import get_kind, kinds
from .tasks import send_notification_emails

PRUNE_BATCH = 5000
BATCH = 1000


def source_key(source: models.Model) -> str:
    return f"{source._meta.label_lower}:{source.pk}"


def email_enabled() -> bool:
    return bool(settings.EMAIL_HOST)


def _recipient_ids(recipients) -> set[int]:
    if isinstance(recipients, (User, int)):
        recipients = [recipients]
    if isinstance(recipients, models.QuerySet):
        return set(recipients.values_list("pk", flat=True))
    return {r if isinstance(r, int) else r.pk for r in recipients}


def notify(
    recipients: User | int | Iterable[User | int] | models.QuerySet,
    *,
    kind: str,
    title: str,
    url: str = "",
    body: str = "",
    source: models.Model | None = None,
) -> int:
    """Put a notification into each recipient's inbox, in the caller's transaction; the e-mails of
    those who want them leave after it commits. With a `source`, a recipient gets one
    notification of the kind for it, however often this is called. Returns how many were new."""
    email_default = get_kind(kind).email_default
    key = source_key(source) if source is not None else ""
    ids = sorted(_recipient_ids(recipients))
    now = timezone.now()
    created = 0
    # In batches: an audience may be the whole group, beyond a database's bound on parameters.
    for start in range(0, len(ids), BATCH):
        batch = set(ids[start : start + BATCH])
        if key:
            batch -= set(
                Notification.objects.filter(
                    kind=kind, source_key=key, recipient_id__in=batch
                ).values_list("recipient_id", flat=True)
            )
        if not batch:
            continue
        Notification.objects.bulk_create(
            [
                Notification(
                    recipient_id=recipient_id,
                    kind=kind,
                    title=title[:300],
                    body=body,
                    url=url,
                    source_key=key,
                    created_at=now,
                )
                for recipient_id in sorted(batch)
            ],
            # A concurrent sender may have put the same one in first; it stays the only one.
            ignore_conflicts=bool(key),
        )
        created += len(batch)
        wanted = _wanting_email(batch, kind, email_default) if email_enabled() else []
        if wanted:
            transaction.on_commit(
                partial(
                    send_notification_emails.enqueue,
                    user_ids=sorted(wanted),
                    title=title,
                    body=body,
                    url=url,
                )
            )
    return created


def _wanting_email(user_ids: set[int], kind: str, default: bool) -> list[int]:
    chosen = dict(
        NotificationPreference.objects.filter(kind=kind, user_id__in=user_ids).values_list(
            "user_id", "email"
        )
    )
    return [user_id for user_id in user_ids if chosen.get(user_id, default)]


def notification_mark_read(*, user: User, notification: Notification) -> None:
    """Only the recipient's own, and only the first reading counts."""
    Notification.objects.filter(pk=notification.pk, recipient=user, read_at__isnull=True).update(
        read_at=timezone.now()
    )


def notifications_mark_all_read(*, user: User, kind: str = "") -> int:
    unread = Notification.objects.filter(recipient=user, read_at__isnull=True)
    if kind:
        unread = unread.filter(kind=kind)
    return unread.update(read_at=timezone.now())


def notifications_settle(source: models.Model, *, kind: str | None = None, keep_for=None) -> int:
    """What the notifications of `source` announced is over (a task done): they count as read.
    `keep_for`: a user, or users, whose notification still holds (the task's current owner and
    their deputies)."""
    unread = Notification.objects.filter(source_key=source_key(source), read_at__isnull=True)
    if kind:
        unread = unread.filter(kind=kind)
    if keep_for is not None:
        kept = [keep_for] if isinstance(keep_for, int) else list(keep_for)
        unread = unread.exclude(recipient_id__in=kept)
    return unread.update(read_at=timezone.now())


@transaction.atomic
def preferences_update(*, user: User, email_kinds: Iterable[str]) -> None:
    """The kinds the user wants by e-mail; every other kind reaches only the inbox."""
    email_kinds = set(email_kinds)
    for kind in kinds():
        NotificationPreference.objects.update_or_create(
            user=user, kind=kind.key, defaults={"email": kind.key in email_kinds}
        )


def notifications_prune(*, days: int | None = None, now=None) -> int:
    """Delete read notifications older than the retention, in batches; unread ones stay."""
    days = settings.NOTIFICATIONS_RETENTION_DAYS if days is None else days
    cutoff = (now or timezone.now()) - timedelta(days=days)
    old = Notification.objects.filter(read_at__isnull=False, read_at__lt=cutoff)
    deleted = 0
    while batch := list(old.values_list("pk", flat=True)[:PRUNE_BATCH]):
        deleted += Notification.objects.filter(pk__in=batch).delete()[0]
    return deleted

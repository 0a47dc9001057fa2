"""notify(): one inbox per user, one notification per source, sent in the caller's transaction;
e-mail only when SMTP is configured and as each user chooses; reading, settling, pruning."""

from datetime import timedelta

import pytest
from django.core import mail
from django.core.management import call_command
from django.db import transaction
from django.utils import timezone

from notifications import services
from notifications.models import Notification, NotificationPreference
from notifications.selectors import UNREAD_COUNT_CAP, unread_count
from notifications.services import (
    notification_mark_read,
    notifications_mark_all_read,
    notifications_prune,
    notifications_settle,
    notify,
    preferences_update,
)
from notifications.tasks import prune_notifications
from people.models import PermissionRequest
from tests.factories import UserFactory

from .conftest import TEST_KIND

pytestmark = pytest.mark.django_db


def test_each_recipient_gets_one_in_their_own_inbox(staff, other):
    assert notify([staff, other.pk], kind=TEST_KIND, title="会议通知", url="/x/") == 2

    assert sorted(Notification.objects.values_list("recipient_id", flat=True)) == sorted(
        [staff.pk, other.pk]
    )
    assert unread_count(staff) == 1 and unread_count(other) == 1


def test_a_source_is_announced_once_per_recipient(staff, other):
    source = PermissionRequest.objects.create(requester=staff, role="file_clerk", reason="r")
    assert notify(staff, kind=TEST_KIND, title="甲", source=source) == 1
    assert notify([staff, other], kind=TEST_KIND, title="甲", source=source) == 1
    assert notify(staff, kind=TEST_KIND, title="甲", source=source) == 0
    assert Notification.objects.filter(recipient=staff).count() == 1
    # Without a source, each call is its own message.
    notify(staff, kind=TEST_KIND, title="乙")
    notify(staff, kind=TEST_KIND, title="乙")
    assert Notification.objects.filter(recipient=staff, source_key="").count() == 2


def test_an_unregistered_kind_is_refused(staff):
    with pytest.raises(LookupError):
        notify(staff, kind="nobody.registered", title="x")
    assert not Notification.objects.exists()


def test_sending_is_part_of_the_callers_transaction(staff):
    with pytest.raises(RuntimeError), transaction.atomic():
        notify(staff, kind=TEST_KIND, title="x")
        raise RuntimeError
    assert not Notification.objects.exists()


def test_a_large_audience_is_inserted_in_batches(staff, monkeypatch, django_assert_num_queries):
    """Bounded per batch (an existence check and one insert), never a query per user."""
    monkeypatch.setattr(services, "BATCH", 2)
    users = [staff, *UserFactory.create_batch(4)]
    source = PermissionRequest.objects.create(requester=staff, role="file_clerk", reason="r")
    with django_assert_num_queries(6):
        assert notify(users, kind=TEST_KIND, title="全员", source=source) == 5
    assert Notification.objects.count() == 5


@pytest.mark.parametrize("smtp", [False, True])
def test_email_only_with_smtp_and_by_choice(
    staff, other, settings, smtp, django_capture_on_commit_callbacks
):
    settings.EMAIL_HOST = "smtp.example.invalid" if smtp else ""
    staff.email = "zhangsan@example.invalid"
    staff.save()
    preferences_update(user=staff, email_kinds=[TEST_KIND])  # other keeps the default: no e-mail

    with django_capture_on_commit_callbacks(execute=True):
        notify([staff, other], kind=TEST_KIND, title="会议通知", body="下午三点", url="/x/")

    assert Notification.objects.count() == 2  # the inbox always
    if not smtp:
        assert mail.outbox == []
        return
    (message,) = mail.outbox
    assert message.to == ["zhangsan@example.invalid"]
    assert message.subject == "会议通知"
    assert "下午三点" in message.body and message.body.endswith("/x/")


def test_no_email_leaves_before_the_commit(staff, settings, django_capture_on_commit_callbacks):
    settings.EMAIL_HOST = "smtp.example.invalid"
    staff.email = "zhangsan@example.invalid"
    staff.save()
    preferences_update(user=staff, email_kinds=[TEST_KIND])
    with django_capture_on_commit_callbacks(execute=False) as callbacks:
        notify(staff, kind=TEST_KIND, title="x")
    assert mail.outbox == [] and len(callbacks) == 1


def test_preferences_store_a_choice_for_every_kind(staff, memo_kind):
    preferences_update(user=staff, email_kinds=[])
    assert NotificationPreference.objects.get(user=staff, kind=TEST_KIND).email is False
    preferences_update(user=staff, email_kinds=[TEST_KIND])
    assert NotificationPreference.objects.get(user=staff, kind=TEST_KIND).email is True


def test_only_the_recipient_marks_read(staff, other):
    notify(staff, kind=TEST_KIND, title="x")
    notification = Notification.objects.get()

    notification_mark_read(user=other, notification=notification)
    notification.refresh_from_db()
    assert notification.read_at is None

    notification_mark_read(user=staff, notification=notification)
    notification.refresh_from_db()
    first = notification.read_at
    assert first is not None
    notification_mark_read(user=staff, notification=notification)
    notification.refresh_from_db()
    assert notification.read_at == first  # the first reading counts


def test_mark_all_read_touches_only_the_users_own_and_the_chosen_kind(staff, other, memo_kind):
    notify([staff, other], kind=TEST_KIND, title="x")
    notify(staff, kind="people.request_decided", title="y")

    assert notifications_mark_all_read(user=staff, kind=TEST_KIND) == 1
    assert unread_count(staff) == 1
    assert notifications_mark_all_read(user=staff) == 1
    assert unread_count(staff) == 0
    assert unread_count(other) == 1


def test_settling_a_source_reads_its_notifications_except_the_kept_ones(staff, other):
    source = PermissionRequest.objects.create(requester=staff, role="file_clerk", reason="r")
    notify([staff, other], kind=TEST_KIND, title="x", source=source)

    assert notifications_settle(source, keep_for=staff.pk) == 1
    assert unread_count(staff) == 1 and unread_count(other) == 0
    assert notifications_settle(source) == 1
    assert unread_count(staff) == 0


def test_the_unread_count_stops_at_its_cap(staff, django_assert_num_queries):
    notify(staff, kind=TEST_KIND, title="x")
    Notification.objects.bulk_create(
        [Notification(recipient=staff, kind=TEST_KIND, title=str(n)) for n in range(150)]
    )
    with django_assert_num_queries(1):
        assert unread_count(staff) == UNREAD_COUNT_CAP


def test_prune_deletes_old_read_ones_and_keeps_unread_and_recent(staff, settings):
    now = timezone.now()
    old = now - timedelta(days=settings.NOTIFICATIONS_RETENTION_DAYS + 1)
    Notification.objects.bulk_create(
        [
            Notification(recipient=staff, kind=TEST_KIND, title="old read", read_at=old),
            Notification(recipient=staff, kind=TEST_KIND, title="old unread", created_at=old),
            Notification(recipient=staff, kind=TEST_KIND, title="recent read", read_at=now),
        ]
    )
    assert notifications_prune() == 1
    assert sorted(Notification.objects.values_list("title", flat=True)) == [
        "old unread",
        "recent read",
    ]
    assert notifications_prune(days=0, now=now + timedelta(seconds=1)) == 1


def test_the_command_and_the_task_prune(staff, settings):
    old = timezone.now() - timedelta(days=settings.NOTIFICATIONS_RETENTION_DAYS + 1)
    Notification.objects.create(recipient=staff, kind=TEST_KIND, title="a", read_at=old)
    call_command("prune_notifications", stdout=open("/dev/null", "w"))  # noqa: SIM115
    assert not Notification.objects.exists()
    Notification.objects.create(recipient=staff, kind=TEST_KIND, title="b", read_at=old)
    prune_notifications.enqueue()
    assert not Notification.objects.exists()

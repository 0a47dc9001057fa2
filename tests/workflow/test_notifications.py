"""公文 in the inbox: a task reaching its owner is one notification, read once the task is done
or moved to someone else; tasks past their time limit are announced once."""

from datetime import timedelta

from django.core.management import call_command
from django.urls import reverse

from notifications.models import Notification
from tests.factories.documents import act, draft_document, open_task
from workflow import services
from workflow.tasks import send_overdue_reminders


def inbox(user, kind="workflow.task"):
    return Notification.objects.filter(recipient=user, kind=kind)


def test_a_task_assigned_reaches_its_owner_once(office):
    document = draft_document(office, title="关于召开安全例会的通知")
    act(document, office)  # draft → check, at the department head
    task = open_task(document)

    (notification,) = inbox(office.production_head)
    assert notification.title == "待办：核稿 ·《关于召开安全例会的通知》"
    assert notification.url == reverse(
        "workflow:documents:flows:outgoing:check:execute", args=[task.process_id, task.pk]
    )
    assert notification.read_at is None
    task.save()  # saved again (e.g. opened): still one
    assert inbox(office.production_head).count() == 1


def test_nobody_else_is_told(office):
    document = draft_document(office)
    act(document, office)
    told = set(Notification.objects.values_list("recipient_id", flat=True))
    # The drafter's own draft task counts for the drafter; the head's check for the head.
    assert told <= {office.drafter.pk, office.production_head.pk}
    assert not inbox(office.outsider).exists() and not inbox(office.verifier).exists()


def test_the_notification_is_read_once_the_task_is_done(office):
    document = draft_document(office)
    act(document, office)
    act(document, office)  # the head checks: their task is done, the verifier's begins

    assert inbox(office.production_head).get().read_at is not None
    assert inbox(office.verifier).get().read_at is None


def test_a_reassigned_task_moves_its_notification(office):
    document = draft_document(office)
    act(document, office)
    task = open_task(document)

    services.task_reassign(
        task=task, user=office.process_admin, to_user=office.second_leader, reason="出差"
    )

    assert inbox(office.production_head).get().read_at is not None
    assert inbox(office.second_leader).get().read_at is None


def test_overdue_tasks_are_announced_once(office):
    document = draft_document(office, title="关于召开安全例会的通知")
    act(document, office)
    task = open_task(document)
    assert send_overdue_reminders.enqueue().return_value == 0  # not overdue yet

    type(task).objects.filter(pk=task.pk).update(created=task.created - timedelta(days=30))
    call_command("overdue_reminders", stdout=open("/dev/null", "w"))  # noqa: SIM115
    send_overdue_reminders.enqueue()

    (notification,) = inbox(office.production_head, kind="workflow.overdue")
    assert notification.title == "已超期：核稿 ·《关于召开安全例会的通知》"
    assert not inbox(office.drafter, kind="workflow.overdue").exists()


def _delegate(office, *, revoked=False):
    from django.utils import timezone

    today = timezone.localdate()
    delegation = services.delegation_create(
        user=office.production_head,
        leader=office.production_head,
        deputy=office.second_leader,
        starts_on=today,
        ends_on=today + timedelta(days=3),
    )
    if revoked:
        services.delegation_revoke(delegation=delegation, user=office.production_head)


def test_a_deputy_is_told_of_the_leaders_task_and_it_is_read_once_done(office):
    _delegate(office)
    document = draft_document(office, title="关于召开安全例会的通知")
    act(document, office)  # draft → check, at the department head, who delegated to a deputy

    (told,) = inbox(office.second_leader)
    assert (
        told.title == f"待办（代{office.production_head.name}）：核稿 ·《关于召开安全例会的通知》"
    )
    assert told.url == inbox(office.production_head).get().url
    open_task(document).save()  # saved again: still one each
    assert inbox(office.second_leader).count() == 1 and told.read_at is None

    act(document, office)  # the head checks it: the deputy has nothing left to do either
    assert inbox(office.second_leader).get().read_at is not None


def test_a_revoked_delegation_tells_the_deputy_nothing(office):
    _delegate(office, revoked=True)
    document = draft_document(office)
    act(document, office)
    assert not inbox(office.second_leader).exists()
    assert inbox(office.production_head).count() == 1

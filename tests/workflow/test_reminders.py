"""Reminders of deadlines (办理时限): the owner of each open task of a document with a deadline
is told on the last working day before it and once it has passed, in the inbox and by e-mail
when configured, once per task and kind however often the command runs."""

from datetime import date, datetime, time
from unittest import mock

import pytest
from django.core.management import call_command
from django.utils import timezone

from notifications.models import Notification
from tests.factories.documents import act, draft_document, open_task
from workflow.models import Document
from workflow.tasks import send_overdue_reminders

DUE_SOON = "workflow.due_soon"
OVERDUE = "workflow.overdue"


def on(day: date):
    """Travel to 10 o'clock on `day`, local time."""
    moment = timezone.make_aware(datetime.combine(day, time(10)))
    return mock.patch("django.utils.timezone.now", return_value=moment)


def run_reminders() -> None:
    call_command("overdue_reminders", stdout=open("/dev/null", "w"))  # noqa: SIM115


def inbox(user, kind):
    return Notification.objects.filter(recipient=user, kind=kind)


@pytest.fixture
def checking(office):
    """A document waiting at the department head's check, due Tue 24 Feb 2026 (the first
    working day after the Spring Festival)."""
    document = draft_document(office, title="关于春节后复工检查的通知")
    act(document, office)
    Document.objects.filter(pk=document.pk).update(deadline=date(2026, 2, 24))
    return document


def test_told_on_the_last_working_day_before_the_deadline(office, checking):
    with on(date(2026, 2, 13)):  # Friday: Sat 14 (调休) is still a working day before it
        run_reminders()
    assert not inbox(office.production_head, DUE_SOON).exists()

    with on(date(2026, 2, 14)):  # the make-up Saturday: the next working day is the 24th
        run_reminders()
        run_reminders()
        send_overdue_reminders.enqueue()

    (notification,) = inbox(office.production_head, DUE_SOON)
    assert notification.title == "明日到期：核稿 ·《关于春节后复工检查的通知》"
    assert notification.url.endswith(f"/check/{open_task(checking).pk}/execute/")
    assert not inbox(office.production_head, OVERDUE).exists()


def test_told_once_when_overdue_and_not_on_the_day_itself(office, checking):
    with on(date(2026, 2, 24)):
        run_reminders()
    assert not inbox(office.production_head, OVERDUE).exists()

    for day in (date(2026, 2, 25), date(2026, 2, 26)):
        with on(day):
            run_reminders()
            send_overdue_reminders.enqueue()

    (notification,) = inbox(office.production_head, OVERDUE)
    assert notification.title == "已超期：核稿 ·《关于春节后复工检查的通知》"


def test_only_the_owner_of_the_open_task_is_told(office, checking):
    with on(date(2026, 2, 25)):
        run_reminders()
    told = set(Notification.objects.filter(kind=OVERDUE).values_list("recipient_id", flat=True))
    assert told == {office.production_head.pk}


def test_a_done_task_is_not_reminded(office, checking):
    act(checking, office)  # the head checks; the verifier's task begins
    Document.objects.filter(pk=checking.pk).update(deadline=date(2026, 2, 20))
    with on(date(2026, 2, 25)):
        run_reminders()
    assert not inbox(office.production_head, OVERDUE).exists()
    assert inbox(office.verifier, OVERDUE).count() == 1


def test_a_document_without_deadline_is_not_due_soon(office):
    document = draft_document(office)
    act(document, office)
    with on(timezone.localdate()):
        run_reminders()
    assert not Notification.objects.filter(kind=DUE_SOON).exists()


def test_e_mail_when_configured_and_the_owner_has_an_address(
    office, checking, settings, mailoutbox, django_capture_on_commit_callbacks
):
    settings.EMAIL_HOST = "mail.example.invalid"
    settings.EMAIL_BACKEND = "django.core.mail.backends.locmem.EmailBackend"
    with on(date(2026, 2, 25)), django_capture_on_commit_callbacks(execute=True):
        run_reminders()
    assert [message.to for message in mailoutbox] == [[office.production_head.email]]
    assert "已超期" in mailoutbox[0].subject

    with on(date(2026, 2, 26)), django_capture_on_commit_callbacks(execute=True):
        run_reminders()
    assert len(mailoutbox) == 1  # once per task and kind


def test_no_e_mail_without_an_address_or_without_a_mail_server(
    office, checking, settings, mailoutbox, django_capture_on_commit_callbacks
):
    with on(date(2026, 2, 25)), django_capture_on_commit_callbacks(execute=True):
        run_reminders()  # EMAIL_HOST is empty in the test settings
    assert mailoutbox == []

    type(office.verifier).objects.filter(pk=office.verifier.pk).update(email="")
    act(checking, office)
    settings.EMAIL_HOST = "mail.example.invalid"
    settings.EMAIL_BACKEND = "django.core.mail.backends.locmem.EmailBackend"
    with on(date(2026, 2, 25)), django_capture_on_commit_callbacks(execute=True):
        run_reminders()
    assert inbox(office.verifier, OVERDUE).count() == 1
    assert mailoutbox == []

"""A notice reaches its audience's inboxes when it is published. The fan-out runs as a background
task after the publish commits: an audience of the whole group is every account."""

from django.db import transaction
from django.dispatch import receiver
from django.utils.translation import gettext_lazy as _
from wagtail.signals import page_published

from notifications.registry import NotificationKind, register

from .models import NoticePage

NOTICE = register(NotificationKind(key="home.notice", label=_("Notices")))


@receiver(page_published, sender=NoticePage)
def announce_the_notice(sender, instance: NoticePage, **kwargs):
    from .tasks import notify_notice_audience

    notice_id = instance.pk
    transaction.on_commit(lambda: notify_notice_audience.enqueue(notice_id))

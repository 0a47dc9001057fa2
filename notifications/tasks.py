"""Background work of the inbox (django-tasks)."""

from django.conf import settings
from django.core.mail import EmailMessage, get_connection
from django_tasks import task

from people.models import User


@task()
def send_notification_emails(*, user_ids: list[int], title: str, body: str, url: str) -> int:
    """One e-mail per recipient with an address; returns how many were sent."""
    link = f"{settings.WAGTAILADMIN_BASE_URL.rstrip('/')}{url}" if url.startswith("/") else url
    text = "\n\n".join(part for part in (body, link) if part)
    addresses = User.objects.filter(pk__in=user_ids, is_active=True).exclude(email="")
    messages = [
        EmailMessage(subject=title, body=text, to=[email])
        for email in addresses.values_list("email", flat=True)
    ]
    return get_connection().send_messages(messages) or 0


@task()
def prune_notifications() -> int:
    """Delete old read notifications (NOTIFICATIONS_RETENTION_DAYS); run it daily."""
    from .services import notifications_prune

    return notifications_prune()

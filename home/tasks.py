"""Background work of publishing (django-tasks)."""

from django_tasks import task


@task()
def notify_notice_audience(notice_id: int) -> int:
    """Put a published notice into its audience's inboxes (once per user, however often it is
    republished); returns how many were new."""
    from .services import notice_announce

    return notice_announce(notice_id)

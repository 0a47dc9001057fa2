"""Background work of the knowledge center (django-tasks)."""

from django_tasks import task


@task()
def extract_file_version(version_id: int) -> str:
    """Extract the text of an uploaded file version; the outcome is stored on the version."""
    from .services import version_extract

    version = version_extract(version_id)
    return version.extraction_status if version else "missing"


@task()
def send_review_reminders() -> int:
    """Remind owners of items due for review (at most once a day each); run it daily."""
    from .services import review_reminders_send

    return review_reminders_send()

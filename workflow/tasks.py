"""Background work of 公文 (django-tasks)."""

from django_tasks import task


@task()
def send_overdue_reminders() -> int:
    """Tell owners of tasks due by the next working day or past their time limit (once per
    task and kind); run it daily."""
    from .notifications import overdue_reminders_send

    return overdue_reminders_send()


@task()
def read_incoming_scan(document_id: int) -> str:
    """Read the text of a registered paper document's scan (OCR); the outcome is stored on it."""
    from .services.paper import scan_read

    document = scan_read(document_id)
    return document.ocr_status if document else "missing"

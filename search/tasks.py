"""Background jobs of the search index."""

from django_tasks import default_task_backend, task

from . import sync


@task
def drain_search_outbox() -> dict:
    """Send the queued index work; if the index is unreachable, come back when the backoff ends."""
    report = sync.drain()
    if report.retry_at and default_task_backend.supports_defer:
        drain_search_outbox.using(run_after=report.retry_at).enqueue()
    return report.as_dict()

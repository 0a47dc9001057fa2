from django_tasks import task

from .services import rollup_pending


@task()
def stats_rollup() -> int:
    """Roll up the days not yet rolled up (and the last week again); the number of days."""
    return rollup_pending()

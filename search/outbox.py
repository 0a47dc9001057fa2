"""Recording index work: call these in the transaction of the change that makes an entry stale.

The rows commit or roll back with the change; after the commit one background task drains them,
so no request ever waits on the search index.
"""

import logging
from collections.abc import Iterable

from django.conf import settings
from django.db import DEFAULT_DB_ALIAS, connections, transaction

from .models import OutboxEntry

logger = logging.getLogger(__name__)


def enqueue(kind: str, key: str) -> None:
    """Bring the entry of (kind, key) up to date; the provider decides whether it still exists."""
    enqueue_many(kind, [key])


def enqueue_many(kind: str, keys: Iterable[str]) -> None:
    rows = [OutboxEntry(kind=kind, key=str(key)) for key in dict.fromkeys(str(k) for k in keys)]
    if rows:
        OutboxEntry.objects.bulk_create(rows)
        _drain_after_commit()


def enqueue_removal(kind: str, key: str) -> None:
    """Remove (kind, key) from the index, for callers that know the object is gone."""
    OutboxEntry.objects.create(kind=kind, key=str(key), op=OutboxEntry.Operation.REMOVE)
    _drain_after_commit()


def _drain_after_commit() -> None:
    if not getattr(settings, "SEARCH_DRAIN_ON_COMMIT", True):
        return
    connection = connections[DEFAULT_DB_ALIAS]
    # One drain per transaction is enough, however many rows it wrote.
    if any(callback is _schedule_drain for _, callback, _ in connection.run_on_commit):
        return
    transaction.on_commit(_schedule_drain, robust=True)


def _schedule_drain() -> None:
    from .tasks import drain_search_outbox

    try:
        drain_search_outbox.enqueue()
    except Exception:
        # The rows are committed; the periodic `search_drain` picks them up.
        logger.exception("Could not enqueue the search outbox drain")

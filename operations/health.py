"""Readiness checks: each answers (ok, detail). Details are for operators, never for anonymous
callers (views.py shows those ok or fail only)."""

import uuid
from collections.abc import Callable

from django.conf import settings
from django.core.cache import cache
from django.db import connection
from django.utils import timezone

from search import selectors as search_selectors
from search import sync as search_sync

from . import heartbeat

# The outbox normally empties within seconds; older waiting rows mean nobody sends them.
OUTBOX_MAX_AGE_SECONDS = 300


def check_database() -> tuple[bool, str]:
    with connection.cursor() as cursor:
        cursor.execute("SELECT 1")
    return True, connection.vendor


def check_cache() -> tuple[bool, str]:
    key = f"operations:probe:{uuid.uuid4().hex}"
    cache.set(key, "1", 10)
    ok = cache.get(key) == "1"
    cache.delete(key)
    return ok, settings.CACHES["default"]["BACKEND"].rsplit(".", 1)[-1]


def check_search() -> tuple[bool, str]:
    if not search_sync.elasticsearch_enabled():
        return True, "database backend"
    from search.backends import elasticsearch

    index = elasticsearch.current_index() if elasticsearch.ping() else None
    return bool(index), f"index {index}" if index else "unreachable or no index behind the alias"


def check_outbox() -> tuple[bool, str]:
    oldest = search_selectors.oldest_queued()
    if oldest is None:
        return True, "empty"
    age = (timezone.now() - oldest).total_seconds()
    return age <= OUTBOX_MAX_AGE_SECONDS, f"oldest waiting {age:.0f} s"


def check_worker() -> tuple[bool, str]:
    if not settings.TASKS["default"]["BACKEND"].startswith("django_tasks_db."):
        return True, "tasks run in the request"
    seen = heartbeat.last_seen()
    if seen is None:
        return False, "no worker has been seen"
    return seen <= heartbeat.STALE_SECONDS, f"last seen {seen:.0f} s ago"


CHECKS: dict[str, Callable[[], tuple[bool, str]]] = {
    "database": check_database,
    "cache": check_cache,
    "search": check_search,
    "outbox": check_outbox,
    "worker": check_worker,
}


def run_checks() -> dict[str, tuple[bool, str]]:
    results = {}
    for name, check in CHECKS.items():
        try:
            results[name] = check()
        except Exception as error:  # a readiness probe reports, it does not fail
            results[name] = (False, f"{type(error).__name__}: {error}"[:300])
    return results

"""Read paths of the search: running a query for a user, best bets, the index status."""

import hashlib
import logging
from dataclasses import replace

from django.core.cache import cache
from django.db import connection, transaction
from django.db.models import F
from django.utils import timezone

from core import page_cache
from core.cache import versioned_key
from core.document_numbers import is_bare_serial
from people.caching import cached_for_user
from people.models import OrgUnit, User

from . import registry, text
from .backends import database
from .caching import RESULTS_SECONDS, index_version
from .models import BestBet, OutboxEntry, QueryLogEntry, SyncState, ZeroResultSearch
from .principals import principals_for, sees_everything
from .query import SearchQuery, SearchResults
from .sync import elasticsearch_enabled, pending_count

logger = logging.getLogger(__name__)


def kind_labels() -> dict[str, str]:
    return {provider.kind: provider.label for provider in registry.providers()}


def searcher_principals(user: User) -> tuple[str, ...] | None:
    """The access filter of a searcher: None means everything (Django superusers only)."""
    if sees_everything(user):
        return None
    return principals_for(user)


def search_for(user: User, query: SearchQuery) -> SearchResults:
    """The page of results the user may see; Elasticsearch when configured, else the database.

    When Elasticsearch fails, the database answers and the results say so (`fell_back`). The
    database's answers are cached per index version and the searcher's principals.
    """
    principals = searcher_principals(user)
    if is_bare_serial(query.text) and not query.home_units:
        query = replace(query, home_units=tuple(filter(None, [unit_code_of(user)])))
    if elasticsearch_enabled():
        page_cache.not_kept()  # Elasticsearch's answers carry no version of the index
        results = _answer(query, principals)
    else:
        key = versioned_key(
            "search:results",
            index_version(),
            hashlib.md5(repr((query, principals)).encode(), usedforsecurity=False).hexdigest(),
        )
        results = cache.get(key)
        if results is None:
            results = _answer(query, principals)
            cache.set(key, results, RESULTS_SECONDS)
    if query.text and query.page == 1:
        found = results.total + len(results.best_bets)
        # Logged on every search, also when the page is answered from the page cache.
        page_cache.repeat_on_each_answer(log_search, unit_code_of(user), query.text, found)
    return results


def _answer(query: SearchQuery, principals) -> SearchResults:
    labels = kind_labels()
    results = None
    if elasticsearch_enabled():
        from .backends import elasticsearch

        try:
            results = elasticsearch.search(query, principals, labels)
        except elasticsearch.IndexUnavailable as error:
            logger.warning("Search falls back to the database: %s", error)
    if results is None:
        results = database.search(query, principals, labels)
        results.fell_back = elasticsearch_enabled()
    _add_best_bets(results, principals)
    return results


def _add_best_bets(results: SearchResults, principals) -> None:
    """Pinned entries come first on the first page, if the searcher may see them."""
    query = results.query
    if query.page != 1 or not query.text:
        return
    bets = list(
        BestBet.objects.filter(normalized_query=normalize_best_bet(query.text)).order_by(
            "sort_order", "pk"
        )
    )
    if not bets:
        return
    pairs = [(bet.kind, bet.key) for bet in bets]
    if query.kinds:
        pairs = [(kind, key) for kind, key in pairs if kind in query.kinds]
    records = database.visible_records(pairs, principals)
    terms = text.highlight_terms(query.text)
    for pair in pairs:
        record = records.get(pair)
        if record is None or (query.units and record.unit not in query.units):
            continue
        hit = database.hit_for(record, terms)
        hit.best_bet = True
        results.best_bets.append(hit)
    pinned = {(hit.kind, hit.key) for hit in results.best_bets}
    results.hits = [hit for hit in results.hits if (hit.kind, hit.key) not in pinned]


def normalize_best_bet(phrase: str) -> str:
    return text.normalize_exact(phrase)[:100]


def unit_code_of(user: User) -> str:
    if not user.is_authenticated or not user.department_id:
        return ""
    return cached_for_user(user, "search-unit-code", lambda: _unit_code(user.department_id))


def _unit_code(department_id: int) -> str:
    department = OrgUnit.objects.select_related("unit").filter(pk=department_id).first()
    unit = department.unit if department and department.unit_id else department
    return unit.code if unit else ""


def log_search(unit: str, query_text: str, found: int) -> None:
    """Log a search (its first page) with its number of results, for the usage statistics, and
    count it per day and unit when it found nothing.

    On its own on PostgreSQL, the entry is committed without waiting for the disk: a crash may
    lose the last few log entries, which the statistics can spare, and a search (the one page
    that writes on every request) does not wait for a flush."""
    if connection.vendor == "postgresql" and not connection.in_atomic_block:
        with transaction.atomic(), connection.cursor() as cursor:
            cursor.execute("SET LOCAL synchronous_commit TO OFF")
            _write_log(unit, query_text, found)
    else:  # inside someone else's transaction, which keeps its durability
        _write_log(unit, query_text, found)


def _write_log(unit: str, query_text: str, found: int) -> None:
    QueryLogEntry.objects.create(
        searched_at=timezone.now(), unit=unit, query=query_text[:200], results=found
    )
    if not found:
        _count_zero_result(unit, query_text)


def _count_zero_result(unit: str, query_text: str) -> None:
    day, phrase = timezone.localdate(), query_text[:200]
    updated = ZeroResultSearch.objects.filter(day=day, unit=unit, query=phrase).update(
        count=F("count") + 1
    )
    if not updated:
        _, created = ZeroResultSearch.objects.get_or_create(
            day=day, unit=unit, query=phrase, defaults={"count": 1}
        )
        if not created:
            ZeroResultSearch.objects.filter(day=day, unit=unit, query=phrase).update(
                count=F("count") + 1
            )


def zero_result_searches(*, limit: int = 50):
    return ZeroResultSearch.objects.order_by("-day", "-count", "query")[:limit]


def best_bets():
    return BestBet.objects.select_related("created_by").order_by("normalized_query", "sort_order")


def oldest_queued():
    """When the oldest index change still waiting in the outbox was recorded, or None."""
    oldest = (
        OutboxEntry.objects.filter(done_at__isnull=True)
        .order_by("created")
        .values("created")
        .first()
    )
    return oldest["created"] if oldest else None


def index_status() -> dict:
    """What the administrators' status screen shows."""
    state = SyncState.objects.filter(name="index").first()
    status = {
        "backend": "elasticsearch" if elasticsearch_enabled() else "database",
        "queue_length": pending_count(),
        "oldest_queued": oldest_queued(),
        "retrying": OutboxEntry.objects.filter(done_at__isnull=True, attempts__gt=0).count(),
        "last_success_at": state.last_success_at if state else None,
        "last_error_at": state.last_error_at if state else None,
        "last_error": state.last_error if state else "",
        "database_entries": database.count(),
        "elasticsearch_reachable": None,
        "elasticsearch_index": None,
        "elasticsearch_entries": None,
    }
    if elasticsearch_enabled():
        from .backends import elasticsearch

        status["elasticsearch_reachable"] = elasticsearch.ping()
        if status["elasticsearch_reachable"]:
            try:
                status["elasticsearch_index"] = elasticsearch.current_index()
                status["elasticsearch_entries"] = elasticsearch.document_count()
            except Exception as error:  # the screen reports, it does not fail
                status["last_error"] = status["last_error"] or str(error)
    return status

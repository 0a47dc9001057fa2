"""The Elasticsearch backend: entries in a versioned index behind an alias (elasticsearch.dsl).

The index is named `<alias>-v<MAPPING_VERSION>-<timestamp>`; `search_setup` creates it (or rebuilds
when the mapping version changed) and `search_reindex` builds a new one and swaps the alias in one
atomic call, so searches never see a missing or half-built index.
"""

import time
from collections.abc import Iterable, Iterator
from datetime import datetime, timedelta
from datetime import time as day_time
from functools import lru_cache

from django.conf import settings
from django.core.cache import cache
from django.utils import timezone
from elastic_transport import ConnectionError as TransportConnectionError
from elastic_transport import ConnectionTimeout
from elasticsearch import ApiError, Elasticsearch, NotFoundError, TransportError
from elasticsearch.dsl import Boolean, Date, Document, Index, Keyword, Q, Search, Text, analyzer
from elasticsearch.helpers import BulkIndexError, expand_action, streaming_bulk

from .. import highlight, text
from ..models import SyncState
from ..principals import EVERYONE
from ..query import Hit, SearchQuery, SearchResults, Sort, fill_facets
from ..registry import SearchEntry, document_id

NAME = "elasticsearch"
# Raise when the mapping or analysis below changes: `search_setup` then rebuilds the index.
MAPPING_VERSION = 2
EXACT_BOOST = 1000.0
DOWN_CACHE_KEY = "search:elasticsearch-down"
STATE = "index"


class IndexUnavailable(Exception):
    """Elasticsearch could not be reached or refused the request as a whole."""


cjk_text = analyzer(
    "xietong_cjk",
    tokenizer="standard",
    filter=["cjk_width", "lowercase", "cjk_bigram"],
)


class EntryDocument(Document):
    kind = Keyword()
    key = Keyword()
    title = Text(analyzer=cjk_text, fields={"raw": Keyword(ignore_above=256)})
    body = Text(analyzer=cjk_text)
    url = Keyword(index=False)
    unit = Keyword()
    unit_name = Keyword()
    date = Date()
    tags = Text(analyzer=cjk_text, fields={"raw": Keyword(ignore_above=256)})
    exact = Keyword()
    access = Keyword()
    # True when the access list lacks "all": lets the access filter exclude the hidden entries
    # (must_not) instead of unioning the huge "all" posting list with the searcher's others.
    restricted = Boolean()


def alias() -> str:
    return getattr(settings, "SEARCH_INDEX_ALIAS", "xietong-entries")


def version_prefix() -> str:
    return f"{alias()}-v{MAPPING_VERSION}-"


def new_index_name() -> str:
    return version_prefix() + timezone.now().strftime("%Y%m%d%H%M%S%f")


@lru_cache(maxsize=4)
def _client_for(url: str, options: tuple) -> Elasticsearch:
    return Elasticsearch(url, **dict(options))


def client() -> Elasticsearch:
    options = dict(getattr(settings, "ELASTICSEARCH_OPTIONS", {}))
    options.setdefault("request_timeout", getattr(settings, "SEARCH_ELASTICSEARCH_TIMEOUT", 5))
    # A search falls back to the database rather than wait through many retries.
    options.setdefault("max_retries", 1)
    return _client_for(settings.ELASTICSEARCH_URL, tuple(sorted(options.items())))


def mark_unreachable() -> None:
    """Remember an outage for a while, so that neither searches nor index writes wait through the
    timeout again in the meantime."""
    seconds = getattr(settings, "SEARCH_ELASTICSEARCH_RETRY_SECONDS", 30)
    cache.set(DOWN_CACHE_KEY, timezone.now() + timedelta(seconds=seconds), seconds)


def unreachable_until() -> datetime | None:
    return cache.get(DOWN_CACHE_KEY)


def _unavailable(error: Exception) -> IndexUnavailable:
    return IndexUnavailable(f"{type(error).__name__}: {error}"[:2000])


UNREACHABLE = (TransportConnectionError, ConnectionTimeout, TransportError)


def index_for(name: str) -> Index:
    index = Index(name)
    index.settings(
        number_of_shards=1, number_of_replicas=getattr(settings, "SEARCH_INDEX_REPLICAS", 0)
    )
    index.document(EntryDocument)
    return index


# Index management


def current_index() -> str | None:
    """The index the alias points at (the newest, should a failed swap have left two), or None."""
    indexes = aliased_indexes()
    return indexes[-1] if indexes else None


def is_current_version(index_name: str | None) -> bool:
    return bool(index_name) and index_name.startswith(version_prefix())


def create_index(name: str) -> None:
    index_for(name).create(using=client())


def aliased_indexes() -> list[str]:
    try:
        return sorted(client().indices.get_alias(name=alias()))
    except NotFoundError:
        return []


def swap_alias(new_index: str) -> list[str]:
    """Point the alias at `new_index` alone, in one call; returns the indexes it pointed at."""
    old_indexes = aliased_indexes()
    actions = [{"remove": {"index": name, "alias": alias()}} for name in old_indexes]
    actions.append({"add": {"index": new_index, "alias": alias()}})
    client().indices.update_aliases(actions=actions)
    return old_indexes


def delete_index(name: str) -> None:
    client().indices.delete(index=name, ignore_unavailable=True)


def start_build(name: str) -> None:
    """While a new index is built the outbox writes to it too: no change made meanwhile is lost."""
    SyncState.objects.update_or_create(name=STATE, defaults={"building_index": name})


def finish_build() -> None:
    SyncState.objects.filter(name=STATE).update(building_index="")


def building_index() -> str:
    return (
        SyncState.objects.filter(name=STATE).values_list("building_index", flat=True).first() or ""
    )


def refresh() -> None:
    client().indices.refresh(index=alias())


def document_count() -> int:
    return client().count(index=alias())["count"]


# Writing


def source_for(entry: SearchEntry) -> dict:
    return {
        "kind": entry.kind,
        "key": entry.key,
        "title": entry.title,
        "body": entry.body[: text.MAX_INDEXED_CHARS],
        "url": entry.url,
        "unit": entry.unit,
        "unit_name": entry.unit_name,
        "date": entry.date.isoformat() if entry.date else None,
        "tags": list(entry.tags),
        "exact": text.exact_keys(entry.exact, entry.unit),
        "access": list(dict.fromkeys(entry.access)),
        "restricted": EVERYONE not in entry.access,
    }


def actions_for(
    entries: Iterable[SearchEntry], removals: Iterable[tuple[str, str]], index_names: list[str]
) -> Iterator[dict]:
    for entry in entries:
        source = source_for(entry)
        for name in index_names:
            action = {"_op_type": "index", "_index": name, "_id": entry.doc_id, "_source": source}
            if name == alias():
                # Never let a write create a plain index in the alias's place before search_setup.
                action["require_alias"] = True
            yield action
    for kind, key in removals:
        for name in index_names:
            yield {"_op_type": "delete", "_index": name, "_id": document_id(kind, key)}


def _expand_action(action: dict):
    """The bulk helper's action expansion, plus the `require_alias` flag it does not know."""
    require_alias = action.pop("require_alias", False)
    header, body = expand_action(action)
    if require_alias:
        next(iter(header.values()))["require_alias"] = True
    return header, body


def bulk_send(actions: Iterable[dict], refresh: bool | str = False) -> dict[str, str]:
    """Send actions with the bulk helper; returns the failed documents' ids with their errors.

    A missing document on delete is not an error. Raises IndexUnavailable when the cluster cannot
    be reached at all.
    """
    failures = {}
    try:
        for ok, item in streaming_bulk(
            client(),
            actions,
            chunk_size=getattr(settings, "SEARCH_BULK_CHUNK_SIZE", 500),
            raise_on_error=False,
            raise_on_exception=True,
            expand_action_callback=_expand_action,
            refresh=refresh,
            max_retries=2,
        ):
            if ok:
                continue
            operation, result = next(iter(item.items()))
            if operation == "delete" and result.get("status") == 404:
                continue
            failures[result.get("_id", "")] = str(result.get("error", result))[:2000]
    except (BulkIndexError, ApiError) as error:
        raise _unavailable(error) from error
    except UNREACHABLE as error:
        mark_unreachable()
        raise _unavailable(error) from error
    return failures


def write(
    entries: list[SearchEntry], removals: list[tuple[str, str]]
) -> dict[tuple[str, str], str]:
    """Index and delete through the alias (and into an index being built); per-entry failures."""
    targets = [alias()]
    building = building_index()
    if building:
        targets.append(building)
    refresh = getattr(settings, "SEARCH_ELASTICSEARCH_REFRESH", False)
    failures = bulk_send(actions_for(entries, removals, targets), refresh=refresh)
    by_id = {e.doc_id: (e.kind, e.key) for e in entries}
    by_id.update({document_id(kind, key): (kind, key) for kind, key in removals})
    return {by_id[doc_id]: error for doc_id, error in failures.items() if doc_id in by_id}


# Querying


def _day_start(day) -> datetime:
    return timezone.make_aware(datetime.combine(day, day_time.min))


def build_search(query: SearchQuery, principals: tuple[str, ...] | None) -> Search:
    filters, exclusions = [], []
    if principals is not None and EVERYONE in principals:
        # Hidden: restricted and shared with none of the searcher's other principals.
        others = [p for p in principals if p != EVERYONE]
        hidden = Q("bool", filter=[Q("term", restricted=True)])
        if others:
            hidden = Q(
                "bool", filter=[Q("term", restricted=True)], must_not=[Q("terms", access=others)]
            )
        exclusions.append(hidden)
    elif principals is not None:
        filters.append(Q("terms", access=list(principals)))
    if query.date_from or query.date_to:
        bounds = {}
        if query.date_from:
            bounds["gte"] = _day_start(query.date_from).isoformat()
        if query.date_to:
            bounds["lt"] = _day_start(query.date_to + timedelta(days=1)).isoformat()
        filters.append(Q("range", date=bounds))
    # Every query word in one field (title, tags or body), titles weighing most.
    matches = [
        Q("match", title={"query": query.text, "operator": "and", "boost": 3}),
        Q("match", tags={"query": query.text, "operator": "and", "boost": 2}),
        Q("match", body={"query": query.text, "operator": "and"}),
    ]
    exact_values = text.exact_query_keys(query.text, query.home_units)
    if exact_values:
        matches.append(
            Q("constant_score", filter=Q("terms", exact=exact_values), boost=EXACT_BOOST)
        )
    # An exact phrase beats scattered words.
    relevance = [
        Q("match_phrase", title={"query": query.text, "boost": 20}),
        Q("match_phrase", body={"query": query.text, "boost": 5}),
    ]
    search = Search(using=client(), index=alias()).query(
        Q(
            "bool",
            filter=filters,
            must_not=exclusions,
            must=[Q("bool", should=matches, minimum_should_match=1)],
            should=relevance,
        )
    )
    selection = []
    if query.kinds:
        selection.append(Q("terms", kind=list(query.kinds)))
    if query.units:
        selection.append(Q("terms", unit=list(query.units)))
    if selection:
        search = search.post_filter(Q("bool", filter=selection))
    kinds = search.aggs.bucket("kinds", "terms", field="kind", size=20)
    units = kinds.bucket("units", "terms", field="unit", size=200)
    units.bucket("names", "terms", field="unit_name", size=1)
    search = search.source(excludes=["body", "access", "exact"])
    search = search.highlight_options(
        pre_tags=[highlight.MARK_START], post_tags=[highlight.MARK_END]
    )
    search = search.highlight("title", number_of_fragments=0)
    search = search.highlight(
        "body",
        fragment_size=highlight.SNIPPET_CHARS,
        number_of_fragments=1,
        no_match_size=highlight.SNIPPET_CHARS,
    )
    if query.sort == Sort.DATE:
        search = search.sort({"date": {"order": "desc", "missing": "_last"}}, "_score")
    else:
        search = search.sort("_score", {"date": {"order": "desc", "missing": "_last"}})
    search = search.extra(track_total_hits=True)
    return search[query.offset : query.offset + query.page_size]


def search(
    query: SearchQuery, principals: tuple[str, ...] | None, kind_labels: dict[str, str]
) -> SearchResults:
    results = SearchResults(query=query, backend=NAME)
    if principals == () or not (text.query_terms(query.text) or text.normalize_exact(query.text)):
        return results
    if unreachable_until():
        raise IndexUnavailable("Elasticsearch was unreachable moments ago")
    started = time.perf_counter()
    try:
        response = build_search(query, principals).execute()
    except ApiError as error:
        raise _unavailable(error) from error
    except UNREACHABLE as error:
        mark_unreachable()
        raise _unavailable(error) from error
    groups = []
    for kind_bucket in response.aggregations.kinds.buckets:
        for unit_bucket in kind_bucket.units.buckets:
            names = unit_bucket.names.buckets
            groups.append(
                (
                    kind_bucket.key,
                    unit_bucket.key,
                    names[0].key if names else "",
                    unit_bucket.doc_count,
                )
            )
        counted = sum(b.doc_count for b in kind_bucket.units.buckets)
        if kind_bucket.doc_count > counted:
            groups.append((kind_bucket.key, "", "", kind_bucket.doc_count - counted))
    fill_facets(results, groups, kind_labels)
    results.total = response.hits.total.value
    terms = text.highlight_terms(query.text)
    for hit in response.hits:
        fragments = getattr(hit.meta, "highlight", None)
        title_html = (
            highlight.from_marked_fragments(list(fragments.title))
            if fragments is not None and "title" in fragments
            else highlight.mark(hit.title, terms)
        )
        snippet_html = (
            highlight.from_marked_fragments(list(fragments.body))
            if fragments is not None and "body" in fragments
            else highlight.mark("", terms)
        )
        results.hits.append(
            Hit(
                kind=hit.kind,
                key=hit.key,
                title=hit.title,
                url=hit.url,
                unit=hit.unit or "",
                unit_name=hit.unit_name or "",
                date=_parse_date(getattr(hit, "date", None)),
                title_html=title_html,
                snippet_html=snippet_html,
                score=float(hit.meta.score or 0),
            )
        )
    results.took_ms = float(getattr(response, "took", 0) or (time.perf_counter() - started) * 1000)
    return results


def _parse_date(value):
    if value is None or isinstance(value, datetime):
        return value
    return datetime.fromisoformat(str(value))


def ping() -> bool:
    try:
        return bool(client().ping())
    except Exception:
        return False

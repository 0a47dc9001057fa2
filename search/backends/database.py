"""The database backend: entries in a table, PostgreSQL full-text search or SQLite FTS5.

It is the index when no Elasticsearch is configured, and the fallback when Elasticsearch fails,
so the outbox keeps it filled in both cases. Permissions are a join on the principals table
inside the SQL.
"""

import time
from collections import defaultdict
from collections.abc import Iterable
from datetime import datetime, timedelta
from datetime import time as day_time

from django.db import connection, transaction
from django.db.models import BooleanField
from django.db.models.expressions import RawSQL
from django.utils import timezone

from .. import highlight, text
from ..caching import forget_results
from ..models import SearchEntryExact, SearchEntryRecord
from ..query import Hit, SearchQuery, SearchResults, Sort, fill_facets
from ..registry import SearchEntry

NAME = "database"
RECORD_TABLE = SearchEntryRecord._meta.db_table
EXACT_TABLE = SearchEntryExact._meta.db_table
FTS_TABLE = "search_entry_fts"

EXACT_BOOST = 1000.0
TITLE_PHRASE_BOOST = 20.0
PHRASE_BOOST = 10.0


# Writing


def record_for(entry: SearchEntry) -> SearchEntryRecord:
    return SearchEntryRecord(
        kind=entry.kind,
        key=entry.key,
        title=entry.title[:500],
        body=entry.body,
        url=entry.url[:500],
        unit=entry.unit,
        unit_name=entry.unit_name[:100],
        date=entry.date,
        tags=list(entry.tags),
        exact=list(entry.exact),
        access=list(dict.fromkeys(entry.access)),
        title_words=" ".join(text.words(f"{entry.title} {' '.join(entry.tags)}")),
        title_grams=" ".join(text.bigrams(entry.title)),
        body_words=" ".join(text.words(entry.body)),
        body_grams=" ".join(text.bigrams(entry.body)),
    )


@transaction.atomic
def write(entries: Iterable[SearchEntry], removals: Iterable[tuple[str, str]] = ()) -> None:
    """Replace the records of `entries` and delete those of `removals`."""
    entries = list(entries)
    stale = defaultdict(set)
    for kind, key in [*removals, *((e.kind, e.key) for e in entries)]:
        stale[kind].add(key)
    for kind, keys in stale.items():
        SearchEntryRecord.objects.filter(kind=kind, key__in=keys).delete()
    records = SearchEntryRecord.objects.bulk_create([record_for(e) for e in entries])
    SearchEntryExact.objects.bulk_create(
        SearchEntryExact(entry=record, value=value)
        for record, entry in zip(records, entries, strict=True)
        for value in text.exact_keys(entry.exact, entry.unit)
    )
    forget_results()


def count() -> int:
    return SearchEntryRecord.objects.count()


# Querying


def _fts5_match(terms: list[str]) -> str:
    """An FTS5 expression in which every query word must match, as a word or as its bigrams."""

    def quoted(tokens):
        return '"' + " ".join(t.replace('"', '""') for t in tokens) + '"'

    clauses = []
    for term in terms:
        options = [f"{{title_words body_words}} : {quoted([term])}"]
        grams = text.term_grams(term)
        if grams:
            options.append(f"{{title_grams body_grams}} : {quoted(grams)}")
        clauses.append("(" + " OR ".join(options) + ")")
    return " AND ".join(clauses)


def _tsquery(terms: list[str]) -> str:
    def lexeme(token):
        return "'" + token.replace("\\", "\\\\").replace("'", "''") + "'"

    clauses = []
    for term in terms:
        options = [lexeme(term)]
        grams = text.term_grams(term)
        if len(grams) > 1:
            options.append("(" + " <-> ".join(lexeme(g) for g in grams) + ")")
        clauses.append("(" + " | ".join(options) + ")")
    return " & ".join(clauses)


def _phrase_grams(query_text: str, terms: list[str]) -> list[str]:
    """Bigrams of the whole query when it is Chinese of several words: the phrase to boost."""
    compact = "".join(query_text.split())
    if len(terms) < 2 or not text.CJK_ONLY.match(compact):
        return []
    return text.term_grams(compact)


def _like_pattern(value: str) -> str:
    escaped = value.replace("\\", "\\\\").replace("%", "\\%").replace("_", "\\_")
    return f"%{escaped}%"


def _day_start(day) -> datetime:
    return timezone.make_aware(datetime.combine(day, day_time.min))


def _candidates_sql(query: SearchQuery, principals: tuple[str, ...] | None):
    """SQL selecting (id, kind, unit, unit_name, date, score) of every entry the searcher may see
    that matches the query, and its parameters; None when the query has nothing to match.

    Two branches, each reading only its matched rows and applying the access and date filters
    itself: the full-text match (ranked, with the title and phrase boosts) and the exact
    identifiers (boosted to the top). An entry found by both adds both scores.
    """
    terms = text.query_terms(query.text)
    exact_values = text.exact_query_keys(query.text, query.home_units)
    if not terms and not exact_values:
        return None, []
    postgres = connection.vendor == "postgresql"
    filters, filter_params = _row_filters(query, principals)
    columns = "r.id, r.kind, r.unit, r.unit_name, r.date"
    branches, params = [], []
    if terms:
        phrase = _phrase_grams(query.text, terms)
        title_boost = (
            f"CASE WHEN lower(r.title) LIKE %s ESCAPE '\\' THEN {TITLE_PHRASE_BOOST} ELSE 0 END"
        )
        if postgres:
            phrase_boost = (
                f"CASE WHEN r.search_vector @@ CAST(%s AS tsquery) THEN {PHRASE_BOOST} ELSE 0 END"
            )
            # Ranking reads the small title vector: the whole document's vector costs a TOAST read
            # per match, too slow with thousands of matches (docs/search.md).
            branches.append(
                f"SELECT {columns}, ts_rank(r.title_vector, q) * 20 + {title_boost}"
                f"{' + ' + phrase_boost if phrase else ''} AS score "
                f"FROM {RECORD_TABLE} r, CAST(%s AS tsquery) AS q "
                f"WHERE r.search_vector @@ q{filters}"
            )
            params.append(_like_pattern(query.text))
            if phrase:
                params.append("(" + " <-> ".join(f"'{g}'" for g in phrase) + ")")
            params.append(_tsquery(terms))
        else:
            phrase_boost = (
                f"CASE WHEN r.id IN (SELECT rowid FROM {FTS_TABLE} WHERE {FTS_TABLE} MATCH %s) "
                f"THEN {PHRASE_BOOST} ELSE 0 END"
            )
            branches.append(
                f"SELECT {columns}, -bm25({FTS_TABLE}, 3.0, 3.0, 1.0, 1.0) + {title_boost}"
                f"{' + ' + phrase_boost if phrase else ''} AS score "
                f"FROM {FTS_TABLE} JOIN {RECORD_TABLE} r ON r.id = {FTS_TABLE}.rowid "
                f"WHERE {FTS_TABLE} MATCH %s{filters}"
            )
            params.append(_like_pattern(query.text))
            if phrase:
                params.append('{title_grams body_grams} : "' + " ".join(phrase) + '"')
            params.append(_fts5_match(terms))
        params += filter_params
    if exact_values:
        placeholders = ", ".join(["%s"] * len(exact_values))
        branches.append(
            f"SELECT {columns}, {EXACT_BOOST} AS score FROM {RECORD_TABLE} r WHERE r.id IN "
            f"(SELECT entry_id FROM {EXACT_TABLE} WHERE value IN ({placeholders})){filters}"
        )
        params += [*exact_values, *filter_params]
    sql = (
        f"SELECT id, kind, unit, unit_name, date, SUM(score) AS score "
        f"FROM ({' UNION ALL '.join(branches)}) AS found "
        f"GROUP BY id, kind, unit, unit_name, date"
    )
    return sql, params


def _row_filters(query: SearchQuery, principals: tuple[str, ...] | None) -> tuple[str, list]:
    clauses, params = [], []
    if principals is not None:
        access_sql, access_params = access_clause("r", principals)
        clauses.append(access_sql)
        params += access_params
    if query.date_from:
        clauses.append("r.date >= %s")
        params.append(_day_start(query.date_from))
    if query.date_to:
        clauses.append("r.date < %s")
        params.append(_day_start(query.date_to + timedelta(days=1)))
    return "".join(f" AND {clause}" for clause in clauses), params


def access_clause(table: str, principals: tuple[str, ...]) -> tuple[str, list]:
    """SQL true when the row's access list shares a principal with the searcher."""
    if not principals:
        return "1 = 0", []
    if connection.vendor == "postgresql":
        return f"{table}.access ?| %s", [list(principals)]
    placeholders = ", ".join(["%s"] * len(principals))
    return (
        f"EXISTS (SELECT 1 FROM json_each({table}.access) "
        f"WHERE json_each.value IN ({placeholders}))",
        list(principals),
    )


def _selection_sql(query: SearchQuery) -> tuple[str, list]:
    clauses, params = [], []
    if query.kinds:
        clauses.append(f"kind IN ({', '.join(['%s'] * len(query.kinds))})")
        params += list(query.kinds)
    if query.units:
        clauses.append(f"unit IN ({', '.join(['%s'] * len(query.units))})")
        params += list(query.units)
    return (" WHERE " + " AND ".join(clauses) if clauses else ""), params


def search(
    query: SearchQuery, principals: tuple[str, ...] | None, kind_labels: dict[str, str]
) -> SearchResults:
    """Run the query for a searcher holding `principals` (None: a searcher who sees everything)."""
    started = time.perf_counter()
    results = SearchResults(query=query, backend=NAME)
    candidates, params = _candidates_sql(query, principals)
    if candidates is None or principals == ():
        return results
    selection, selection_params = _selection_sql(query)
    order = "score DESC, date DESC, id DESC"
    if query.sort == Sort.DATE:
        order = "CASE WHEN date IS NULL THEN 1 ELSE 0 END, date DESC, score DESC, id DESC"
    # One statement: the matching runs once, feeding both the facet counts and the page.
    sql = (
        f"WITH c AS ({candidates}), "
        f"g AS (SELECT kind, unit, MAX(unit_name) AS unit_name, COUNT(*) AS n FROM c "
        f"GROUP BY kind, unit), "
        f"p AS (SELECT id, score, ROW_NUMBER() OVER (ORDER BY {order}) AS position "
        f"FROM c{selection} ORDER BY {order} LIMIT %s OFFSET %s) "
        f"SELECT 0, kind, unit, unit_name, n, NULL, NULL, 0 FROM g "
        f"UNION ALL SELECT 1, NULL, NULL, NULL, NULL, id, score, position FROM p "
        f"ORDER BY 1, 8"
    )
    with connection.cursor() as cursor:
        cursor.execute(sql, [*params, *selection_params, query.page_size, query.offset])
        rows = cursor.fetchall()
    groups = [row[1:5] for row in rows if row[0] == 0]
    page = [row[5:7] for row in rows if row[0] == 1]
    results.total = fill_facets(results, groups, kind_labels)
    results.hits = _hits(page, query.text)
    results.took_ms = (time.perf_counter() - started) * 1000
    return results


def _hits(page, query_text: str) -> list[Hit]:
    records = SearchEntryRecord.objects.in_bulk([row[0] for row in page])
    terms = text.highlight_terms(query_text)
    hits = []
    for record_id, score in page:
        record = records[record_id]
        hits.append(hit_for(record, terms, score))
    return hits


def hit_for(record: SearchEntryRecord, terms: list[str], score: float = 0.0) -> Hit:
    return Hit(
        kind=record.kind,
        key=record.key,
        title=record.title,
        url=record.url,
        unit=record.unit,
        unit_name=record.unit_name,
        date=record.date,
        title_html=highlight.mark(record.title, terms),
        snippet_html=highlight.snippet(record.body, terms),
        score=float(score or 0),
    )


def visible_records(kind_keys: list[tuple[str, str]], principals: tuple[str, ...] | None):
    """The records of (kind, key) pairs the searcher may see, for best bets."""
    records = SearchEntryRecord.objects.none()
    for kind, key in kind_keys:
        records |= SearchEntryRecord.objects.filter(kind=kind, key=key)
    if principals is not None:
        clause, params = access_clause(RECORD_TABLE, principals)
        records = records.alias(visible=RawSQL(clause, params, output_field=BooleanField())).filter(
            visible=True
        )
    return {(r.kind, r.key): r for r in records}

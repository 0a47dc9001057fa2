"""Which tables a statement reads or writes, as the page cache sees every statement: a page must
depend on every table it read, and each write must give its tables new tokens."""

import pytest
from django.core.cache import cache

from core import page_cache


class _Connection:
    in_atomic_block = False


def _run(sql: str) -> page_cache._Recording:
    recording = page_cache._Recording()
    reset = page_cache._recording.set(recording)
    try:
        page_cache._observe(lambda *args: None, sql, (), False, {"connection": _Connection()})
    finally:
        page_cache._recording.reset(reset)
    return recording


@pytest.mark.parametrize(
    ("sql", "tables"),
    [
        ('SELECT "a"."id" FROM "a" INNER JOIN "b" ON ("a"."b_id" = "b"."id")', {"a", "b"}),
        ('WITH RECURSIVE t AS (SELECT * FROM "org") SELECT * FROM t', {"org"}),
        ('(SELECT "id" FROM "x") UNION (SELECT "id" FROM "y")', {"x", "y"}),
    ],
)
def test_reads_are_dependencies(sql, tables):
    recording = _run(sql)
    assert recording.tables == tables and recording.storable


def test_a_read_of_a_table_it_cannot_name_is_never_kept():
    assert not _run("SELECT id FROM unquoted_table").storable


@pytest.mark.parametrize(
    ("sql", "table"),
    [
        ('INSERT INTO "search_querylogentry" ("query") VALUES (%s)', "search_querylogentry"),
        ('UPDATE "people_user" SET "updated_at" = %s', "people_user"),
        ('DELETE FROM "home_noticereadreceipt" WHERE "id" = %s', "home_noticereadreceipt"),
        ('WITH x AS (SELECT 1) UPDATE "numbering_counter" SET "n" = 2', "numbering_counter"),
        ('INSERT OR IGNORE INTO "tags" ("name") VALUES (%s)', "tags"),
    ],
)
def test_writes_give_new_tokens_and_are_never_kept(sql, table):
    cache.delete(page_cache.TABLE_PREFIX + table)
    assert not _run(sql).storable
    assert cache.get(page_cache.TABLE_PREFIX + table) is not None


@pytest.mark.parametrize("sql", ['SAVEPOINT "s1"', 'RELEASE SAVEPOINT "s1"', "PRAGMA foreign_keys"])
def test_statements_that_name_no_table_change_nothing(sql):
    recording = _run(sql)
    assert recording.storable and not recording.tables

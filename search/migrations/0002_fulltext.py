"""The full-text index of the database backend, per database: PostgreSQL tsvector + GIN (and a
title-only vector for ranking), SQLite FTS5 kept in step with the records by triggers."""

from django.db import migrations

POSTGRESQL_FORWARD = [
    """
    ALTER TABLE search_searchentryrecord ADD COLUMN search_vector tsvector
    GENERATED ALWAYS AS (
        setweight(to_tsvector('simple'::regconfig, title_words), 'A')
        || setweight(to_tsvector('simple'::regconfig, title_grams), 'A')
        || setweight(to_tsvector('simple'::regconfig, body_words), 'C')
        || setweight(to_tsvector('simple'::regconfig, body_grams), 'C')
    ) STORED
    """,
    "CREATE INDEX search_entry_vector ON search_searchentryrecord USING GIN (search_vector)",
    """
    ALTER TABLE search_searchentryrecord ADD COLUMN title_vector tsvector
    GENERATED ALWAYS AS (
        to_tsvector('simple'::regconfig, title_words)
        || to_tsvector('simple'::regconfig, title_grams)
    ) STORED
    """,
]
POSTGRESQL_BACKWARD = [
    "ALTER TABLE search_searchentryrecord DROP COLUMN IF EXISTS title_vector",
    "DROP INDEX IF EXISTS search_entry_vector",
    "ALTER TABLE search_searchentryrecord DROP COLUMN IF EXISTS search_vector",
]

COLUMNS = "title_words, title_grams, body_words, body_grams"
SQLITE_FORWARD = [
    f"""
    CREATE VIRTUAL TABLE search_entry_fts USING fts5(
        {COLUMNS}, content='search_searchentryrecord', content_rowid='id'
    )
    """,
    f"""
    CREATE TRIGGER search_entry_fts_insert AFTER INSERT ON search_searchentryrecord BEGIN
        INSERT INTO search_entry_fts(rowid, {COLUMNS})
        VALUES (new.id, new.title_words, new.title_grams, new.body_words, new.body_grams);
    END
    """,
    f"""
    CREATE TRIGGER search_entry_fts_delete AFTER DELETE ON search_searchentryrecord BEGIN
        INSERT INTO search_entry_fts(search_entry_fts, rowid, {COLUMNS})
        VALUES ('delete', old.id, old.title_words, old.title_grams, old.body_words, old.body_grams);
    END
    """,
    f"""
    CREATE TRIGGER search_entry_fts_update AFTER UPDATE ON search_searchentryrecord BEGIN
        INSERT INTO search_entry_fts(search_entry_fts, rowid, {COLUMNS})
        VALUES ('delete', old.id, old.title_words, old.title_grams, old.body_words, old.body_grams);
        INSERT INTO search_entry_fts(rowid, {COLUMNS})
        VALUES (new.id, new.title_words, new.title_grams, new.body_words, new.body_grams);
    END
    """,
]
SQLITE_BACKWARD = [
    "DROP TRIGGER IF EXISTS search_entry_fts_update",
    "DROP TRIGGER IF EXISTS search_entry_fts_delete",
    "DROP TRIGGER IF EXISTS search_entry_fts_insert",
    "DROP TABLE IF EXISTS search_entry_fts",
]


def _run(statements_by_vendor):
    def run(apps, schema_editor):
        for statement in statements_by_vendor.get(schema_editor.connection.vendor, []):
            schema_editor.execute(statement)

    return run


class Migration(migrations.Migration):
    dependencies = [("search", "0001_initial")]

    operations = [
        migrations.RunPython(
            _run({"postgresql": POSTGRESQL_FORWARD, "sqlite": SQLITE_FORWARD}),
            _run({"postgresql": POSTGRESQL_BACKWARD, "sqlite": SQLITE_BACKWARD}),
        ),
    ]

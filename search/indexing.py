"""Full rebuilds of the indexes from every provider: `search_setup` and `search_reindex`.

The database table is refreshed in place (each batch replaces its rows; rows no provider produced
any more are dropped at the end), so the fallback never goes empty. Elasticsearch gets a new
versioned index that the alias is swapped to once it is complete.
"""

from collections.abc import Callable, Iterable, Iterator
from itertools import islice

from django.utils import timezone

from . import registry
from .backends import database
from .caching import forget_results
from .models import SearchEntryRecord
from .registry import SearchEntry
from .sync import clean_entry, elasticsearch_enabled

BATCH = 500

Progress = Callable[[int], None]


def all_entries(kinds: Iterable[str] | None = None) -> Iterator[SearchEntry]:
    wanted = set(kinds) if kinds else None
    for provider in registry.providers():
        if wanted is None or provider.kind in wanted:
            for entry in provider.entries():
                yield clean_entry(entry)


def batches(entries: Iterable[SearchEntry], size: int = BATCH) -> Iterator[list[SearchEntry]]:
    iterator = iter(entries)
    while batch := list(islice(iterator, size)):
        yield batch


def rebuild(
    *,
    to_database: bool = True,
    to_elasticsearch: bool | None = None,
    progress: Progress | None = None,
) -> dict:
    """Rebuild the indexes from all providers; returns what was done, for the command's report."""
    to_elasticsearch = elasticsearch_enabled() if to_elasticsearch is None else to_elasticsearch
    started = timezone.now()
    report = {"entries": 0, "new_index": None, "old_index": None}
    new_index = None
    if to_elasticsearch:
        from .backends import elasticsearch

        new_index = elasticsearch.new_index_name()
        elasticsearch.create_index(new_index)
        elasticsearch.client().indices.put_settings(
            index=new_index, settings={"index": {"refresh_interval": "-1"}}
        )
        elasticsearch.start_build(new_index)
    try:
        for batch in batches(all_entries()):
            if to_database:
                database.write(batch)
            if new_index:
                failures = elasticsearch.bulk_send(
                    elasticsearch.actions_for(batch, [], [new_index])
                )
                if failures:
                    raise elasticsearch.IndexUnavailable(
                        f"{len(failures)} entries were refused, e.g. {next(iter(failures.items()))}"
                    )
            report["entries"] += len(batch)
            if progress:
                progress(len(batch))
        if to_database:
            SearchEntryRecord.objects.filter(indexed_at__lt=started).delete()
            forget_results()
        if new_index:
            elasticsearch.client().indices.put_settings(
                index=new_index, settings={"index": {"refresh_interval": "1s"}}
            )
            elasticsearch.client().indices.refresh(index=new_index)
            old_indexes = elasticsearch.swap_alias(new_index)
            report["new_index"] = new_index
            report["old_index"] = ", ".join(old_indexes) or None
            for name in old_indexes:
                elasticsearch.delete_index(name)
    except BaseException:
        if new_index:
            elasticsearch.delete_index(new_index)
        raise
    finally:
        if new_index:
            elasticsearch.finish_build()
    return report


def setup(progress: Progress | None = None) -> dict:
    """Create the Elasticsearch index and alias if missing, rebuild if its mapping is outdated."""
    from .backends import elasticsearch

    current = elasticsearch.current_index()
    if elasticsearch.is_current_version(current):
        return {"created": False, "index": current}
    fill_database = not SearchEntryRecord.objects.exists()
    report = rebuild(to_database=fill_database, to_elasticsearch=True, progress=progress)
    return {"created": True, "index": report["new_index"], "replaced": report["old_index"]}


def expected_total() -> int:
    """An estimate for the progress bar: the entries the database index holds now."""
    return database.count()

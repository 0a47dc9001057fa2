"""Index management: setup, reindex with an alias swap, the database rebuild, the fallback."""

from io import StringIO

import pytest
from django.core.management import call_command
from django.urls import reverse

from search import indexing, outbox, sync
from search.backends import elasticsearch
from search.models import OutboxEntry, SearchEntryRecord
from search.query import SearchQuery
from search.selectors import search_for
from tests.factories.search import entry
from tests.search.conftest import put_entries, use_elasticsearch

pytestmark = pytest.mark.django_db


def aliased_indexes():
    return sorted(elasticsearch.client().indices.get_alias(name=elasticsearch.alias()))


class TestElasticsearchIndex:
    def test_setup_creates_a_versioned_index_behind_the_alias_once(
        self, settings, osmem_clone, static_provider
    ):
        use_elasticsearch(settings, osmem_clone.url)
        static_provider.put(entry("knowledge", "1", "手册"))
        out = StringIO()
        call_command("search_setup", stdout=out)
        [index] = aliased_indexes()
        assert index.startswith(f"test-entries-v{elasticsearch.MAPPING_VERSION}-")
        assert elasticsearch.document_count() == 1
        call_command("search_setup", stdout=out)
        assert aliased_indexes() == [index]
        assert "up to date" in out.getvalue()

    def test_the_mapping_analyses_chinese_in_bigrams_with_exact_keywords(
        self, elasticsearch_backend
    ):
        tokens = elasticsearch.client().indices.analyze(
            index=elasticsearch.alias(), analyzer="xietong_cjk", text="请假制度ＡＢＣ"
        )["tokens"]
        assert [t["token"] for t in tokens] == ["请假", "假制", "制度", "abc"]
        mapping = elasticsearch.client().indices.get_mapping(index=elasticsearch.alias())
        properties = next(iter(mapping.values()))["mappings"]["properties"]
        assert properties["title"]["fields"]["raw"]["type"] == "keyword"
        assert properties["exact"]["type"] == "keyword"
        assert properties["access"]["type"] == "keyword"

    def test_reindex_swaps_the_alias_and_drops_the_old_index(
        self, elasticsearch_backend, static_provider, staff
    ):
        put_entries(static_provider, entry("knowledge", "1", "旧制度"))
        [old_index] = aliased_indexes()
        static_provider.items.clear()
        static_provider.put(entry("knowledge", "2", "新制度"))
        out = StringIO()
        call_command("search_reindex", stdout=out)
        [new_index] = aliased_indexes()
        assert new_index != old_index
        assert not elasticsearch.client().indices.exists(index=old_index)
        assert "entries indexed" in out.getvalue() and "Indexing [" in out.getvalue()
        assert [h.key for h in search_for(staff, SearchQuery.build("制度")).hits] == ["2"]

    def test_searches_are_answered_from_the_old_index_until_the_swap(
        self, elasticsearch_backend, static_provider, staff, monkeypatch
    ):
        put_entries(static_provider, entry("knowledge", "1", "旧制度"))
        seen_during_build = []
        real_bulk_send = elasticsearch.bulk_send

        def bulk_send(actions, refresh=False):
            failures = real_bulk_send(actions, refresh)
            seen_during_build.append(
                [h.key for h in search_for(staff, SearchQuery.build("制度")).hits]
            )
            return failures

        monkeypatch.setattr(elasticsearch, "bulk_send", bulk_send)
        static_provider.put(entry("knowledge", "2", "新制度"))
        indexing.rebuild()
        assert seen_during_build == [["1"]]
        assert sorted(h.key for h in search_for(staff, SearchQuery.build("制度")).hits) == [
            "1",
            "2",
        ]

    def test_changes_during_a_rebuild_reach_the_new_index(
        self, elasticsearch_backend, static_provider, staff, monkeypatch
    ):
        put_entries(static_provider, entry("knowledge", "1", "制度一"))
        real_all_entries = indexing.all_entries

        def all_entries_then_a_change(kinds=None):
            yield from real_all_entries(kinds)
            # A change is committed and drained while the new index is being filled.
            static_provider.put(entry("knowledge", "late", "后来的制度"))
            outbox.enqueue("knowledge", "late")
            sync.drain()

        monkeypatch.setattr(indexing, "all_entries", all_entries_then_a_change)
        indexing.rebuild()
        elasticsearch.refresh()
        assert "late" in [h.key for h in search_for(staff, SearchQuery.build("制度")).hits]

    def test_an_outdated_mapping_version_is_rebuilt_by_setup(
        self, elasticsearch_backend, static_provider, monkeypatch
    ):
        put_entries(static_provider, entry("knowledge", "1", "手册"))
        [old_index] = aliased_indexes()
        monkeypatch.setattr(elasticsearch, "MAPPING_VERSION", elasticsearch.MAPPING_VERSION + 1)
        report = indexing.setup()
        assert report["created"] and report["replaced"] == old_index
        [new_index] = aliased_indexes()
        assert new_index.startswith(f"test-entries-v{elasticsearch.MAPPING_VERSION}-")
        assert elasticsearch.document_count() == 1


def test_writes_before_setup_wait_instead_of_creating_a_plain_index(
    settings, osmem_clone, static_provider
):
    use_elasticsearch(settings, osmem_clone.url)
    static_provider.put(entry("knowledge", "1", "手册"))
    outbox.enqueue("knowledge", "1")
    sync.drain()
    assert not elasticsearch.client().indices.exists(index=elasticsearch.alias())
    row = OutboxEntry.objects.get(kind="knowledge")
    assert row.done_at is None and "alias" in row.last_error
    indexing.setup()
    row.next_attempt_at = None
    row.save()
    sync.drain()
    assert elasticsearch.document_count() == 1


def test_database_rebuild_keeps_serving_and_drops_what_is_gone(
    database_backend, static_provider, staff
):
    put_entries(
        static_provider, entry("knowledge", "1", "手册一"), entry("knowledge", "2", "手册二")
    )
    static_provider.items.pop("2")
    indexing.rebuild()
    assert list(
        SearchEntryRecord.objects.filter(kind="knowledge").values_list("key", flat=True)
    ) == ["1"]


def test_setup_without_elasticsearch_says_the_database_serves(database_backend):
    out = StringIO()
    call_command("search_setup", stdout=out)
    assert "database" in out.getvalue()


class TestFallback:
    def test_search_page_falls_back_to_the_database_with_a_quiet_notice(
        self, elasticsearch_backend, static_provider, staff_client, settings
    ):
        put_entries(static_provider, entry("knowledge", "1", "安全手册"))
        settings.ELASTICSEARCH_URL = "http://127.0.0.1:9"
        settings.ELASTICSEARCH_OPTIONS = {"server_mode": "serverless", "request_timeout": 1}
        response = staff_client.get(reverse("search:search"), {"q": "安全"})
        assert response.status_code == 200
        assert response.context["results"].backend == "database"
        assert b'data-testid="search-fallback"' in response.content
        assert "<mark>安全</mark>手册" in response.content.decode()
        api = staff_client.get("/api/search", {"q": "安全"}).json()
        assert api["fell_back"] is True and api["count"] == 1

    def test_no_notice_when_elasticsearch_answers(
        self, elasticsearch_backend, static_provider, staff_client
    ):
        put_entries(static_provider, entry("knowledge", "1", "安全手册"))
        response = staff_client.get(reverse("search:search"), {"q": "安全"})
        assert response.context["results"].backend == "elasticsearch"
        assert b'data-testid="search-fallback"' not in response.content

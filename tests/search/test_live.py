"""Against a real cluster: runs only when ELASTICSEARCH_URL is set (see README, "Search").

    ELASTICSEARCH_URL=https://es.internal:9200 ELASTICSEARCH_USERNAME=… ELASTICSEARCH_PASSWORD=… \\
        .venv/bin/pytest -m elasticsearch_live tests/search -n 0

The tests work in their own alias (xietong-live-test-*) and delete it afterwards.
"""

import os
import uuid

import pytest

from intranet.settings.environment import elasticsearch_options_from_env
from search import indexing, outbox, sync
from search.backends import elasticsearch
from search.query import SearchQuery
from search.selectors import search_for
from tests.factories.search import entry

pytestmark = [
    pytest.mark.elasticsearch_live,
    pytest.mark.django_db,
    pytest.mark.skipif(
        not os.environ.get("ELASTICSEARCH_URL"),
        reason="ELASTICSEARCH_URL is not set: no real Elasticsearch cluster to test against",
    ),
]


@pytest.fixture
def live_cluster(settings):
    settings.ELASTICSEARCH_URL = os.environ["ELASTICSEARCH_URL"]
    settings.ELASTICSEARCH_OPTIONS = elasticsearch_options_from_env()
    settings.SEARCH_INDEX_ALIAS = f"xietong-live-test-{uuid.uuid4().hex[:8]}"
    settings.SEARCH_ELASTICSEARCH_REFRESH = "wait_for"
    yield
    client = elasticsearch.client()
    client.indices.delete(index=f"{settings.SEARCH_INDEX_ALIAS}-*", ignore_unavailable=True)


def test_setup_write_search_and_reindex(live_cluster, static_provider, staff):
    indexing.setup()
    static_provider.put(
        entry(
            "knowledge", "1", "职工带薪年休假管理办法", "年休假的申请", exact=("一拖〔2026〕15号",)
        ),
        entry("knowledge", "2", "保密规定", access=("user:0",)),
    )
    outbox.enqueue_many("knowledge", ["1", "2"])
    assert sync.drain().sent >= 2
    assert [h.key for h in search_for(staff, SearchQuery.build("休假")).hits] == ["1"]
    assert search_for(staff, SearchQuery.build("一拖〔2026〕15号")).hits[0].key == "1"
    assert search_for(staff, SearchQuery.build("保密")).total == 0
    before = elasticsearch.current_index()
    report = indexing.rebuild(to_database=False)
    assert report["old_index"] == before and elasticsearch.current_index() != before
    assert search_for(staff, SearchQuery.build("休假")).backend == "elasticsearch"

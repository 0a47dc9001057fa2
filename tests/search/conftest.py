"""Fixtures of the search tests: each behaviour runs on the database backend and on Elasticsearch
(an in-memory OpenSearch-compatible osmem server, one clone per test)."""

import socket

import pytest
from django.db import transaction

from search import indexing, sync
from search.backends import elasticsearch
from search.models import OutboxEntry
from search.registry import SearchProvider, register, unregister

BACKENDS = ["database", "elasticsearch"]


def use_elasticsearch(settings, url: str) -> None:
    settings.ELASTICSEARCH_URL = url
    # osmem, like OpenSearch, refuses the compatibility media type the client sends in "stack" mode.
    settings.ELASTICSEARCH_OPTIONS = {"server_mode": "serverless", "request_timeout": 5}
    settings.SEARCH_ELASTICSEARCH_REFRESH = True
    settings.SEARCH_INDEX_ALIAS = "test-entries"


@pytest.fixture
def silent_elasticsearch_url():
    """A loopback port that accepts connections and never answers: a hung Elasticsearch, which
    costs every request the full timeout (a closed port would refuse at once)."""
    with socket.socket() as listener:
        listener.bind(("127.0.0.1", 0))
        listener.listen(64)
        yield f"http://127.0.0.1:{listener.getsockname()[1]}"


@pytest.fixture
def database_backend(settings):
    settings.ELASTICSEARCH_URL = None
    return "database"


@pytest.fixture
def elasticsearch_backend(settings, osmem_clone, db):
    use_elasticsearch(settings, osmem_clone.url)
    indexing.setup()
    return "elasticsearch"


@pytest.fixture(params=BACKENDS)
def backend(request, settings, db):
    """Run the test once with each backend."""
    return request.getfixturevalue(f"{request.param}_backend")


@pytest.fixture
def index_everything(backend):
    """Rebuild the indexes from every provider, as `search_reindex` does."""

    def rebuild():
        indexing.rebuild()

    return rebuild


@pytest.fixture
def drain():
    """Send the queued index work now (the test's transaction never commits, so on_commit hooks
    never schedule it)."""

    def run():
        return sync.drain()

    return run


class StaticProvider(SearchProvider):
    """A provider whose entries the test sets, registered under its own kind."""

    def __init__(self, kind: str, label: str = ""):
        self.kind, self.label, self.items = kind, label or kind, {}

    def entries(self):
        return list(self.items.values())

    def entry_for(self, key):
        return self.items.get(key)

    def put(self, *entries):
        for entry in entries:
            self.items[entry.key] = entry


@pytest.fixture
def static_provider():
    """A 'knowledge' provider with test-chosen entries (the real one belongs to another app)."""
    from search import registry

    previous = registry.provider_for("knowledge")
    provider = StaticProvider("knowledge", "Knowledge")
    register(provider)
    yield provider
    unregister("knowledge")
    if previous is not None:
        register(previous)


def put_entries(provider: StaticProvider, *entries) -> None:
    """Add entries through the outbox and send them, as an app's service would."""
    from search import outbox

    provider.put(*entries)
    with transaction.atomic():
        outbox.enqueue_many(provider.kind, [e.key for e in entries])
    sync.drain()


def pending():
    return OutboxEntry.objects.filter(done_at__isnull=True)


@pytest.fixture
def refresh_index():
    def run():
        if sync.elasticsearch_enabled():
            elasticsearch.refresh()

    return run

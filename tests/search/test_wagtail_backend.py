"""Wagtail's own admin search: Elasticsearch (Wagtail's backend) when configured, else the
database."""

import importlib
from io import StringIO

import pytest
from django.core.management import call_command
from wagtail.search.backends import get_search_backend

from tests.factories.publishing import NewsPageFactory

pytestmark = pytest.mark.django_db


@pytest.fixture
def settings_module(monkeypatch):
    """Re-read intranet.settings.base under a changed environment; restored afterwards."""
    import intranet.settings.base as base

    def read(**environment):
        for name, value in environment.items():
            monkeypatch.setenv(name, value)
        return importlib.reload(base)

    yield read
    monkeypatch.delenv("ELASTICSEARCH_URL", raising=False)
    monkeypatch.delenv("ELASTICSEARCH_SERVER_MODE", raising=False)
    importlib.reload(base)


def test_without_elasticsearch_wagtail_uses_the_database(settings_module, monkeypatch):
    monkeypatch.delenv("ELASTICSEARCH_URL", raising=False)
    module = settings_module()
    assert module.WAGTAILSEARCH_BACKENDS["default"]["BACKEND"] == "wagtail.search.backends.database"


def test_with_elasticsearch_wagtail_indexes_and_finds_pages(
    settings_module, settings, osmem_url, portal
):
    module = settings_module(ELASTICSEARCH_URL=osmem_url, ELASTICSEARCH_SERVER_MODE="serverless")
    configured = module.WAGTAILSEARCH_BACKENDS["default"]
    assert configured["BACKEND"] == "wagtail.search.backends.elasticsearch9"
    assert configured["INDEX_PREFIX"] != module.SEARCH_INDEX_ALIAS
    settings.WAGTAILSEARCH_BACKENDS = module.WAGTAILSEARCH_BACKENDS
    news = NewsPageFactory(title="集团召开安全生产工作会议")
    call_command("update_index", stdout=StringIO())
    backend = get_search_backend("default")
    assert type(backend).__name__ == "Elasticsearch9SearchBackend"
    assert list(backend.search("安全生产", type(news))) == [news]

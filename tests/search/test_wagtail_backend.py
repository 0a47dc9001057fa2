"""Wagtail's own index (the admin search) lives in the database whatever the intranet search uses,
so an Elasticsearch outage neither slows publishing nor breaks the admin search."""

import importlib
import logging
import time
from io import StringIO

import pytest
from django.core.management import call_command
from django.urls import reverse
from wagtail.search.backends import get_search_backend
from wagtail.test.utils.form_data import inline_formset, nested_form_data, rich_text

from home.models import NoticeIndexPage, NoticePage
from tests.factories.publishing import NewsPageFactory

pytestmark = pytest.mark.django_db

TIMEOUT_SECONDS = 3


@pytest.fixture
def settings_module(monkeypatch):
    """Re-read intranet.settings.base under a changed environment; restored afterwards."""
    import intranet.settings.base as base

    def read(**environment):
        for name, value in environment.items():
            monkeypatch.setenv(name, value)
        return importlib.reload(base)

    yield read
    for name in ("ELASTICSEARCH_URL", "ELASTICSEARCH_SERVER_MODE", "SEARCH_ELASTICSEARCH_TIMEOUT"):
        monkeypatch.delenv(name, raising=False)
    importlib.reload(base)


@pytest.fixture
def configure_elasticsearch(settings_module, settings):
    """Apply the project's settings as they come out with ELASTICSEARCH_URL=url."""

    def configure(url):
        module = settings_module(
            ELASTICSEARCH_URL=url,
            ELASTICSEARCH_SERVER_MODE="serverless",
            SEARCH_ELASTICSEARCH_TIMEOUT=str(TIMEOUT_SECONDS),
        )
        for name in (
            "ELASTICSEARCH_URL",
            "ELASTICSEARCH_OPTIONS",
            "SEARCH_ELASTICSEARCH_TIMEOUT",
            "WAGTAILSEARCH_BACKENDS",
        ):
            setattr(settings, name, getattr(module, name))

    return configure


@pytest.fixture
def editor_client(client, staff, portal):
    staff.is_superuser = True
    staff.save()
    client.force_login(staff)
    return client


def notice_form(staff, title):
    return nested_form_data(
        {
            "title": title,
            "slug": "es-outage",
            "issuing_department": str(staff.department_id),
            "audience": "everyone",
            "priority": "0",
            "body": rich_text("<p>正文</p>"),
            "attachments": inline_formset([]),
            "action-publish": "publish",
        }
    )


def timed_publish(client, staff, title) -> float:
    page = NoticePage.objects.first()
    if page is None:
        url = reverse(
            "wagtailadmin_pages:add", args=["home", "noticepage", NoticeIndexPage.objects.get().pk]
        )
    else:
        url = reverse("wagtailadmin_pages:edit", args=[page.pk])
    started = time.perf_counter()
    response = client.post(url, notice_form(staff, title))
    elapsed = time.perf_counter() - started
    assert response.status_code == 302
    assert NoticePage.objects.get().title == title
    return elapsed


def test_with_or_without_elasticsearch_wagtail_uses_the_database(settings_module):
    for environment in ({}, {"ELASTICSEARCH_URL": "http://127.0.0.1:9200"}):
        module = settings_module(**environment)
        backend = module.WAGTAILSEARCH_BACKENDS["default"]["BACKEND"]
        assert backend == "wagtail.search.backends.database"


def test_publishing_with_elasticsearch_down_takes_no_longer_than_with_it_running(
    editor_client, staff, configure_elasticsearch, osmem_url, silent_elasticsearch_url, caplog
):
    configure_elasticsearch(osmem_url)
    timed_publish(editor_client, staff, "关于停电的通知")  # first request: warms the caches
    running = timed_publish(editor_client, staff, "关于停电的通知（修订）")

    configure_elasticsearch(silent_elasticsearch_url)
    with caplog.at_level(logging.ERROR):
        down = timed_publish(editor_client, staff, "关于停电的通知（再修订）")

    # A single wait on Elasticsearch would cost TIMEOUT_SECONDS.
    assert down < running + TIMEOUT_SECONDS / 2
    assert not [record for record in caplog.records if record.levelno >= logging.ERROR]


def test_admin_page_search_answers_with_elasticsearch_down(
    editor_client, staff, configure_elasticsearch, silent_elasticsearch_url
):
    configure_elasticsearch(silent_elasticsearch_url)
    news = NewsPageFactory(title="集团召开安全生产工作会议")
    call_command("update_index", stdout=StringIO())

    response = editor_client.get(reverse("wagtailadmin_pages:search"), {"q": news.title})

    assert response.status_code == 200
    assert list(response.context["pages"]) == [news]


def test_search_setup_rebuilds_the_wagtail_index(database_backend, portal):
    news = NewsPageFactory(title="年度安全检查")
    out = StringIO()

    call_command("search_setup", stdout=out)

    assert "the database backend serves searches" in out.getvalue()
    assert list(get_search_backend().search(news.title, type(news))) == [news]

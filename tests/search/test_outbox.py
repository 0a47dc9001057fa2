"""The outbox: index work is written with the change, sent after it, kept while the index is
down."""

import time

import pytest
from django.core.cache import cache
from django.db import transaction
from django.utils import timezone

from home.models import NoticePage
from search import outbox, sync
from search.backends import elasticsearch
from search.models import OutboxEntry, SearchEntryRecord, SyncState
from search.query import SearchQuery
from search.selectors import search_for
from tests.factories import UserFactory
from tests.factories.publishing import NewsPageFactory, NoticePageFactory
from tests.factories.search import entry
from tests.search.conftest import pending, put_entries, use_elasticsearch

pytestmark = pytest.mark.django_db

UNREACHABLE_URL = "http://127.0.0.1:9"  # the discard port: nothing listens there


def found(user, text):
    return [(hit.kind, hit.key) for hit in search_for(user, SearchQuery.build(text)).hits]


class TestSameTransaction:
    def test_publishing_writes_the_row_with_the_page(self, database_backend, portal, headquarters):
        page = NoticePageFactory(title="放假通知", issuing_department=headquarters)
        assert OutboxEntry.objects.filter(kind="notice", key=str(page.pk)).exists()

    def test_a_rolled_back_change_leaves_no_row(self, database_backend, portal, headquarters):
        with pytest.raises(RuntimeError), transaction.atomic():
            NoticePageFactory(title="放假通知", issuing_department=headquarters)
            raise RuntimeError("the change fails after publishing")
        assert not OutboxEntry.objects.exists()

    def test_the_drain_runs_after_commit_and_the_entry_is_searchable(
        self, backend, portal, headquarters, django_capture_on_commit_callbacks
    ):
        with (
            django_capture_on_commit_callbacks(execute=True) as callbacks,
            transaction.atomic(),
        ):
            page = NoticePageFactory(title="年度体检安排", issuing_department=headquarters)
            NoticePageFactory(title="体检须知", issuing_department=headquarters)
        # One drain per transaction, however many rows (other apps may add their own callbacks).
        assert [callback for callback in callbacks if callback is outbox._schedule_drain] == [
            outbox._schedule_drain
        ]
        assert not pending().exists()
        reader = UserFactory(department=headquarters)
        assert ("notice", str(page.pk)) in found(reader, "体检")

    def test_unpublishing_and_deleting_remove_the_entry(self, backend, portal, staff, drain):
        news = NewsPageFactory(title="职工运动会开幕")
        other = NewsPageFactory(title="职工运动会闭幕")
        drain()
        assert len(found(staff, "运动会")) == 2
        news.unpublish()
        other.delete()
        drain()
        assert found(staff, "运动会") == []

    def test_a_disabled_account_leaves_the_index(self, backend, staff, drain):
        colleague = UserFactory(name="欧阳修", position="会计")
        drain()
        assert found(staff, "欧阳修") == [("person", str(colleague.pk))]
        colleague.is_active = False
        colleague.save()
        drain()
        assert found(staff, "欧阳修") == []

    def test_signing_in_queues_nothing(self, database_backend, staff, client, password):
        OutboxEntry.objects.all().delete()
        client.post("/accounts/login/", {"username": staff.username, "password": password})
        staff.refresh_from_db()
        assert staff.last_login is not None
        assert not OutboxEntry.objects.exists()

    def test_a_changed_audience_changes_who_finds_the_notice(
        self, backend, portal, headquarters, unit_a, staff, drain
    ):
        page = NoticePageFactory(title="内部通知", issuing_department=headquarters)
        drain()
        assert found(staff, "内部通知")
        revision_page = NoticePage.objects.get(pk=page.pk)
        revision_page.audience = NoticePage.Audience.CHOSEN
        revision_page.audience_units = [headquarters.add_child(code="X", name="其他", kind="unit")]
        revision_page.save_revision().publish()
        drain()
        assert found(staff, "内部通知") == []


class TestElasticsearchDown:
    def test_rows_stay_queued_with_backoff_and_the_error_is_kept(
        self, settings, database_backend, static_provider
    ):
        use_elasticsearch(settings, UNREACHABLE_URL)
        settings.ELASTICSEARCH_OPTIONS = {"server_mode": "serverless", "request_timeout": 1}
        static_provider.put(entry("knowledge", "1", "手册"))
        outbox.enqueue("knowledge", "1")
        report = sync.drain()
        row = OutboxEntry.objects.get()
        assert report.sent == 0 and row.done_at is None
        assert row.attempts == 1 and row.next_attempt_at > timezone.now()
        assert "Connection" in row.last_error
        assert SyncState.objects.get(name="index").last_error
        # The database index got it already, so the fallback finds it.
        assert SearchEntryRecord.objects.filter(kind="knowledge", key="1").exists()
        # Not due yet: a second drain leaves it alone.
        sync.drain()
        assert OutboxEntry.objects.get().attempts == 1

    def test_after_a_failure_the_next_drains_do_not_wait_for_it(
        self, settings, database_backend, static_provider, silent_elasticsearch_url
    ):
        """A drain inside a request (immediate task backend) must not wait through the timeout
        again and again while Elasticsearch hangs: the rows wait for the pause to end, untried."""
        use_elasticsearch(settings, silent_elasticsearch_url)
        settings.ELASTICSEARCH_OPTIONS = {"server_mode": "serverless", "request_timeout": 1}
        static_provider.put(entry("knowledge", "1", "手册"), entry("knowledge", "2", "制度"))
        outbox.enqueue("knowledge", "1")
        sync.drain()  # waits through the timeout once, and notices the outage
        paused_until = elasticsearch.unreachable_until()
        assert paused_until > timezone.now()

        outbox.enqueue("knowledge", "2")
        started = time.perf_counter()
        report = sync.drain()
        assert time.perf_counter() - started < 0.5
        second = OutboxEntry.objects.get(key="2")
        assert second.done_at is None and second.attempts == 0
        assert second.next_attempt_at == paused_until == report.retry_at
        assert SearchEntryRecord.objects.filter(kind="knowledge", key="2").exists()

    def test_backoff_doubles_up_to_a_ceiling(self, settings):
        settings.SEARCH_RETRY_BASE_SECONDS = 10
        settings.SEARCH_RETRY_MAX_SECONDS = 60
        assert [sync.backoff(n).total_seconds() for n in (1, 2, 3, 4, 5)] == [10, 20, 40, 60, 60]

    def test_after_it_returns_every_queued_change_reaches_the_index(
        self, settings, osmem_clone, static_provider, staff
    ):
        use_elasticsearch(settings, osmem_clone.url)
        from search import indexing

        indexing.setup()
        put_entries(
            static_provider, *[entry("knowledge", f"old{n}", f"旧手册{n}") for n in range(5)]
        )

        use_elasticsearch(settings, UNREACHABLE_URL)
        settings.ELASTICSEARCH_OPTIONS = {"server_mode": "serverless", "request_timeout": 1}
        changes = [entry("knowledge", f"new{n}", f"新手册{n}") for n in range(40)]
        for change in changes:
            static_provider.put(change)
            outbox.enqueue("knowledge", change.key)
        static_provider.items.pop("old0")
        outbox.enqueue("knowledge", "old0")
        sync.drain()
        assert pending().count() == 41

        use_elasticsearch(settings, osmem_clone.url)
        pending().update(next_attempt_at=timezone.now())  # the backoff has run out
        cache.delete(elasticsearch.DOWN_CACHE_KEY)  # and so has the pause after the failure
        report = sync.drain()
        assert report.sent == 41 and not pending().exists()
        elasticsearch.refresh()
        knowledge = {"term": {"kind": "knowledge"}}
        assert (
            elasticsearch.client().count(index=elasticsearch.alias(), query=knowledge)["count"]
            == 44
        )
        results = search_for(staff, SearchQuery.build("新手册", page_size=100))
        assert results.backend == "elasticsearch" and results.total == 40
        assert search_for(staff, SearchQuery.build("旧手册")).total == 4


def test_a_broken_entry_does_not_hold_back_the_others(database_backend, static_provider, staff):
    class Broken(Exception):
        pass

    static_provider.put(entry("knowledge", "good", "好手册"))
    original = static_provider.entry_for

    def entry_for(key):
        if key == "bad":
            raise Broken("cannot build")
        return original(key)

    static_provider.entry_for = entry_for
    outbox.enqueue_many("knowledge", ["good", "bad"])
    sync.drain()
    assert OutboxEntry.objects.get(key="good").done_at is not None
    bad = OutboxEntry.objects.get(key="bad")
    assert bad.done_at is None and "cannot build" in bad.last_error
    assert found(staff, "好手册") == [("knowledge", "good")]


def test_done_rows_are_purged_after_the_retention(database_backend, settings):
    settings.SEARCH_OUTBOX_RETENTION_DAYS = 7
    OutboxEntry.objects.create(
        kind="news", key="1", done_at=timezone.now() - timezone.timedelta(days=8)
    )
    OutboxEntry.objects.create(kind="news", key="2", done_at=timezone.now())
    sync.drain()
    assert list(OutboxEntry.objects.values_list("key", flat=True)) == ["2"]


def test_search_drain_command(database_backend, static_provider):
    from io import StringIO

    from django.core.management import call_command

    static_provider.put(entry("knowledge", "1", "手册"))
    outbox.enqueue("knowledge", "1")
    out = StringIO()
    call_command("search_drain", stdout=out)
    assert "sent 1" in out.getvalue() and not pending().exists()

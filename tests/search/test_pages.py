"""The search page, the API, best bets, the zero-result log and the administrators' screen."""

import pytest
from django.urls import reverse

from people.models import OrgUnit, Role
from search.models import BestBet, ZeroResultSearch
from search.registry import providers
from tests.factories import OrgUnitFactory, RoleAssignmentFactory, UserFactory
from tests.factories.search import BestBetFactory, entry
from tests.search.conftest import put_entries

pytestmark = pytest.mark.django_db


@pytest.fixture
def sysadmin_client(client, unit_a):
    admin = UserFactory(username="sysadmin", name="管理员")
    RoleAssignmentFactory(user=admin, role=Role.SYSTEM_ADMIN, unit=None)
    client.force_login(admin)
    return client


def test_the_apps_register_their_providers():
    assert {"news", "notice", "person"} <= {provider.kind for provider in providers()}


class TestSearchPage:
    def test_results_with_facets_highlights_and_paging(
        self, backend, static_provider, staff_client
    ):
        put_entries(
            static_provider,
            *[
                entry(
                    "knowledge", str(n), f"安全手册{n}", "安全规程", unit="UA", unit_name="甲单位"
                )
                for n in range(25)
            ],
        )
        response = staff_client.get(reverse("search:search"), {"q": "安全"})
        page = response.content.decode()
        assert response.status_code == 200
        assert page.count('data-testid="search-result"') == 20
        assert "<mark>安全</mark>" in page
        assert 'data-kind="knowledge"' in page and "甲单位" in page
        assert "page=2" in page
        second = staff_client.get(reverse("search:search"), {"q": "安全", "page": 2})
        assert second.content.decode().count('data-testid="search-result"') == 5

    def test_kind_facet_link_filters(self, backend, static_provider, staff_client):
        put_entries(static_provider, entry("knowledge", "1", "安全手册"))
        response = staff_client.get(reverse("search:search"), {"q": "安全", "kind": "knowledge"})
        assert response.context["kind_facets"][0]["selected"]
        # Following the selected facet again clears it.
        assert "kind=" not in response.context["kind_facets"][0]["query"]

    def test_an_empty_query_shows_the_prompt(self, database_backend, staff_client):
        response = staff_client.get(reverse("search:search"))
        assert response.status_code == 200 and response.context["results"] is None

    def test_signed_out_visitors_are_sent_to_sign_in(self, database_backend, client):
        response = client.get(reverse("search:search"), {"q": "安全"})
        assert response.status_code == 302 and "/login/" in response["Location"]

    def test_query_count_is_bounded(
        self, database_backend, static_provider, staff_client, django_assert_max_num_queries
    ):
        put_entries(
            static_provider, *[entry("knowledge", str(n), f"安全手册{n}") for n in range(30)]
        )
        # A first search, with the per-user caches cold; once warm it takes 3 (bench/run.py).
        with django_assert_max_num_queries(15):
            staff_client.get(reverse("search:search"), {"q": "安全"})


class TestApi:
    def test_same_results_as_the_page(self, backend, static_provider, staff_client, unit_a):
        put_entries(
            static_provider,
            entry("knowledge", "1", "安全手册", "内容", unit="UA", unit_name="甲单位"),
            entry("knowledge", "2", "安全秘籍", "内容", access=("user:0",)),
        )
        data = staff_client.get("/api/search", {"q": "安全", "kind": "knowledge"}).json()
        assert data["count"] == 1
        assert [hit["key"] for hit in data["items"]] == ["1"]
        assert data["items"][0]["title_html"] == "<mark>安全</mark>手册"
        assert data["units"] == [{"value": "UA", "label": "甲单位", "count": 1}]
        assert data["backend"] == backend

    def test_signed_out_is_refused(self, database_backend, client):
        assert client.get("/api/search", {"q": "x"}).status_code == 401


class TestBestBets:
    def test_a_pinned_entry_comes_first(self, backend, static_provider, staff):
        from search.query import SearchQuery
        from search.selectors import search_for

        put_entries(
            static_provider,
            entry("knowledge", "rules", "职工休假管理规定", "年假 病假 事假"),
            entry("knowledge", "form", "请假单", "请假 请假 请假"),
        )
        BestBetFactory(query=" 请假 ", kind="knowledge", key="rules")
        results = search_for(staff, SearchQuery.build("请假"))
        assert [(h.key, h.best_bet) for h in results.best_bets] == [("rules", True)]
        assert [h.key for h in results.hits] == ["form"]

    def test_a_pin_the_searcher_may_not_see_is_not_shown(self, backend, static_provider, staff):
        from search.query import SearchQuery
        from search.selectors import search_for

        put_entries(static_provider, entry("knowledge", "secret", "保密规定", access=("user:0",)))
        BestBetFactory(query="请假", kind="knowledge", key="secret")
        results = search_for(staff, SearchQuery.build("请假"))
        assert results.best_bets == [] and results.total == 0

    def test_administrators_pin_from_the_results(
        self, database_backend, static_provider, sysadmin_client
    ):
        put_entries(static_provider, entry("knowledge", "rules", "休假管理规定"))
        response = sysadmin_client.post(
            reverse("search:best_bet_create"),
            {
                "query": "请假",
                "kind": "knowledge",
                "key": "rules",
                "sort_order": 0,
                "next": "/search/?q=请假",
            },
        )
        assert response.status_code == 302 and response["Location"].startswith("/search/?q=")
        assert BestBet.objects.get().normalized_query == "请假"
        bet = BestBet.objects.get()
        sysadmin_client.post(reverse("search:best_bet_delete", args=[bet.pk]))
        assert not BestBet.objects.exists()

    def test_pinning_an_unknown_entry_is_refused(self, database_backend, sysadmin_client):
        response = sysadmin_client.post(
            reverse("search:best_bet_create"),
            {"query": "请假", "kind": "knowledge", "key": "missing", "sort_order": 0},
            follow=True,
        )
        assert not BestBet.objects.exists()
        assert (
            "没有" in response.content.decode() or "No indexed entry" in response.content.decode()
        )

    def test_staff_may_not_pin(self, database_backend, static_provider, staff_client):
        put_entries(static_provider, entry("knowledge", "rules", "休假管理规定"))
        response = staff_client.post(
            reverse("search:best_bet_create"),
            {"query": "请假", "kind": "knowledge", "key": "rules"},
        )
        assert response.status_code == 403 and not BestBet.objects.exists()


class TestZeroResults:
    def test_a_search_that_finds_nothing_is_counted_per_unit_and_day(
        self, backend, staff_client, unit_a, headquarters
    ):
        for _ in range(2):
            staff_client.get(reverse("search:search"), {"q": "不存在的东西"})
        other_unit = OrgUnitFactory(parent=headquarters, code="UB", kind=OrgUnit.Kind.UNIT)
        other = UserFactory(department=other_unit)
        staff_client.force_login(other)
        staff_client.get(reverse("search:search"), {"q": "不存在的东西"})
        rows = {(row.unit, row.query): row.count for row in ZeroResultSearch.objects.all()}
        assert rows == {("UA", "不存在的东西"): 2, ("UB", "不存在的东西"): 1}

    def test_a_search_with_results_is_not_logged(self, backend, static_provider, staff_client):
        put_entries(static_provider, entry("knowledge", "1", "安全手册"))
        staff_client.get(reverse("search:search"), {"q": "安全"})
        assert not ZeroResultSearch.objects.exists()


class TestStatusScreen:
    def test_administrators_see_queue_success_and_error(
        self, database_backend, static_provider, sysadmin_client
    ):
        from search import outbox

        put_entries(static_provider, entry("knowledge", "1", "手册"))
        outbox.enqueue("knowledge", "2")
        ZeroResultSearch.objects.create(day="2026-01-05", unit="UA", query="找不到", count=3)
        response = sysadmin_client.get(reverse("search:status"))
        assert response.status_code == 200
        status = response.context["status"]
        assert status["backend"] == "database"
        assert status["queue_length"] >= 1
        assert status["last_success_at"] is not None
        assert "找不到" in response.content.decode()

    def test_the_status_shows_elasticsearch_and_its_index(
        self, elasticsearch_backend, sysadmin_client
    ):
        status = sysadmin_client.get(reverse("search:status")).context["status"]
        assert status["backend"] == "elasticsearch" and status["elasticsearch_reachable"]
        assert status["elasticsearch_index"].startswith("test-entries-v")

    def test_staff_may_not_see_it(self, database_backend, staff_client):
        assert staff_client.get(reverse("search:status")).status_code == 403

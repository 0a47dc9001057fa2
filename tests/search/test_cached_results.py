"""The database backend's answers and their rendering are cached per index version and per the
searcher's principals: a change of the index shows at once, a searcher never gets answers made
for principals they lack, and every search is still logged."""

import pytest
from django.urls import reverse

from people.models import ConcurrentPost
from search.models import QueryLogEntry
from search.services import best_bet_create
from tests.factories import OrgUnitFactory, UserFactory
from tests.factories.search import entry
from tests.search.conftest import put_entries

pytestmark = pytest.mark.django_db


def result_titles(client, text="安全") -> str:
    """The results page; the query's words are highlighted (<mark>) in the titles."""
    response = client.get(reverse("search:search"), {"q": text})
    assert response.status_code == 200
    return response.content.decode()


def test_a_newly_indexed_entry_shows_at_once(database_backend, static_provider, staff_client):
    put_entries(static_provider, entry("knowledge", "1", "安全手册"))
    assert "规程" not in result_titles(staff_client)

    put_entries(static_provider, entry("knowledge", "2", "安全规程"))

    assert "规程" in result_titles(staff_client)


def test_a_searcher_never_gets_answers_cached_for_other_principals(
    database_backend, static_provider, staff_client, client, unit_a, headquarters
):
    put_entries(
        static_provider,
        entry("knowledge", "1", "安全手册"),
        entry("knowledge", "2", "安全内部规程", access=(f"org:{unit_a.path}",)),
    )
    assert "内部规程" in result_titles(staff_client)
    unit_b = OrgUnitFactory(parent=headquarters, code="UB", name="乙单位", kind="unit")
    client.force_login(UserFactory(username="lisi", department=unit_b))

    page = result_titles(client)

    assert "手册" in page and "内部规程" not in page


def test_a_new_post_opens_the_entries_of_its_unit_at_once(
    database_backend, static_provider, client, unit_a, headquarters
):

    put_entries(
        static_provider, entry("knowledge", "2", "安全内部规程", access=(f"org:{unit_a.path}",))
    )
    unit_b = OrgUnitFactory(parent=headquarters, code="UB", name="乙单位", kind="unit")
    searcher = UserFactory(username="lisi", department=unit_b)
    client.force_login(searcher)
    assert "内部规程" not in result_titles(client)

    ConcurrentPost.objects.create(user=searcher, department=unit_a, position="兼职")

    assert "内部规程" in result_titles(client)


def test_a_pinned_result_shows_at_once(database_backend, static_provider, staff_client, staff):
    put_entries(static_provider, entry("knowledge", "1", "安全手册"))
    assert "xt-result--pinned" not in result_titles(staff_client)

    best_bet_create(actor=UserFactory(is_superuser=True), query="安全", kind="knowledge", key="1")

    assert "xt-result--pinned" in result_titles(staff_client)


def test_every_search_is_logged_even_when_answered_from_the_cache(
    database_backend, static_provider, staff_client
):
    put_entries(static_provider, entry("knowledge", "1", "安全手册"))
    result_titles(staff_client)
    result_titles(staff_client)

    assert QueryLogEntry.objects.filter(query="安全").count() == 2

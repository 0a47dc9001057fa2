"""Every search is logged for the usage statistics. On PostgreSQL a search on its own commits its
log entry without waiting for the disk; inside another transaction it changes nothing of that
transaction's durability."""

import pytest
from django.db import connection, transaction

from search.models import QueryLogEntry, ZeroResultSearch
from search.selectors import log_search


def _synchronous_commit() -> str | None:
    if connection.vendor != "postgresql":
        return None
    with connection.cursor() as cursor:
        cursor.execute("SHOW synchronous_commit")
        return cursor.fetchone()[0]


@pytest.mark.django_db(transaction=True)
def test_a_search_on_its_own_is_logged_and_counted():
    log_search("TLJ", "无此内容", 0)
    assert QueryLogEntry.objects.get().query == "无此内容"
    assert ZeroResultSearch.objects.get(unit="TLJ", query="无此内容").count == 1


@pytest.mark.django_db(transaction=True)
def test_a_search_inside_another_transaction_keeps_its_durability():
    with transaction.atomic():
        before = _synchronous_commit()
        log_search("TLJ", "安全", 3)
        assert _synchronous_commit() == before
    assert QueryLogEntry.objects.filter(query="安全", results=3).exists()


@pytest.mark.django_db
def test_a_unit_filter_with_control_characters_is_cleaned_not_a_server_error(staff_client):
    response = staff_client.get("/api/search", {"q": "安全", "unit": ["\x00", "T\x00LJ"]})
    assert response.status_code == 200

"""/api/notifications: the signed-in user's own inbox; another's answers 404."""

import pytest

from notifications.models import Notification
from notifications.services import notify

from .conftest import TEST_KIND

pytestmark = pytest.mark.django_db


@pytest.fixture
def inbox(staff, other):
    for n in range(25):
        notify(staff, kind=TEST_KIND, title=f"第{n}条", url="/")
    notify(other, kind=TEST_KIND, title="李四的")
    return Notification.objects.filter(recipient=staff)


def test_the_list_is_ones_own_newest_first_and_paged(staff_client, inbox):
    body = staff_client.get("/api/notifications", {"page_size": 10, "page": 3}).json()
    assert body["count"] == 25
    assert len(body["items"]) == 5
    assert {item["kind_label"] for item in body["items"]} == {"通知公告"}
    assert all(item["read"] is False for item in body["items"])
    first = staff_client.get("/api/notifications").json()["items"][0]
    assert first["id"] == inbox.order_by("-created_at", "-id").first().pk


def test_the_list_filters(staff_client, inbox):
    inbox.filter(title="第0条").update(read_at="2026-01-01T00:00:00Z")
    assert staff_client.get("/api/notifications", {"unread": True}).json()["count"] == 24
    assert staff_client.get("/api/notifications", {"kind": "other"}).json()["count"] == 0


@pytest.mark.parametrize("query", [{"page_size": 0}, {"page": 0}, {"page": 2**63}, {"page": "x"}])
def test_paging_out_of_bounds_is_refused(staff_client, inbox, query):
    response = staff_client.get("/api/notifications", query)
    assert response.status_code == 422


def test_the_list_has_bounded_queries(staff_client, inbox, django_assert_max_num_queries):
    staff_client.get("/api/notifications")
    with django_assert_max_num_queries(4):  # session, user, count, page
        staff_client.get("/api/notifications", {"page_size": 50})


def test_unread_count_and_marking(staff_client, inbox):
    assert staff_client.get("/api/notifications/unread-count").json() == {
        "unread": 25,
        "capped_at": 100,
    }
    one = inbox.first()
    assert staff_client.post(f"/api/notifications/{one.pk}/read").json() == {"marked": 1}
    assert staff_client.get("/api/notifications/unread-count").json()["unread"] == 24
    assert staff_client.post("/api/notifications/read-all").json() == {"marked": 24}


def test_nobody_reads_or_marks_anothers(staff_client, other, inbox):
    foreign = Notification.objects.get(recipient=other)
    assert staff_client.post(f"/api/notifications/{foreign.pk}/read").status_code == 404
    assert staff_client.post("/api/notifications/read-all").json() == {"marked": 25}
    foreign.refresh_from_db()
    assert foreign.read_at is None
    titles = {item["title"] for item in staff_client.get("/api/notifications").json()["items"]}
    assert "李四的" not in titles


def test_anonymous_callers_are_refused(client, inbox):
    assert client.get("/api/notifications").status_code == 401
    assert client.get("/api/notifications/unread-count").status_code == 401

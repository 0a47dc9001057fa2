"""/api/documents/incoming: the incoming documents (收文) a user may see, read-only, paged by the
API's convention, under the rules of `permissions.visible_incoming_documents`: another unit, the
sender included, gets 404 and never a row."""

import pytest
from django.test import Client

from people.models import OrgUnit, Role
from tests.factories import OrgUnitFactory, RoleAssignmentFactory, UserFactory
from tests.factories.incoming import received_from, unit_clerk, unit_member
from workflow import trace
from workflow.models import TraceEntry
from workflow.services.circulation import circulate

pytestmark = pytest.mark.django_db


def _signed_in(user) -> Client:
    client = Client()
    client.force_login(user)
    return client


@pytest.fixture
def unit_b(headquarters):
    return OrgUnitFactory(parent=headquarters, code="UB", name="乙单位", kind=OrgUnit.Kind.UNIT)


@pytest.fixture
def clerk_a(unit_a):
    return unit_clerk(unit_a, "UA-BGS", name="甲文书")


@pytest.fixture
def clerk_b(unit_b):
    return unit_clerk(unit_b, "UB-BGS", name="乙文书")


@pytest.fixture
def incoming(unit_a, unit_b, clerk_a):
    """A document unit B sent to unit A, registered by unit A's clerk."""
    return received_from(unit_b, unit=unit_a, clerk=clerk_a, urgency="urgent", copies=2)


def test_the_units_clerk_lists_and_opens_it(incoming, clerk_a):
    client = _signed_in(clerk_a)
    listed = client.get("/api/documents/incoming").json()
    assert (listed["count"], listed["page"], listed["num_pages"]) == (1, 1, 1)
    detail = client.get(f"/api/documents/incoming/{incoming.pk}")
    assert detail.status_code == 200
    assert listed["items"] == [detail.json()]
    assert detail.json() | {"received_on": None} == {
        "id": incoming.pk,
        "title": "关于开展冬季安全生产大检查的通知",
        "classification": "non_secret",
        "urgency": "urgent",
        "urgency_label": "加急",
        "incoming_number": incoming.number_text,
        "sender": "乙单位",
        "sender_number": "乙安〔2026〕7号",
        "received_on": None,
        "copies": 2,
        "deadline": None,
        "unit": "甲单位",
        "registered_by": "甲文书",
        "attachments": [],
        "url": f"/api/documents/incoming/{incoming.pk}",
    }


def test_a_circulation_reader_and_a_handler_see_it(incoming, clerk_a, unit_a):
    reader = unit_member(unit_a, "UA-SC", name="甲读者")
    handler = unit_member(unit_a, "UA-LD", name="甲领导", is_leader=True)
    circulate(incoming, readers=[reader], by=clerk_a)
    trace.append(incoming, step="instruct", action=TraceEntry.Action.APPROVE, actor=handler)
    for user in (reader, handler):
        client = _signed_in(user)
        assert client.get(f"/api/documents/incoming/{incoming.pk}").status_code == 200
        assert client.get("/api/documents/incoming").json()["count"] == 1


def test_another_unit_the_sender_and_a_colleague_get_404_and_no_row(incoming, clerk_b, clerk_a):
    colleague = UserFactory(department=clerk_a.department, name="甲科员")
    outsider_clerk = RoleAssignmentFactory(role=Role.FILE_CLERK).user
    for user in (clerk_b, colleague, outsider_clerk):
        client = _signed_in(user)
        response = client.get(f"/api/documents/incoming/{incoming.pk}")
        assert response.status_code == 404
        assert response.json()["detail"]
        assert client.get("/api/documents/incoming").json()["count"] == 0


def test_it_is_read_only(incoming, clerk_a):
    client = _signed_in(clerk_a)
    for method in ("post", "put", "patch", "delete"):
        response = getattr(client, method)(f"/api/documents/incoming/{incoming.pk}")
        assert response.status_code in (403, 405), method
    incoming.refresh_from_db()
    assert incoming.title == "关于开展冬季安全生产大检查的通知"


def test_signed_out_is_refused(incoming):
    assert Client().get("/api/documents/incoming").status_code == 401


def test_a_malformed_or_unknown_id_is_never_a_server_error(clerk_a):
    client = _signed_in(clerk_a)
    assert client.get("/api/documents/incoming/999999").status_code == 404
    assert client.get(f"/api/documents/incoming/{2**63}").status_code in (404, 422)
    assert client.get("/api/documents/incoming/x").status_code == 404
    assert client.get("/api/documents/incoming?page=0").status_code == 422


def test_the_list_pages_in_bounded_queries(unit_a, clerk_a, django_assert_max_num_queries):
    for index in range(25):
        received_from(None, unit=unit_a, clerk=clerk_a, title=f"来文{index}")
    client = _signed_in(clerk_a)
    with django_assert_max_num_queries(15):
        first = client.get("/api/documents/incoming?page_size=20").json()
    assert (first["count"], first["num_pages"], len(first["items"])) == (25, 2, 20)
    second = client.get("/api/documents/incoming?page=2&page_size=20").json()
    assert len(second["items"]) == 5

"""The documents API: my to-do tasks and one document, under the screens' rules."""

from datetime import timedelta

import pytest
from django.urls import reverse
from django.utils import timezone

from tests.factories.documents import draft_document, open_task
from workflow import services
from workflow.models import Urgency

from .conftest import arrived_days_ago

TASKS = "/api/documents/tasks"


def document_url(document):
    return f"/api/documents/{document.pk}"


def test_my_tasks_lists_the_tasks_waiting_for_me(office, at_step, client_for):
    document = at_step("check", title="防汛紧急通知", urgency=Urgency.VERY_URGENT)
    arrived_days_ago(document, 2)
    task = open_task(document)

    response = client_for(office.production_head).get(TASKS)

    assert response.status_code == 200
    body = response.json()
    assert body["count"] == 1
    (item,) = body["items"]
    assert item["id"] == task.pk
    assert item["step"] == "check"
    assert item["document_id"] == document.pk
    assert item["title"] == "防汛紧急通知"
    assert item["urgency"] == "very_urgent"
    assert item["overdue"] is True
    assert item["url"] == reverse(
        "workflow:documents:flows:outgoing:check:execute", args=[task.process_id, task.pk]
    )


def test_my_tasks_shows_nothing_of_others(office, other_office, at_step, client_for):
    at_step("check")
    draft_document(other_office)

    for person in (office.outsider, office.leader, office.clerk, other_office.production_head):
        assert client_for(person).get(TASKS).json() == {
            "count": 0,
            "page": 1,
            "num_pages": 1,
            "items": [],
        }


def test_my_tasks_filters_and_pages(office, client_for):
    for n in range(5):
        draft_document(office, title=f"加急{n}", urgency=Urgency.URGENT)
    draft_document(office, title="平件")
    drafter = client_for(office.drafter)

    urgent = drafter.get(TASKS, {"urgency": "urgent", "page": 2, "page_size": 2}).json()
    normal = drafter.get(TASKS, {"urgency": "normal"}).json()
    step = drafter.get(TASKS, {"step": "sign_off"}).json()

    assert urgent["count"] == 5
    assert [item["title"] for item in urgent["items"]] == ["加急2", "加急3"]
    assert [item["title"] for item in normal["items"]] == ["平件"]
    assert step["count"] == 0


def test_a_deputy_sees_the_leaders_task_on_their_behalf(office, at_step, client_for):
    at_step("sign_off")
    today = timezone.localdate()
    services.delegation_create(
        user=office.leader,
        leader=office.leader,
        deputy=office.second_leader,
        starts_on=today,
        ends_on=today + timedelta(days=1),
    )

    (item,) = client_for(office.second_leader).get(TASKS).json()["items"]

    assert item["on_behalf_of"] == "马总"


def test_a_document_is_shown_to_those_who_may_see_it(office, at_step, client_for):
    document = at_step("sign_off")

    for person in (office.drafter, office.production_head, office.leader, office.clerk):
        response = client_for(person).get(document_url(document))
        assert response.status_code == 200, person
    body = client_for(office.drafter).get(document_url(document)).json()
    assert body["title"] == document.title
    assert [r["name"] for r in body["main_recipients"]] == ["生产部", "财务部"]
    assert [r["name"] for r in body["copy_recipients"]] == ["市应急管理局"]
    assert body["signers"] == ["马总"]
    assert body["pdf_url"] is None


@pytest.mark.parametrize("who", ["outsider", "finance_head", "second_leader"])
def test_a_document_is_not_found_for_those_who_may_not_see_it(office, at_step, client_for, who):
    document = at_step("sign_off")

    response = client_for(getattr(office, who)).get(document_url(document))

    assert response.status_code == 404


def test_a_document_of_another_unit_is_not_found(office, other_office, client_for):
    document = draft_document(office)

    for person in (other_office.clerk, other_office.process_admin, other_office.drafter):
        assert client_for(person).get(document_url(document)).status_code == 404
    assert client_for(office.drafter).get("/api/documents/999999").status_code == 404


def test_the_api_needs_a_signed_in_user(client, document):
    assert client.get(TASKS).status_code == 401
    assert client.get(document_url(document)).status_code == 401


def test_my_tasks_reads_a_bounded_number_of_queries(
    office, client_for, django_assert_max_num_queries
):
    drafter = client_for(office.drafter)
    draft_document(office)
    with django_assert_max_num_queries(15) as few:
        drafter.get(TASKS)
    for n in range(20):
        draft_document(office, title=f"草稿{n}")

    with django_assert_max_num_queries(len(few.captured_queries)):
        body = drafter.get(TASKS).json()

    assert body["count"] == 21

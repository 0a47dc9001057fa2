"""The process administrator (流程管理员): the unit's running processes, reassigning a stuck task
and cancelling a process, each with a reason, traced, and refused to everyone else."""

import pytest
from django.urls import reverse
from viewflow.workflow.models import Task

from tests.factories.documents import advance, draft_document, open_task
from workflow.models import OutgoingDocument, TraceEntry

from .conftest import arrived_days_ago


def processes_url(office):
    return reverse("gongwen:processes", args=[office.unit.pk])


def reassign_url(task):
    return reverse("gongwen:task_reassign", args=[task.pk])


def cancel_url(document):
    return reverse("gongwen:process_cancel", args=[document.pk])


def test_the_administrator_sees_the_units_running_processes_with_step_and_handler(
    office, other_office, at_step, client_for
):
    waiting = at_step("sign_off", title="待签发的通知")
    stuck = at_step("check", title="卡住的通知")
    arrived_days_ago(stuck, 10)
    finished = draft_document(office, title="已分发的通知")
    advance(finished, office, until="finished")
    draft_document(other_office, title="乙单位的通知")

    response = client_for(office.process_admin).get(processes_url(office))

    assert response.status_code == 200
    listed = {item.document.title: item for item in response.context["processes"]}
    assert set(listed) == {"待签发的通知", "卡住的通知"}
    assert [task.owner for task in listed["待签发的通知"].tasks] == [office.leader]
    assert listed["卡住的通知"].is_stuck
    assert not listed["待签发的通知"].is_stuck
    html = response.content.decode()
    assert "马总" in html and "周部长" in html
    assert reassign_url(open_task(waiting)) in html
    assert cancel_url(waiting) in html


def test_parallel_countersigns_are_each_listed(office, client_for):
    document = draft_document(office)
    advance(document, office, until="countersign", countersign=[office.finance, office.safety])

    response = client_for(office.process_admin).get(processes_url(office))

    (item,) = response.context["processes"]
    assert {task.owner for task in item.tasks} == {office.finance_head, office.safety_head}


@pytest.mark.parametrize(
    "who, refused",
    # 403 to those who see the document, 404 to the others (its id is not confirmed to them)
    [("clerk", 403), ("drafter", 403), ("leader", 404), ("verifier", 404), ("outsider", 404)],
)
def test_nobody_else_of_the_unit_administers_its_processes(
    office, at_step, client_for, who, refused
):
    document = at_step("check")
    task = open_task(document)
    person = client_for(getattr(office, who))

    assert person.get(processes_url(office)).status_code == 403
    assert person.get(reverse("gongwen:process_admin")).status_code == 403
    assert person.get(reassign_url(task)).status_code == refused
    assert (
        person.post(
            reassign_url(task), {"to_user": office.verifier.pk, "reason": "调整"}
        ).status_code
        == refused
    )
    assert person.post(cancel_url(document), {"reason": "不需要了"}).status_code == refused
    task.refresh_from_db()
    assert task.owner == office.production_head
    assert not TraceEntry.objects.filter(
        action__in=[TraceEntry.Action.REASSIGN, TraceEntry.Action.CANCEL]
    ).exists()


def test_the_administrator_of_another_unit_is_refused(office, other_office, at_step, client_for):
    document = at_step("check")
    task = open_task(document)
    stranger = client_for(other_office.process_admin)

    assert stranger.get(processes_url(office)).status_code == 403
    assert (
        stranger.post(
            reassign_url(task), {"to_user": office.verifier.pk, "reason": "调整"}
        ).status_code
        == 404
    )
    assert stranger.post(cancel_url(document), {"reason": "不需要了"}).status_code == 404
    document.refresh_from_db()
    assert document.status == OutgoingDocument.Status.IN_PROGRESS


def test_the_administrator_reassigns_a_stuck_task_with_a_reason(office, at_step, client_for):
    document = at_step("check")
    task = open_task(document)
    admin = client_for(office.process_admin)

    form = admin.get(reassign_url(task))
    assert form.status_code == 200
    assert "周部长" in form.content.decode()
    response = admin.post(
        reassign_url(task), {"to_user": office.second_leader.pk, "reason": "周部长出差"}
    )

    assert response.status_code == 302
    assert response["Location"] == processes_url(office)
    task.refresh_from_db()
    assert task.owner == office.second_leader
    entry = TraceEntry.objects.filter(document=document).latest("pk")
    assert entry.action == TraceEntry.Action.REASSIGN
    assert entry.actor == office.process_admin
    assert entry.opinion == "周部长出差"
    assert entry.next_users == ["王副总"]
    todo = client_for(office.second_leader).get(reverse("gongwen:todo"))
    assert [row.task.pk for row in todo.context["rows"]] == [task.pk]
    assert client_for(office.production_head).get(reverse("gongwen:todo")).context["rows"] == []


def test_reassigning_needs_a_reason_and_a_user_of_the_unit(
    office, other_office, at_step, client_for
):
    document = at_step("check")
    task = open_task(document)
    admin = client_for(office.process_admin)

    no_reason = admin.post(reassign_url(task), {"to_user": office.second_leader.pk, "reason": " "})
    stranger = admin.post(reassign_url(task), {"to_user": other_office.leader.pk, "reason": "调整"})

    assert no_reason.status_code == 400
    assert stranger.status_code == 400
    task.refresh_from_db()
    assert task.owner == office.production_head
    assert not TraceEntry.objects.filter(action=TraceEntry.Action.REASSIGN).exists()


def test_a_handled_task_cannot_be_reassigned(office, at_step, client_for):
    document = at_step("verify")
    handled = Task.objects.get(
        process_id=document.process.pk,
        flow_task_type="HUMAN",
        status="DONE",
        owner=office.production_head,
    )

    response = client_for(office.process_admin).post(
        reassign_url(handled), {"to_user": office.second_leader.pk, "reason": "调整"}
    )

    assert response.status_code == 400
    handled.refresh_from_db()
    assert handled.owner == office.production_head


def test_the_administrator_cancels_a_process_with_a_reason(office, at_step, client_for):
    document = at_step("sign_off")
    admin = client_for(office.process_admin)

    assert admin.get(cancel_url(document)).status_code == 200
    response = admin.post(cancel_url(document), {"reason": "任务取消，无需发文"})

    assert response.status_code == 302
    document.refresh_from_db()
    assert document.status == OutgoingDocument.Status.CANCELLED
    cancel = TraceEntry.objects.filter(document=document).latest("pk")
    assert cancel.action == TraceEntry.Action.CANCEL
    assert cancel.actor == office.process_admin
    assert cancel.opinion == "任务取消，无需发文"
    assert client_for(office.leader).get(reverse("gongwen:todo")).context["rows"] == []
    assert admin.get(processes_url(office)).context["processes"] == []


def test_cancelling_needs_a_reason(office, at_step, client_for):
    document = at_step("sign_off")

    response = client_for(office.process_admin).post(cancel_url(document), {"reason": ""})

    assert response.status_code == 400
    document.refresh_from_db()
    assert document.status == OutgoingDocument.Status.IN_PROGRESS


def test_an_ended_process_cannot_be_cancelled(office, client_for):
    document = draft_document(office)
    advance(document, office, until="finished")

    response = client_for(office.process_admin).post(cancel_url(document), {"reason": "误发"})

    assert response.status_code == 400
    assert response.context["form"].non_field_errors()
    document.refresh_from_db()
    assert document.status == OutgoingDocument.Status.DISPATCHED


def test_the_running_processes_read_a_bounded_number_of_queries(
    office, at_step, client_for, django_assert_max_num_queries
):
    admin = client_for(office.process_admin)
    at_step("check")
    with django_assert_max_num_queries(30) as few:
        admin.get(processes_url(office))
    for step in ("verify", "sign_off", "numbering", "proofread", "check", "check"):
        at_step(step)

    with django_assert_max_num_queries(len(few.captured_queries)):
        response = admin.get(processes_url(office))

    assert len(response.context["processes"]) == 7

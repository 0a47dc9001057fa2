"""The incoming process (收文办理): registration starts it at the clerk's initial review, and it
runs through proposal, instruction, handling with co-departments, reply, circulation and close;
returns, withdrawal, reassigning, cancelling and delegation through the shared engine; who sees
and who acts."""

import datetime

import pytest
from django.core.exceptions import PermissionDenied
from django.urls import reverse
from django.utils import timezone

from tests.factories.documents import OfficeFactory, open_task, open_tasks
from tests.factories.incoming import act_incoming, advance_incoming, register_incoming
from workflow import permissions, registers, selectors, services
from workflow.deadlines import default_deadline
from workflow.models import (
    CirculationReader,
    IncomingDocument,
    IncomingProcess,
    OutgoingDocument,
    TraceEntry,
)
from workflow.services import DocumentError, incoming
from workflow.trace import verify_chain

pytestmark = pytest.mark.django_db


def _status(document) -> str:
    return IncomingDocument.objects.get(pk=document.pk).status


def _actions(document) -> list[tuple[str, str]]:
    return list(
        TraceEntry.objects.filter(document=document)
        .exclude(action=TraceEntry.Action.OPEN)
        .values_list("step", "action")
    )


@pytest.fixture
def received(office):
    return register_incoming(office)


def test_registration_starts_the_flow_at_the_clerks_initial_review(office, received):
    task = open_task(received)
    assert (task.flow_task.name, task.owner) == ("review", office.clerk)
    assert received.status == IncomingDocument.Status.REGISTERED
    assert IncomingProcess.objects.get(document=received).clerk == office.clerk
    [todo] = selectors.pending_tasks_for(office.clerk, limit=5)
    assert str(todo.step_title) == "初审" and todo.document == received
    assert todo.url == reverse(
        "workflow:documents:flows:incoming:review:execute", args=[task.process_id, task.pk]
    )


def test_every_step_to_the_close_with_co_departments_and_a_reply(office, received):
    advance_incoming(received, office, until="instruct")
    assert _status(received) == IncomingDocument.Status.IN_PROGRESS
    assert open_task(received).owner == office.leader
    act_incoming(received, office, co_departments=[office.finance, office.safety])
    document = IncomingDocument.objects.get(pk=received.pk)
    assert document.deadline == default_deadline(document.urgency, timezone.localdate())
    handle = open_task(received, "handle")
    assert handle.owner == office.production_head
    assert {t.owner for t in open_tasks(received, "cohandle")} == {
        office.finance_head,
        office.safety_head,
    }
    # The lead writes the result once every co-department has reported.
    with pytest.raises(DocumentError):
        services.INCOMING_STEP_ACTIONS["handle"](task=handle, user=office.production_head)
    with pytest.raises(DocumentError, match="请等待各协办部门报送协办情况"):
        incoming.handle_complete(task=handle, user=office.production_head, opinion="已办")
    advance_incoming(received, office, until="reply", needs_reply=True)
    reply_task = open_task(received, "reply")
    with pytest.raises(DocumentError, match="请先拟写答复文稿"):
        incoming.reply_complete(task=reply_task, user=office.production_head)
    reply = services.reply_draft(task=reply_task, user=office.production_head)
    assert isinstance(reply, OutgoingDocument) and reply.title == received.title
    assert [r.name for r in reply.main_recipients] == ["市应急管理局"]
    assert reply.doc_type == "reply" and reply.drafter == office.production_head
    with pytest.raises(DocumentError, match="答复文稿已拟写"):
        services.reply_draft(task=reply_task, user=office.production_head)
    advance_incoming(received, office, until="end", needs_reply=True)
    document = IncomingDocument.objects.get(pk=received.pk)
    assert document.status == IncomingDocument.Status.CLOSED
    assert (document.result, document.closed_by) == ("已办结。", office.clerk)
    assert IncomingProcess.objects.get(document=received).reply_document == reply
    assert CirculationReader.objects.get(circulation__document=received).reader == (
        office.second_leader
    )
    assert _actions(received) == [
        ("register", "register"),
        ("review", "approve"),
        ("propose", "propose"),
        ("instruct", "instruct"),
        ("cohandle", "assist"),
        ("cohandle", "assist"),
        ("handle", "handle"),
        ("reply", "reply"),
        ("reply", "submit"),
        ("circulate", "circulate"),
        ("circulate", "submit"),
        ("close", "close"),
    ]
    assert open_task(received) is None
    assert verify_chain(received.pk) is None


def test_without_reply_nor_readers_the_document_goes_straight_to_the_close(office, received):
    advance_incoming(received, office, until="circulate")
    services.INCOMING_STEP_ACTIONS["circulate"](task=open_task(received), user=office.clerk)
    assert open_task(received).flow_task.name == "close"
    assert _actions(received)[-1] == ("circulate", "skip")


def test_leaders_instruct_in_order_and_the_last_picks_the_departments(office, received):
    advance_incoming(received, office, until="propose")
    incoming.propose_submit(
        task=open_task(received),
        user=office.verifier,
        instructors=[office.second_leader, office.leader],
        opinion="请王副总、马总批示。",
    )
    first = open_task(received)
    assert first.owner == office.second_leader
    incoming.instruct_submit(task=first, user=office.second_leader, opinion="同意，请马总定。")
    second = open_task(received)
    assert (second.flow_task.name, second.owner) == ("instruct", office.leader)
    deadline = timezone.localdate() + datetime.timedelta(days=30)
    with pytest.raises(DocumentError) as error:
        incoming.instruct_submit(task=second, user=office.leader, opinion="办理")
    assert "lead_department" in error.value.error_dict
    assert open_task(received).pk == second.pk
    incoming.instruct_submit(
        task=second,
        user=office.leader,
        opinion="请生产部办理。",
        lead_department=office.production,
        deadline=deadline,
    )
    assert IncomingDocument.objects.get(pk=received.pk).deadline == deadline
    assert open_task(received, "handle").owner == office.production_head


@pytest.mark.parametrize(
    ("step", "arguments", "field"),
    [
        ("review", {"office_head": None}, "office_head"),
        ("propose", {"instructors": [], "opinion": "请批示"}, "instructors"),
        ("propose", {"instructors": ["leader"], "opinion": ""}, "opinion"),
        ("cohandle", {"opinion": ""}, "opinion"),
        ("close", {"opinion": " "}, "opinion"),
    ],
)
def test_bad_input_is_refused_with_the_field_named_and_nothing_changes(
    office, received, step, arguments, field
):
    advance_incoming(received, office, until=step, co_departments=[office.finance])
    task = open_task(received, step)
    arguments = {
        name: [office.leader] if value == ["leader"] else value for name, value in arguments.items()
    }
    before = TraceEntry.objects.count()
    with pytest.raises(DocumentError) as error:
        services.INCOMING_STEP_ACTIONS[step](task=task, user=task.owner, **arguments)
    assert field in error.value.error_dict
    assert TraceEntry.objects.count() == before and open_task(received, step).pk == task.pk


def test_a_department_of_another_unit_cannot_lead(office, received):
    other = OfficeFactory(code="UB", name="乙单位", parent=office.unit.get_parent())
    advance_incoming(received, office, until="instruct")
    with pytest.raises(DocumentError):
        incoming.instruct_submit(
            task=open_task(received),
            user=office.leader,
            opinion="办理",
            lead_department=other.production,
        )
    with pytest.raises(DocumentError):
        incoming.instruct_submit(
            task=open_task(received),
            user=office.leader,
            opinion="办理",
            lead_department=office.production,
            co_departments=[office.production],
        )


def test_the_initial_review_refuses_it_to_the_sender(office, received):
    seen = []
    incoming.on_refusal(lambda document, user, reason: seen.append((document.pk, user, reason)))
    try:
        with pytest.raises(DocumentError):
            services.review_refuse(task=open_task(received), user=office.clerk, reason="")
        services.review_refuse(task=open_task(received), user=office.clerk, reason="不属本单位")
    finally:
        incoming.REFUSAL_HANDLERS.pop()
    document = IncomingDocument.objects.get(pk=received.pk)
    assert document.status == IncomingDocument.Status.REFUSED and document.closed_at
    assert open_task(received) is None
    assert seen == [(received.pk, office.clerk, "不属本单位")]
    assert _actions(received)[-1] == ("review", "refuse")


def test_return_to_an_earlier_step_resets_the_instructions_and_keeps_the_choices(office, received):
    advance_incoming(received, office, until="handle", co_departments=[office.finance])
    handle = open_task(received, "handle")
    services.task_return(task=handle, user=office.production_head, to_step="propose", reason="重拟")
    task = open_task(received)
    assert (task.flow_task.name, task.owner) == ("propose", office.verifier)
    assert open_tasks(received, "cohandle") == []
    assert not received.instruction_entries.filter(instructed_at__isnull=False).exists()
    form = services_form(task, received, office.verifier)
    assert form.fields["first_instructor"].initial == office.leader.pk
    act_incoming(received, office)
    form = services_form(open_task(received), received, office.leader)
    assert form.fields["lead_department"].initial == office.production.pk
    assert form.fields["co_departments"].initial == [office.finance.pk]


def services_form(task, document, user):
    from workflow.forms import IncomingTaskForm

    return IncomingTaskForm(task=task, document=selectors.incoming_form(pk=document.pk), user=user)


def test_the_clerk_withdraws_the_proposal_task_until_it_is_opened(office, received):
    act_incoming(received, office)
    task = open_task(received)
    assert services.can_withdraw(office.clerk, task)
    assert not services.can_withdraw(office.outsider, task)
    services.task_withdraw(task=task, user=office.clerk, reason="补充材料")
    back = open_task(received)
    assert (back.flow_task.name, back.owner) == ("review", office.clerk)
    act_incoming(received, office)
    services.task_open(task=open_task(received), user=office.verifier)
    with pytest.raises(DocumentError):
        services.task_withdraw(task=open_task(received), user=office.clerk)


def test_the_process_administrator_reassigns_an_instruction(office, received):
    advance_incoming(received, office, until="instruct")
    task = open_task(received)
    with pytest.raises(PermissionDenied):
        services.task_reassign(task=task, user=office.clerk, to_user=office.second_leader)
    services.task_reassign(
        task=task, user=office.process_admin, to_user=office.second_leader, reason="出差"
    )
    task = open_task(received)
    assert task.owner == office.second_leader
    incoming.instruct_submit(
        task=task,
        user=office.second_leader,
        opinion="请生产部办理。",
        lead_department=office.production,
    )
    assert open_task(received).flow_task.name == "handle"


def test_cancelling_by_the_administrator_or_the_registering_clerk(office, received):
    with pytest.raises(PermissionDenied):
        services.incoming_cancel(document=received, user=office.outsider, reason="误登")
    services.incoming_cancel(document=received, user=office.clerk, reason="重复登记")
    assert _status(received) == IncomingDocument.Status.CANCELLED
    assert open_task(received) is None
    later = register_incoming(office, title="第二份来文")
    act_incoming(later, office)
    with pytest.raises(PermissionDenied):
        services.incoming_cancel(document=later, user=office.clerk, reason="误登")
    services.incoming_cancel(document=later, user=office.process_admin, reason="误登")
    assert _status(later) == IncomingDocument.Status.CANCELLED


def test_a_deputy_instructs_on_behalf_of_the_leader(office, received):
    advance_incoming(received, office, until="instruct")
    today = timezone.localdate()
    services.delegation_create(
        user=office.leader,
        leader=office.leader,
        deputy=office.second_leader,
        starts_on=today,
        ends_on=today + datetime.timedelta(days=2),
    )
    incoming.instruct_submit(
        task=open_task(received),
        user=office.second_leader,
        opinion="代马总批：请生产部办理。",
        lead_department=office.production,
    )
    entry = TraceEntry.objects.filter(document=received, action="instruct").get()
    assert (entry.actor, entry.on_behalf_of) == (office.second_leader, office.leader)


def test_only_the_task_owner_acts(office, received):
    with pytest.raises(PermissionDenied):
        services.INCOMING_STEP_ACTIONS["review"](
            task=open_task(received), user=office.verifier, office_head=office.verifier
        )
    assert open_task(received).flow_task.name == "review"


def test_who_sees_an_incoming_document(office, received):
    other = OfficeFactory(code="UB", name="乙单位", parent=office.unit.get_parent())
    advance_incoming(received, office, until="close")
    document = IncomingDocument.objects.get(pk=received.pk)
    for user in (office.clerk, office.process_admin, office.verifier, office.leader):
        assert permissions.can_view_document(user, document), user
    assert permissions.can_view_document(office.production_head, document)
    assert permissions.can_view_document(office.second_leader, document)  # a reader
    for user in (office.outsider, office.drafter, other.clerk, other.process_admin, other.leader):
        assert not permissions.can_view_document(user, document), user
    assert not permissions.visible_incoming_documents(other.clerk).exists()


def test_the_to_do_and_done_lists_carry_incoming_tasks_with_their_step(office, received):
    [row] = registers.task_rows(registers.todo_list(office.clerk), office.clerk)
    assert (row.document, row.step_title, row.origin) == (
        received,
        "初审",
        "市应急管理局",
    )
    act_incoming(received, office)
    [done] = registers.task_rows(registers.done_list(office.clerk), office.clerk)
    assert done.url == reverse("workflow:documents:incoming_document", args=[received.pk])
    assert done.status_label == "办理中"
    step = registers.TaskFilters(step="propose")
    assert registers.todo_list(office.verifier, step).count() == 1


# The screens ------------------------------------------------------------------------------


def _login(client, user):
    client.force_login(user)
    return client


def _document_url(document):
    return reverse("workflow:documents:incoming_document", args=[document.pk])


def test_the_task_screen_shows_the_processing_form_and_acts(client, office, received, portal):
    url = selectors.task_url(open_task(received))
    html = _login(client, office.clerk).get(url).content.decode()
    assert "收文处理单" in html and "市应急〔2026〕12号" in html and "韩审核" in html
    response = client.post(url, {"decision": "approve", "office_head": office.verifier.pk})
    assert response.status_code == 302
    assert open_task(received).flow_task.name == "propose"


def test_bad_input_on_the_screen_is_explained_and_changes_nothing(client, office, received, portal):
    act_incoming(received, office)
    task = open_task(received)
    url = selectors.task_url(task)
    response = _login(client, office.verifier).post(
        url, {"decision": "approve", "opinion": "请阅示"}
    )
    assert response.status_code == 400
    assert "请选择批办领导。" in response.content.decode()
    assert open_task(received).pk == task.pk


def test_the_clerk_refuses_on_the_screen(client, office, received, portal):
    url = selectors.task_url(open_task(received))
    _login(client, office.clerk).post(url, {"decision": "refuse", "opinion": "非本单位来文"})
    assert _status(received) == IncomingDocument.Status.REFUSED
    html = client.get(_document_url(received)).content.decode()
    assert "非本单位来文" in html


def test_the_lead_drafts_the_reply_from_its_task(client, office, received, portal):
    advance_incoming(received, office, until="reply", needs_reply=True)
    task = open_task(received)
    _login(client, office.production_head)
    assert "拟写答复" in client.get(selectors.task_url(task)).content.decode()
    response = client.post(
        reverse("workflow:documents:incoming_reply", args=[received.pk, task.pk])
    )
    reply = IncomingProcess.objects.get(document=received).reply_document
    assert response.url == reverse("workflow:documents:document_edit", args=[reply.pk])
    assert client.post(selectors.task_url(task), {"decision": "approve"}).status_code == 302
    assert open_task(received).flow_task.name == "circulate"


def test_the_sender_of_a_task_withdraws_it_on_the_document_page(client, office, received, portal):
    act_incoming(received, office)
    task = open_task(received)
    _login(client, office.clerk)
    assert "撤回" in client.get(_document_url(received)).content.decode()
    client.post(reverse("workflow:documents:incoming_withdraw", args=[received.pk, task.pk]))
    assert open_task(received).flow_task.name == "review"


def test_other_units_and_bystanders_get_404_everywhere(client, office, received, portal):
    other = OfficeFactory(code="UB", name="乙单位", parent=office.unit.get_parent())
    task = open_task(received)
    urls = [
        _document_url(received),
        selectors.task_url(task),
        reverse("workflow:documents:incoming_withdraw", args=[received.pk, task.pk]),
        reverse("workflow:documents:incoming_reply", args=[received.pk, task.pk]),
        reverse("workflow:documents:flows:incoming:process_detail", args=[task.process_id]),
        reverse("workflow:documents:flows:incoming:process_chart", args=[task.process_id]),
    ]
    for user in (other.clerk, other.process_admin, office.outsider):
        _login(client, user)
        for url in urls:
            assert client.get(url).status_code in (404, 405), (user, url)
            assert client.post(url).status_code in (404, 405), (user, url)
    assert open_task(received).pk == task.pk


def test_a_viewer_who_does_not_own_the_task_reads_it_only(client, office, received, portal):
    _login(client, office.process_admin)
    response = client.get(selectors.task_url(open_task(received)))
    assert response.url == _document_url(received)
    detail = reverse(
        "workflow:documents:flows:incoming:process_detail", args=[open_task(received).process_id]
    )
    assert client.get(detail).url == _document_url(received)


def test_the_screens_read_a_bounded_number_of_queries(
    client, office, received, portal, django_assert_max_num_queries
):
    advance_incoming(
        received, office, until="close", co_departments=[office.finance, office.safety]
    )
    task = open_task(received)
    _login(client, office.clerk)
    client.get(selectors.task_url(task))
    with django_assert_max_num_queries(15):
        assert client.get(_document_url(received)).status_code == 200
    with django_assert_max_num_queries(15):
        assert client.get(selectors.task_url(task)).status_code == 200


def test_the_process_administrator_reassigns_and_cancels_on_the_screens(
    client, office, received, portal
):
    task = open_task(received)
    _login(client, office.process_admin)
    reassign = reverse("gongwen:task_reassign", args=[task.pk])
    assert client.get(reassign).status_code == 200
    response = client.post(reassign, {"to_user": office.verifier.pk, "reason": "郭文书休假"})
    assert response.status_code == 302
    assert open_task(received).owner == office.verifier
    cancel = reverse("gongwen:process_cancel", args=[received.pk])
    assert "市应急管理局" in client.get(cancel).content.decode()
    assert client.post(cancel, {"reason": "重复登记"}).status_code == 302
    assert _status(received) == IncomingDocument.Status.CANCELLED
    _login(client, office.clerk)
    assert client.get(reverse("gongwen:process_cancel", args=[received.pk])).status_code == 403

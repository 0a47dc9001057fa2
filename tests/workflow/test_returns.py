"""Return (退回) to any earlier step, withdraw (撤回) before the next actor opens the task,
reject (不同意) at sign-off, and a return from inside a countersign."""

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from viewflow.workflow.status import PROCESS, STATUS

from tests.factories.documents import act, advance, open_task, open_tasks
from workflow import services
from workflow.models import OutgoingDocument, TraceEntry
from workflow.trace import verify_chain

pytestmark = [pytest.mark.django_db, pytest.mark.usefixtures("english_messages")]

OWNERS = {
    "draft": "drafter",
    "check": "production_head",
    "verify": "verifier",
    "sign_off": "leader",
    "numbering": "clerk",
    "red_head": "clerk",
    "proofread": "drafter",
    "seal": "seal_keeper",
}
ORDER = [
    "draft",
    "check",
    "verify",
    "sign_off",
    "numbering",
    "red_head",
    "proofread",
    "seal",
    "dispatch",
]


@pytest.mark.parametrize(
    ("at", "to"),
    [(at, to) for index, at in enumerate(ORDER) for to in ORDER[:index]],
)
def test_return_from_any_step_to_any_earlier_step(office, document, at, to):
    advance(document, office, until=at)
    task = open_task(document)
    services.task_return(task=task, user=task.owner, to_step=to, reason="请修改后再报")
    back = open_task(document)
    assert back.flow_task.name == to
    assert back.owner == getattr(office, OWNERS[to])
    entry = TraceEntry.objects.filter(document=document, action="return").get()
    assert entry.opinion == "请修改后再报" and entry.extra == {"to_step": to}
    # The process resumes from there to the end.
    advance(document, office, until="end")
    document.refresh_from_db()
    assert document.status == OutgoingDocument.Status.DISPATCHED
    assert verify_chain(document.pk) is None


def test_a_return_needs_a_reason_and_an_earlier_step(office, document):
    advance(document, office, until="verify")
    task = open_task(document)
    with pytest.raises(ValidationError, match="reason"):
        services.task_return(task=task, user=office.verifier, to_step="draft", reason=" ")
    with pytest.raises(ValidationError, match="earlier step"):
        services.task_return(task=task, user=office.verifier, to_step="sign_off", reason="x")
    with pytest.raises(PermissionDenied):
        services.task_return(task=task, user=office.outsider, to_step="draft", reason="x")
    assert open_task(document).pk == task.pk


def test_a_returned_document_is_signed_again_and_keeps_its_number(office, document):
    advance(document, office, until="proofread")
    number = document.__class__.objects.get(pk=document.pk).number_text
    services.task_return(
        task=open_task(document), user=office.drafter, to_step="sign_off", reason="补充内容"
    )
    document.refresh_from_db()
    assert document.written_on is None
    assert open_task(document).owner == office.leader
    act(document, office)  # sign-off
    act(document, office)  # numbering keeps the number
    document.refresh_from_db()
    assert document.number_text == number
    assert TraceEntry.objects.filter(document=document, action="number").last().extra["kept"]


def test_return_from_inside_a_countersign_closes_the_other_countersigns(office, document):
    advance(document, office, until="verify")
    act(document, office, countersign=[office.finance, office.safety, office.office])
    finance, safety, production = sorted(
        open_tasks(document, "countersign"), key=lambda t: t.data["department"]
    )
    services.countersign_approve(task=finance, user=finance.owner, opinion="同意")
    services.task_return(task=safety, user=safety.owner, to_step="verify", reason="需补充依据")

    production.refresh_from_db()
    assert production.status == STATUS.CANCELED
    closed = TraceEntry.objects.get(document=document, action="close_task")
    assert closed.task_id == production.pk and closed.opinion == "需补充依据"
    assert [t.flow_task.name for t in open_tasks(document)] == ["verify"]
    process = document.process
    join_tasks = process.task_set.filter(flow_task_type="JOIN")
    assert all(t.status == STATUS.DONE for t in join_tasks)
    # Countersigning again starts fresh branches and the join still works.
    act(document, office, countersign=[office.finance])
    act(document, office)
    assert open_task(document).flow_task.name == "sign_off"


def test_drafter_withdraws_before_the_head_opens_the_task(office, document):
    act(document, office)  # submitted to the department head
    check = open_task(document)
    assert services.can_withdraw(office.drafter, check)
    assert not services.can_withdraw(office.outsider, check)
    services.task_withdraw(task=check, user=office.drafter, reason="漏了附件")
    draft = open_task(document)
    assert draft.flow_task.name == "draft" and draft.owner == office.drafter
    entry = TraceEntry.objects.get(document=document, action="withdraw")
    assert entry.actor == office.drafter and entry.opinion == "漏了附件"


def test_no_withdrawal_once_the_next_actor_opened_the_task(office, document):
    act(document, office)
    check = open_task(document)
    assert services.task_open(task=check, user=office.production_head)
    assert not services.task_open(task=check, user=office.production_head)  # once only
    with pytest.raises(ValidationError, match="opened"):
        services.task_withdraw(task=check, user=office.drafter)
    assert open_task(document).pk == check.pk


def test_someone_else_opening_does_not_block_withdrawal(office, document):
    act(document, office)
    check = open_task(document)
    assert not services.task_open(task=check, user=office.drafter)
    services.task_withdraw(task=check, user=office.drafter)
    assert open_task(document).flow_task.name == "draft"


def test_verifier_withdraws_all_unopened_countersigns(office, document):
    advance(document, office, until="verify")
    act(document, office, countersign=[office.finance, office.safety])
    first, second = open_tasks(document, "countersign")
    services.task_withdraw(task=second, user=office.verifier)
    assert [t.flow_task.name for t in open_tasks(document)] == ["verify"]
    first.refresh_from_db()
    assert first.status == STATUS.CANCELED


def test_leader_rejects_and_the_process_ends(office, document):
    advance(document, office, until="sign_off")
    task = open_task(document)
    with pytest.raises(ValidationError):
        services.sign_off_reject(task=task, user=office.leader, reason="")
    services.sign_off_reject(task=task, user=office.leader, reason="不同意，暂缓发文")
    document.refresh_from_db()
    assert document.status == OutgoingDocument.Status.REJECTED
    assert document.process.status == PROCESS.DONE
    assert open_tasks(document) == []
    assert TraceEntry.objects.filter(document=document).last().action == "reject"


def test_process_admin_cancels_and_the_number_is_voided(office, document):
    advance(document, office, until="red_head")
    with pytest.raises(PermissionDenied):
        services.process_cancel(document=document, user=office.drafter, reason="不再需要")
    services.process_cancel(document=document, user=office.process_admin, reason="不再需要")
    document.refresh_from_db()
    assert document.status == OutgoingDocument.Status.CANCELLED
    assert document.process.status == PROCESS.CANCELED
    assert document.number.is_void and document.number.void_reason == "不再需要"
    actions = TraceEntry.objects.filter(document=document).values_list("action", flat=True)
    assert list(actions)[-3:] == ["close_task", "void_number", "cancel"]


def test_drafter_may_discard_a_draft_that_never_left_them(office, document):
    services.process_cancel(document=document, user=office.drafter, reason="重复起草")
    document.refresh_from_db()
    assert document.status == OutgoingDocument.Status.CANCELLED


def test_process_admin_reassigns_a_stuck_task(office, document):
    advance(document, office, until="check")
    task = open_task(document)
    with pytest.raises(PermissionDenied):
        services.task_reassign(task=task, user=office.drafter, to_user=office.outsider)
    services.task_reassign(
        task=task, user=office.process_admin, to_user=office.second_leader, reason="出差"
    )
    task.refresh_from_db()
    assert task.owner == office.second_leader
    entry = TraceEntry.objects.filter(document=document).last()
    assert entry.action == "reassign" and entry.next_users == ["王副总"]
    assert entry.extra == {"from": "周部长"}
    services.check_approve(task=task, user=office.second_leader, verifier=office.verifier)

"""The document engine is flow-agnostic: a flow declares its steps once and everything else
derives from the declaration; a tiny test-only flow (two steps, a return) is driven through
the same engine functions as the outgoing flow."""

import pytest
from django.core.exceptions import PermissionDenied
from viewflow.workflow.models import Task
from viewflow.workflow.status import PROCESS, STATUS

from tests.workflow.flowtest import flows as flowtest
from workflow import services
from workflow.flows import OUTGOING_STEPS, OutgoingFlow
from workflow.models import Document, DocumentType, OutgoingDocument, OutgoingProcess, TraceEntry
from workflow.services import engine
from workflow.steps import step_title, task_step_title
from workflow.trace import verify_chain

pytestmark = [pytest.mark.django_db, pytest.mark.usefixtures("english_messages")]


def test_the_outgoing_nodes_are_titled_and_counted_from_the_declaration():
    flow = OutgoingFlow.instance
    for spec in OUTGOING_STEPS:
        assert str(flow.node(spec.name).task_title) == str(spec.title)
    human = [node.name for node in flow.nodes() if isinstance(node, type(flow.node("draft")))]
    assert sorted(human) == sorted(OUTGOING_STEPS.names)
    assert set(services.STEP_ACTIONS) == set(OUTGOING_STEPS.names)


def test_roles_and_titles_of_the_trace_come_from_the_declaration(office, document):
    entry = TraceEntry.objects.get(document=document, action="create")
    assert entry.role == OUTGOING_STEPS["draft"].role == "drafter"
    assert step_title("sign_off") == OUTGOING_STEPS.title("sign_off")


def test_trace_attachments_and_recipients_hang_off_the_common_document_base(office, document):
    base = Document.objects.get(pk=document.pk)
    assert base.kind == Document.Kind.OUTGOING and base.specific == document
    assert base.title == document.title and base.unit == office.unit
    assert base.trace_entries.count() == document.trace_entries.count() == 1
    assert {r.name for r in base.recipients.all()} == {"生产部", "财务部", "市应急管理局"}
    attachment = services.attachment_add(
        document=document, user=office.drafter, name="检查表", is_paper_only=True
    )
    assert list(base.attachments.all()) == [attachment]
    assert verify_chain(base.pk) is None


@pytest.fixture
def bare_document(office):
    """A document that no flow has started yet."""
    return OutgoingDocument.objects.create(
        doc_type=DocumentType.LETTER,
        title="测试流程的文件",
        unit=office.unit,
        drafting_department=office.office,
        drafter=office.drafter,
    )


@pytest.fixture
def started(office, bare_document):
    flowtest.resets.clear()
    flowtest.TwoStepFlow.start.run(
        document=bare_document, verifier=office.verifier, clerk=office.clerk
    )
    return bare_document


def open_task(document) -> Task:
    return Task.objects.get(
        process__outgoingprocess__document=document,
        flow_task_type="HUMAN",
        status__in=[STATUS.NEW, STATUS.ASSIGNED],
    )


def test_a_second_flow_is_assigned_titled_and_completed_by_the_engine(office, started):
    review = open_task(started)
    assert review.flow_task.name == "review" and review.owner == office.verifier
    assert str(task_step_title(review)) == "Review"
    flowtest.step_done(task=review, user=office.verifier, step="review")
    approve = open_task(started)
    assert approve.owner == office.clerk
    with pytest.raises(PermissionDenied):
        flowtest.step_done(task=approve, user=office.verifier, step="approve")
    flowtest.step_done(task=approve, user=office.clerk, step="approve")
    assert OutgoingProcess.objects.get(document=started).status == PROCESS.DONE
    entries = TraceEntry.objects.filter(document=started).order_by("pk")
    assert [(e.step, e.role) for e in entries] == [
        ("review", "verifier"),
        ("approve", "file_clerk"),
    ]
    assert entries[0].next_users == [office.clerk.get_full_name()]
    assert verify_chain(started.pk) is None


def test_a_second_flow_returns_withdraws_reassigns_and_cancels(office, started):
    flowtest.step_done(task=open_task(started), user=office.verifier, step="review")
    approve = open_task(started)
    assert engine.returnable_steps(approve) == ["review"]

    engine.task_return(task=approve, user=office.clerk, to_step="review", reason="请补充")
    review = open_task(started)
    assert review.flow_task.name == "review" and review.owner == office.verifier
    assert flowtest.resets == [started.process.pk]

    flowtest.step_done(task=review, user=office.verifier, step="review")
    engine.task_withdraw(task=open_task(started), user=office.verifier, reason="撤回修改")
    assert open_task(started).flow_task.name == "review"

    engine.task_reassign(
        task=open_task(started), user=office.process_admin, to_user=office.second_leader
    )
    assert OutgoingProcess.objects.get(document=started).verifier == office.second_leader

    engine.process_cancel(document=started, user=office.process_admin, reason="不再需要")
    started.refresh_from_db()
    assert started.status == OutgoingDocument.Status.CANCELLED
    actions = list(
        TraceEntry.objects.filter(document=started).order_by("pk").values_list("action", flat=True)
    )
    assert actions == [
        "approve",
        "return",
        "approve",
        "withdraw",
        "reassign",
        "close_task",
        "cancel",
    ]
    assert verify_chain(started.pk) is None

"""A document goes from draft to dispatch; every step is assigned to the chosen user."""

import hashlib

import pytest
from viewflow.workflow.status import PROCESS

from tests.factories.documents import act, advance, draft_document, open_task, open_tasks
from workflow.models import DocumentRecipient, OutgoingDocument, TraceEntry
from workflow.trace import verify_chain

pytestmark = pytest.mark.django_db


def test_full_process_from_draft_to_dispatch(office, document):
    assert open_task(document).flow_task.name == "draft"
    assert open_task(document).owner == office.drafter
    owners = []
    for _ in range(10):
        task = open_task(document)
        owners.append((task.flow_task.name, task.owner))
        act(document, office, countersign=[office.finance])

    assert owners == [
        ("draft", office.drafter),
        ("check", office.production_head),
        ("verify", office.verifier),
        ("countersign", office.finance_head),
        ("sign_off", office.leader),
        ("numbering", office.clerk),
        ("red_head", office.clerk),
        ("proofread", office.drafter),
        ("seal", office.seal_keeper),
        ("dispatch", office.clerk),
    ]
    document.refresh_from_db()
    assert document.status == OutgoingDocument.Status.DISPATCHED
    assert document.process.status == PROCESS.DONE
    assert document.number_text == f"甲拖〔{document.number.year}〕1号"
    assert document.written_on is not None and document.printed_on is not None
    assert len(document.final_pdf_sha256) == 64
    assert all(
        r.status == DocumentRecipient.DispatchStatus.SENT and r.sent_at
        for r in document.recipients.all()
    )
    actions = list(TraceEntry.objects.filter(document=document).values_list("action", flat=True))
    assert actions == [
        "create",
        "submit",
        "approve",
        "approve",
        "countersign",
        "sign_off",
        "number",
        "render",
        "proofread",
        "seal",
        "dispatch",
    ]
    seal = TraceEntry.objects.get(document=document, action="seal")
    assert seal.extra["sha256"] == document.final_pdf_sha256
    assert seal.extra["signer"] == "CN=甲单位"
    submit = TraceEntry.objects.get(document=document, action="submit")
    assert submit.next_users == ["周部长"]
    assert verify_chain(document.pk) is None
    assert open_tasks(document) == []


def test_several_leaders_sign_in_the_chosen_order(office, document):
    advance(document, office, until="sign_off", signers=[office.second_leader, office.leader])
    assert open_task(document).owner == office.second_leader
    act(document, office)
    assert open_task(document).owner == office.leader
    document.refresh_from_db()
    assert document.written_on is None
    act(document, office)
    assert open_task(document).flow_task.name == "numbering"
    document.refresh_from_db()
    assert document.written_on is not None
    assert [e.user for e in document.signer_entries.all()] == [office.second_leader, office.leader]


@pytest.mark.parametrize("departments", [0, 1, 3])
def test_countersign_by_zero_one_or_three_departments(office, document, departments):
    # Not the drafting department (production): it had its say at the check.
    chosen = [office.finance, office.safety, office.office][:departments]
    advance(document, office, until="verify")
    act(document, office, countersign=chosen)
    if departments == 0:
        assert open_task(document).flow_task.name == "sign_off"
        return
    tasks = open_tasks(document, "countersign")
    heads = {
        office.finance: office.finance_head,
        office.safety: office.safety_head,
        office.office: office.second_leader,
    }
    assert sorted(t.owner.pk for t in tasks) == sorted(heads[d].pk for d in chosen)
    for _index, _task in enumerate(tasks):
        assert open_task(document, "sign_off") is None
        act(document, office)
    assert [t.flow_task.name for t in open_tasks(document)] == ["sign_off"]


def test_the_red_head_pdf_carries_number_title_and_recipients_in_order(office, real_redhead):
    import subprocess

    document = draft_document(office, urgency="very_urgent")
    advance(document, office, until="proofread")
    document.refresh_from_db()
    with document.final_pdf.open("rb") as handle:
        data = handle.read()
    text = subprocess.run(
        ["pdftotext", "-layout", "-", "-"], input=data, capture_output=True, check=True
    ).stdout.decode()
    flat = "".join(text.split())
    assert document.number_text in flat and "关于开展安全生产大检查的通知" in flat
    assert "生产部、财务部：" in flat and "抄送：市应急管理局。" in flat and "特急" in flat
    assert hashlib.sha256(data).hexdigest() == document.final_pdf_sha256

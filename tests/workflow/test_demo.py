"""The demo documents: one at each step, one dispatched with its PDF, real tasks and traces,
added once."""

import io

import pytest
from django.core.management import call_command
from django.utils import timezone

from demo.dates import DemoCalendar
from people.models import User
from workflow import selectors
from workflow.models import OutgoingDocument, TraceEntry
from workflow.trace import verify_chain

pytestmark = pytest.mark.django_db


def test_demo_documents_wait_at_their_steps_and_load_once(real_redhead):
    call_command("load_demo", stdout=io.StringIO())
    text = DemoCalendar(timezone.localdate()).text
    documents = {d.title: d for d in OutgoingDocument.objects.all()}
    assert len(documents) == 7
    waiting = {}
    for document in documents.values():
        tasks = selectors.open_tasks_of(document)
        waiting[document.title] = [(t.flow_task.name, t.owner.username) for t in tasks]
    assert waiting[text("关于做好{next_year}年度职工培训计划编制工作的通知")] == [
        ("draft", "zhouli")
    ]
    assert waiting["关于调整职工住房公积金缴存基数的通知"] == [("check", "sunhao")]
    assert waiting["关于开展薪酬制度改革专题调研的函"] == [("countersign", "wangjun")]
    assert waiting[text("关于{closing_year}年度人力资源工作情况的报告")] == [
        ("sign_off", "wangjun")
    ]
    assert waiting[text("关于表彰{closing_year}年度先进集体和先进个人的决定")] == [
        ("numbering", "zhaolei")
    ]
    assert waiting[text("关于{next_quarter_year}年{next_quarter}生产计划调整的请示")] == [
        ("check", "maxiaodong")
    ]
    dispatched = documents["关于开展安全生产大检查的通知"]
    assert dispatched.status == OutgoingDocument.Status.DISPATCHED
    assert dispatched.final_pdf.read(5) == b"%PDF-"
    assert dispatched.number_text.startswith("东重〔")
    assert all(verify_chain(d.pk) is None for d in documents.values())
    # a recipient unit's clerk has it to sign for, but never sees the sender's document itself
    guoqiang = User.objects.get(username="guoqiang")
    assert not selectors.visible_documents(guoqiang).filter(pk=dispatched.pk).exists()
    assert selectors.deliveries_to_sign_for(guoqiang).filter(document=dispatched).exists()

    entries = TraceEntry.objects.count()
    call_command("load_demo", stdout=io.StringIO())
    assert OutgoingDocument.objects.count() == 7 and TraceEntry.objects.count() == entries

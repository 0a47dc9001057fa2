"""Incoming documents registered through the services, and a helper that walks one through the
incoming process to a given step, with the cast of `OfficeFactory`.

    office = OfficeFactory()
    document = register_incoming(office)               # the review task waits for office.clerk
    advance_incoming(document, office, until="handle") # the lead department's head now has it
"""

from django.utils import timezone

from tests.factories.documents import Office, open_task
from workflow import services
from workflow.models import IncomingDocument, IncomingProcess


def register_incoming(office: Office, **overrides) -> IncomingDocument:
    """A paper document the office's unit received, registered by its clerk."""
    values = {
        "user": office.clerk,
        "unit": office.unit,
        "title": "关于报送安全生产月活动总结的通知",
        "received_on": timezone.localdate(),
        "sender_name": "市应急管理局",
        "sender_number": "市应急〔2026〕12号",
    }
    values.update(overrides)
    return services.incoming_register(**values)


def incoming_choices(office: Office, *, co_departments=(), needs_reply=False) -> dict:
    """What each step chooses the ordinary way: the office verifier proposes, the leader
    instructs production to lead, the clerk sends it round the second leader."""
    return {
        "review": {"office_head": office.verifier},
        "propose": {"instructors": [office.leader], "opinion": "请马总阅示。"},
        "instruct": {
            "opinion": "请生产部牵头办理。",
            "lead_department": office.production,
            "co_departments": list(co_departments),
        },
        "cohandle": {"opinion": "已提供财务数据。"},
        "handle": {"opinion": "已按要求报送总结。", "needs_reply": needs_reply},
        "reply": {"opinion": "复函已拟。"},
        "circulate": {"readers": [office.second_leader], "opinion": "请阅。"},
        "close": {"opinion": "已办结。"},
    }


def act_incoming(document: IncomingDocument, office: Office, **choices) -> str:
    """Complete the document's current step as its owner; returns the step done. At the
    reply step the reply is drafted first."""
    task = open_task(document, "cohandle") or open_task(document)
    step = task.flow_task.name
    process = IncomingProcess.objects.get(document=document)
    if step == "reply" and process.reply_document_id is None:
        services.reply_draft(task=task, user=task.owner)
    services.INCOMING_STEP_ACTIONS[step](
        task=task, user=task.owner, **incoming_choices(office, **choices)[step]
    )
    return step


def advance_incoming(document: IncomingDocument, office: Office, *, until: str, **choices):
    """Act step after step until a task of `until` is open (or the process has ended)."""
    for _ in range(20):
        if open_task(document) is None or open_task(document, until) is not None:
            return
        act_incoming(document, office, **choices)
    raise AssertionError(f"{document} never reached {until}")

"""Documents ready for circulation (传阅): an outgoing one dispatched, an incoming one registered,
and the incoming flow's opinions as trace entries (the steps' names as the incoming flow has them).

    document = dispatched_document(office)
    incoming = registered_incoming(office)
    opinion(incoming, "instruct", office.leader, "请生产部牵头办理。")
"""

from django.utils import timezone

from tests.factories.documents import Office, advance, draft_document
from workflow import trace
from workflow.models import IncomingDocument, OutgoingDocument, TraceEntry
from workflow.services import incoming_register


def dispatched_document(office: Office, **overrides) -> OutgoingDocument:
    document = draft_document(office, **overrides)
    advance(document, office, until="finished")
    document.refresh_from_db()
    return document


def registered_incoming(office: Office, **overrides) -> IncomingDocument:
    values = {
        "user": office.clerk,
        "unit": office.unit,
        "title": "关于做好岁末年初安全生产工作的通知",
        "received_on": timezone.localdate(),
        "sender_name": "市应急管理局",
        "sender_number": "市应急〔2026〕12号",
        "urgency": "urgent",
        "copies": 3,
    }
    return incoming_register(**{**values, **overrides})


def opinion(document, step: str, actor, text: str, action=TraceEntry.Action.APPROVE, **extra):
    return trace.append(document, step=step, action=action, actor=actor, opinion=text, extra=extra)

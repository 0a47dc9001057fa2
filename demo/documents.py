"""The demo documents (data: demo/data/documents.yaml), acted through the workflow services so
their tasks and traces are real: a draft, one at each of check, countersign, sign-off and
numbering, one dispatched with its red-head PDF, a unit's request to headquarters, and a paper
document a unit received, waiting for its leader's instruction. A document whose title exists is
left alone."""

from viewflow.workflow.models import Task

from people.models import OrgUnit, User
from workflow import services
from workflow.flows import OUTGOING_STEPS
from workflow.models import IncomingDocument, OutgoingDocument
from workflow.numbering.models import DocumentPrefix
from workflow.numbering.services import prefixes_ensure_from_units
from workflow.redhead.models import RedheadTemplate
from workflow.redhead.services import template_update

from .dates import DemoCalendar


def documents_demo_ensure(data: dict, calendar: DemoCalendar) -> None:
    request, received = data["unit_request"], data["incoming_document"]
    usernames = {
        "sysadmin",
        *data["headquarters_cast"].values(),
        *request["cast"].values(),
        *received["cast"].values(),
    }
    users = {user.username: user for user in User.objects.filter(username__in=usernames)}
    if len(users) != len(usernames):
        return
    prefixes_ensure_from_units()
    _templates_ensure(data["redhead_templates"], users["sysadmin"])
    existing = set(OutgoingDocument.objects.values_list("title", flat=True))
    _headquarters_documents(data, calendar, users, existing)
    _unit_request(request, calendar, users, existing)
    _incoming_document(received, calendar, users)


def _templates_ensure(templates: dict, administrator: User) -> None:
    for code, fields in templates.items():
        unit = OrgUnit.objects.filter(code=code).first()
        if unit is not None and not RedheadTemplate.objects.filter(unit=unit).exists():
            template_update(unit=unit, user=administrator, **fields)


def _headquarters_documents(data, calendar: DemoCalendar, users, existing) -> None:
    cast = {step: users[username] for step, username in data["headquarters_cast"].items()}
    details = data["headquarters_details"]
    headquarters = OrgUnit.objects.get(code="HQ")
    units = list(OrgUnit.objects.filter(kind=OrgUnit.Kind.UNIT).order_by("sort_order", "code"))
    prefix = (
        DocumentPrefix.objects.filter(unit=headquarters, is_active=True).order_by("order").first()
    )
    office = OrgUnit.objects.filter(code=details["countersign_department"]).first()
    for spec in data["headquarters_documents"]:
        title = calendar.text(spec["title"])
        if title in existing:
            continue
        document = services.document_create(
            user=cast["drafter"],
            doc_type=spec["doc_type"],
            title=title,
            urgency=spec.get("urgency", ""),
            body=calendar.text(data["body"]),
            main_recipients=units or ["集团各部门"],
            copy_recipients=details["copy_recipients"],
            attachment_note=details["attachment_note"],
            remarks=details["remarks"],
            copies=details["copies"],
        )
        services.attachment_add(
            document=document,
            user=cast["drafter"],
            name=details["paper_attachment"],
            is_paper_only=True,
        )
        waits_at = spec["waits_at"]
        countersign = [office] if office is not None and waits_at == "countersign" else []
        _run_until(document, waits_at, cast, prefix, countersign)


def _unit_request(spec: dict, calendar: DemoCalendar, users, existing) -> None:
    unit = OrgUnit.objects.filter(code=spec["unit"]).first()
    title = calendar.text(spec["title"])
    if unit is None or title in existing:
        return
    cast = {step: users[username] for step, username in spec["cast"].items()}
    document = services.document_create(
        user=cast["drafter"],
        doc_type=spec["doc_type"],
        title=title,
        direction="up",
        body=calendar.text(spec["body"]),
        main_recipients=[OrgUnit.objects.get(code="HQ")],
        copies=spec["copies"],
    )
    _run_until(document, spec["waits_at"], cast, None, [])


def _incoming_document(spec: dict, calendar: DemoCalendar, users) -> None:
    unit = OrgUnit.objects.filter(code=spec["unit"]).first()
    title = calendar.text(spec["title"])
    if unit is None or IncomingDocument.objects.filter(title=title).exists():
        return
    cast = {role: users[username] for role, username in spec["cast"].items()}
    document = services.incoming_register(
        user=cast["clerk"],
        unit=unit,
        title=title,
        received_on=calendar.today,
        sender_name=spec["sender_name"],
        sender_number=calendar.text(spec["sender_number"]),
        urgency=spec["urgency"],
        copies=spec["copies"],
    )
    choices = {
        "review": {"office_head": cast["office_head"], "opinion": "属本单位办理事项"},
        "propose": {"instructors": [cast["leader"]], "opinion": "拟请综合办公室牵头办理，请阅示"},
    }
    for _ in range(len(choices) + 1):
        task = _open_task(document)
        if task is None or task.flow_task.name == spec["waits_at"]:
            return
        step = task.flow_task.name
        services.INCOMING_STEP_ACTIONS[step](task=task, user=task.owner, **choices[step])


def _open_task(document):
    tasks = Task.objects.filter(
        process_id=document.process.pk, flow_task_type="HUMAN", status__in=["NEW", "ASSIGNED"]
    ).order_by("pk")
    return tasks.first()


def _run_until(document, until: str, cast: dict, prefix, countersign) -> None:
    """Act each step as the demo people would, until a task of `until` waits. The steps and
    their order come from the flow's declaration; only the choices each step makes are here."""
    choices = {
        "draft": {"department_head": cast["head"], "opinion": "请审核"},
        "check": {"verifier": cast["verifier"], "opinion": "拟同意，请办公室审核"},
        "verify": {
            "signers": [cast["leader"]],
            "countersign_departments": countersign,
            "opinion": "格式规范，同意报签",
        },
        "countersign": {"opinion": "同意"},
        "sign_off": {"opinion": "同意", "clerk": cast["clerk"]},
        "numbering": {"prefix": prefix},
        "proofread": {"opinion": "校对无误"},
        "dispatch": {"opinion": "已用印分发"},
    }
    for _ in range(len(OUTGOING_STEPS.names) + 3):
        task = _open_task(document)
        if task is None or task.flow_task.name == until:
            return
        step = task.flow_task.name
        services.STEP_ACTIONS[step](task=task, user=task.owner, **choices.get(step, {}))

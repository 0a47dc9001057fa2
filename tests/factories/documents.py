"""A unit with everyone an outgoing document meets, documents drafted through the services, and
a helper that walks a document through the process to a given step.

    office = OfficeFactory()                    # unit "UA" under a headquarters
    document = draft_document(office)           # at the draft step, drafter = office.drafter
    advance(document, office, until="sign_off") # the sign_off task now waits for office.leader
"""

from dataclasses import dataclass, field

from viewflow.workflow.models import Task
from viewflow.workflow.status import STATUS

from people.models import OrgUnit, Role, User
from tests.factories.people import OrgUnitFactory, RoleAssignmentFactory, UserFactory
from workflow import services
from workflow.models import DocumentType, OutgoingDocument
from workflow.numbering.models import DocumentPrefix
from workflow.numbering.services import prefix_create
from workflow.seal import keys
from workflow.seal import services as seal_services
from workflow.seal.models import SealAuthority, UnitSeal


@dataclass
class Office:
    """One unit's cast for the outgoing process."""

    unit: OrgUnit
    office: OrgUnit
    production: OrgUnit
    finance: OrgUnit
    safety: OrgUnit
    drafter: User
    production_head: User
    verifier: User
    leader: User
    second_leader: User
    finance_head: User
    safety_head: User
    clerk: User
    seal_keeper: User
    process_admin: User
    outsider: User
    prefix: DocumentPrefix
    extra: dict = field(default_factory=dict)


def OfficeFactory(
    code: str = "UA",
    name: str = "甲单位",
    parent: OrgUnit | None = None,
    *,
    headquarters: bool = False,
) -> Office:
    """A second-level unit (under `parent`, or a fresh headquarters), or with `headquarters`
    the group headquarters itself, with its departments and people: drafter and head in
    production, the office verifier, two leaders, the finance and safety heads
    (countersigners), a document clerk, a seal keeper, a process administrator, and an
    employee who handles nothing. The unit's seal itself is made when a document first reaches
    the seal step (`seal_ensure`): its keys take a moment to generate."""
    if headquarters:
        unit = OrgUnitFactory(code=code, name=name, kind=OrgUnit.Kind.HEADQUARTERS)
    else:
        if parent is None:
            parent = OrgUnit.objects.filter(
                kind=OrgUnit.Kind.HEADQUARTERS
            ).first() or OrgUnitFactory(code="HQ", name="东方重工集团有限公司", kind="headquarters")
        unit = OrgUnitFactory(parent=parent, code=code, name=name, kind=OrgUnit.Kind.UNIT)

    def department(suffix, title):
        return OrgUnitFactory(
            parent=unit, code=f"{code}-{suffix}", name=title, kind=OrgUnit.Kind.DEPARTMENT
        )

    office = department("BGS", "综合办公室")
    production = department("SCB", "生产部")
    finance = department("CWB", "财务部")
    safety = department("AQB", "安全部")

    def person(username, person_name, dept, leader=False):
        return UserFactory(
            username=f"{code.lower()}-{username}",
            name=person_name,
            department=dept,
            is_leader=leader,
        )

    cast = Office(
        unit=unit,
        office=office,
        production=production,
        finance=finance,
        safety=safety,
        drafter=person("drafter", "何拟稿", production),
        production_head=person("head", "周部长", production, leader=True),
        verifier=person("verifier", "韩审核", office),
        leader=person("leader", "马总", office, leader=True),
        second_leader=person("leader2", "王副总", office, leader=True),
        finance_head=person("finance", "钱会计长", finance, leader=True),
        safety_head=person("safety", "安部长", safety, leader=True),
        clerk=person("clerk", "郭文书", office),
        seal_keeper=person("keeper", "秦用印", office),
        process_admin=person("admin", "刘流程", office),
        outsider=person("outsider", "路人甲", production),
        prefix=None,
    )
    RoleAssignmentFactory(user=cast.verifier, role=Role.UNIT_ADMIN, unit=unit)
    RoleAssignmentFactory(user=cast.clerk, role=Role.FILE_CLERK, unit=unit)
    RoleAssignmentFactory(user=cast.seal_keeper, role=Role.SEAL_KEEPER, unit=unit)
    RoleAssignmentFactory(user=cast.process_admin, role=Role.PROCESS_ADMIN, unit=unit)
    cast.prefix = prefix_create(unit=unit, text=f"{name[:1]}拖", user=None)
    return cast


def draft_document(office: Office, **overrides) -> OutgoingDocument:
    values = {
        "user": office.drafter,
        "doc_type": DocumentType.NOTICE,
        "title": "关于开展安全生产大检查的通知",
        "body": "<p>各部门：</p><p>一、检查范围</p><p>全体生产车间。</p>",
        "main_recipients": [office.production, office.finance],
        "copy_recipients": ["市应急管理局"],
        "attachment_note": "检查表",
    }
    values.update(overrides)
    return services.document_create(**values)


def seal_ensure(office: Office) -> UnitSeal:
    """The unit's seal, and the installation's seal authority, made once."""
    if not SealAuthority.objects.exists():
        keys.create_authority("测试电子印章CA")
    seal = UnitSeal.objects.filter(unit=office.unit).first()
    return seal or seal_services.seal_create(unit=office.unit, keepers=[office.seal_keeper])


def open_task(document: OutgoingDocument, step: str | None = None) -> Task:
    """The (first) open human task of the document, optionally of a given step."""
    tasks = Task.objects.filter(
        process_id=document.process.pk,
        flow_task_type="HUMAN",
        status__in=[STATUS.NEW, STATUS.ASSIGNED],
    ).order_by("pk")
    for task in tasks:
        if step is None or task.flow_task.name == step:
            return task
    return None


def open_tasks(document: OutgoingDocument, step: str | None = None) -> list[Task]:
    tasks = Task.objects.filter(
        process_id=document.process.pk,
        flow_task_type="HUMAN",
        status__in=[STATUS.NEW, STATUS.ASSIGNED],
    ).order_by("pk")
    return [task for task in tasks if step is None or task.flow_task.name == step]


def act(document: OutgoingDocument, office: Office, *, countersign=(), signers=None) -> str:
    """Complete the document's current step the ordinary way (its owner acts, choosing the
    office's people for the next steps); returns the step done."""
    task = open_task(document)
    step = task.flow_task.name
    if step == "seal":
        seal_ensure(office)
    choices = {
        "draft": {"department_head": office.production_head},
        "check": {"verifier": office.verifier},
        "verify": {
            "signers": signers or [office.leader],
            "countersign_departments": list(countersign),
        },
        "countersign": {"opinion": "同意"},
        "sign_off": {"opinion": "同意", "clerk": office.clerk},
        "numbering": {"prefix": office.prefix},
        "proofread": {"opinion": "校对无误"},
    }
    services.STEP_ACTIONS[step](task=task, user=task.owner, **choices.get(step, {}))
    return step


def advance(document: OutgoingDocument, office: Office, *, until: str, **choices) -> None:
    """Act step after step until a task of `until` is open (or the process has ended)."""
    for _ in range(30):
        task = open_task(document)
        if task is None or task.flow_task.name == until:
            return
        act(document, office, **choices)
    raise AssertionError(f"{document} never reached {until}")

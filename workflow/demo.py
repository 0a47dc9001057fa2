"""Demo documents at different steps of their processes, acted through the services so that
their tasks and traces are real: a draft, one at each of check, countersign, sign-off and
numbering, and one dispatched with its red-head PDF (headquarters to the units)."""

from viewflow.workflow.models import Task

from people.models import OrgUnit, User

from . import services
from .models import DocumentType, OutgoingDocument
from .numbering.models import DocumentPrefix
from .numbering.services import prefixes_ensure_from_units
from .redhead.models import RedheadTemplate
from .redhead.services import template_update

HQ_TEMPLATE = {
    "issuer_mark": "东方重工集团有限公司文件",
    "signature_unit": "东方重工集团有限公司",
    "printing_unit": "东方重工集团有限公司办公室",
}
TLJ_TEMPLATE = {
    "issuer_mark": "东重拖拉机有限公司文件",
    "signature_unit": "东重拖拉机有限公司",
    "printing_unit": "东重拖拉机有限公司综合办公室",
}

BODY = (
    "<p>为进一步落实安全生产责任，经研究，决定在全集团范围内开展安全生产大检查。现将有关事项通知如下。</p>"
    "<p>一、检查范围</p><p>集团总部各部门、各二级单位及其所属生产经营场所。</p>"
    "<p>二、检查内容</p><p>（一）安全生产责任制落实情况。</p><p>（二）重大危险源管控和隐患排查治理情况。</p>"
    "<p>三、工作要求</p><p>各单位要高度重视，于12月20日前将自查报告报集团办公室。</p>"
)

# title, doc type, the step the document should wait at, urgency
HQ_DOCUMENTS = [
    ("关于做好2027年度职工培训计划编制工作的通知", DocumentType.NOTICE, "draft", ""),
    ("关于调整职工住房公积金缴存基数的通知", DocumentType.NOTICE, "check", "urgent"),
    ("关于开展薪酬制度改革专题调研的函", DocumentType.LETTER, "countersign", ""),
    ("关于2026年度人力资源工作情况的报告", DocumentType.REPORT, "sign_off", ""),
    ("关于表彰2026年度先进集体和先进个人的决定", DocumentType.DECISION, "numbering", ""),
    ("关于开展安全生产大检查的通知", DocumentType.NOTICE, "done", "very_urgent"),
]


def _users(*usernames) -> dict[str, User] | None:
    users = {u.username: u for u in User.objects.filter(username__in=usernames)}
    return users if len(users) == len(usernames) else None


def _templates_ensure(admin: User) -> None:
    for code, fields in (("HQ", HQ_TEMPLATE), ("TLJ", TLJ_TEMPLATE)):
        unit = OrgUnit.objects.filter(code=code).first()
        if unit is not None and not RedheadTemplate.objects.filter(unit=unit).exists():
            template_update(unit=unit, user=admin, **fields)


def _open_task(document):
    tasks = Task.objects.filter(
        process_id=document.process.pk, flow_task_type="HUMAN", status__in=["NEW", "ASSIGNED"]
    ).order_by("pk")
    return tasks.first()


def _run_until(document, until: str, cast: dict, prefix, countersign) -> None:
    """Act each step as the demo people would, until a task of `until` waits."""
    for _ in range(12):
        task = _open_task(document)
        if task is None or task.flow_task.name == until:
            return
        step = task.flow_task.name
        if step == "draft":
            services.draft_submit(
                task=task, user=cast["drafter"], department_head=cast["head"], opinion="请审核"
            )
        elif step == "check":
            services.check_approve(
                task=task,
                user=task.owner,
                verifier=cast["verifier"],
                opinion="拟同意，请办公室审核",
            )
        elif step == "verify":
            services.verify_approve(
                task=task,
                user=task.owner,
                signers=[cast["leader"]],
                countersign_departments=countersign,
                opinion="格式规范，同意报签",
            )
        elif step == "countersign":
            services.countersign_approve(task=task, user=task.owner, opinion="同意")
        elif step == "sign_off":
            services.sign_off_approve(
                task=task, user=task.owner, opinion="同意", clerk=cast["clerk"]
            )
        elif step == "numbering":
            services.number_assign(task=task, user=task.owner, prefix=prefix)
        elif step == "red_head":
            services.red_head_render(task=task, user=task.owner)
        elif step == "proofread":
            services.proofread_confirm(task=task, user=task.owner, opinion="校对无误")
        elif step == "dispatch":
            services.dispatch_send(task=task, user=task.owner, opinion="已用印分发")


def documents_demo_ensure() -> None:
    """Add the demo documents (idempotent: a document whose title exists is left alone)."""
    users = _users(
        "sysadmin", "liuyang", "zhaolei", "wangjun", "sunhao", "zhouli",
        "guoqiang", "maxiaodong", "heyan",
    )  # fmt: skip
    if users is None:
        return
    prefixes_ensure_from_units()
    _templates_ensure(users["sysadmin"])
    hq = OrgUnit.objects.get(code="HQ")
    units = list(OrgUnit.objects.filter(kind=OrgUnit.Kind.UNIT).order_by("sort_order", "code"))
    existing = set(OutgoingDocument.objects.values_list("title", flat=True))
    hq_cast = {
        "drafter": users["zhouli"],
        "head": users["sunhao"],
        "verifier": users["liuyang"],
        "leader": users["wangjun"],
        "clerk": users["zhaolei"],
    }
    hq_prefix = DocumentPrefix.objects.filter(unit=hq, is_active=True).order_by("order").first()
    office = OrgUnit.objects.filter(code="HQ-BGS").first()
    for title, doc_type, until, urgency in HQ_DOCUMENTS:
        if title in existing:
            continue
        document = services.document_create(
            user=hq_cast["drafter"],
            doc_type=doc_type,
            title=title,
            urgency=urgency,
            body=BODY,
            main_recipients=units or ["集团各部门"],
            copy_recipients=["集团领导", "集团纪委"],
            attachment_note="安全生产大检查自查表",
            remarks="联系人：周丽，电话：0379-64970001",
            copies=30,
        )
        services.attachment_add(
            document=document, user=hq_cast["drafter"], name="检查记录原件", is_paper_only=True
        )
        countersign = [office] if office is not None and until == "countersign" else []
        _run_until(document, until, hq_cast, hq_prefix, countersign)

    tlj = OrgUnit.objects.filter(code="TLJ").first()
    title = "关于第四季度生产计划调整的请示"
    if tlj is not None and title not in existing:
        document = services.document_create(
            user=users["heyan"],
            doc_type=DocumentType.REQUEST,
            title=title,
            direction="up",
            body="<p>集团公司：</p><p>受市场需求变化影响，我公司拟调整第四季度生产计划，现将有关情况请示如下。</p>",
            main_recipients=[hq],
            copies=5,
        )
        tlj_cast = {
            "drafter": users["heyan"],
            "head": users["maxiaodong"],
            "verifier": users["guoqiang"],
            "leader": users["maxiaodong"],
            "clerk": users["guoqiang"],
        }
        _run_until(document, "check", tlj_cast, None, [])

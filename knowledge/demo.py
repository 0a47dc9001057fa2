"""Demo content for the knowledge center: a category tree with articles and generated files.

Idempotent: every category and item is looked up by its slug below its parent and only added when
missing. The files are generated locally (WeasyPrint PDFs, python-docx, openpyxl, and a scan made
with Pillow that only OCR can read); their text is extracted by the task after the commit.
"""

from datetime import timedelta
from functools import cache

from django.core.files.uploadedfile import SimpleUploadedFile
from django.utils import timezone
from wagtail.models import Page
from wagtail.rich_text import RichText

from people.models import OrgUnit, User

from . import samplefiles
from .models import (
    CategoryAccess,
    KnowledgeArticlePage,
    KnowledgeCategoryPage,
    KnowledgeFilePage,
    KnowledgeItemPage,
)
from .services import category_access_update, file_version_add, knowledge_root_ensure

# slug, title, owning unit code, subcategories [(slug, title)]
CATEGORIES = [
    (
        "rules",
        "规章制度",
        "HQ",
        [("admin", "行政管理"), ("safety", "安全生产"), ("finance", "财务管理")],
    ),
    (
        "standards",
        "技术标准",
        "HQ",
        [("product", "产品标准"), ("tlj-process", "拖拉机公司工艺文件")],
    ),
    ("templates", "办公模板", "HQ", [("documents", "公文模板"), ("forms", "表格模板")]),
    ("training", "培训资料", "HQ", [("onboarding", "新员工培训"), ("safety-training", "安全培训")]),
    ("experience", "经验交流", "HQ", []),
]
RESTRICTED = ("standards", "tlj-process")  # only 拖拉机公司 sees it; 苏芳 edits it
TOP_EDITOR = "chenjing"
TLJ_EDITOR = "sufang"

SAFETY_RULES = [
    [
        "第一条 为加强集团安全生产管理，防止和减少生产安全事故，保障员工生命和财产安全，"
        "依据《中华人民共和国安全生产法》，结合集团实际，制定本规定。",
        "第二条 本规定适用于集团总部及各二级单位。",
        "第三条 安全生产工作坚持安全第一、预防为主、综合治理的方针。",
        "第四条 各单位主要负责人是本单位安全生产第一责任人，对本单位安全生产工作全面负责。",
    ],
    [
        "第五条 各单位应当每月组织一次安全检查，对发现的隐患建立台账，限期整改。",
        "第六条 特种作业人员必须持证上岗，每年参加不少于二十四学时的安全培训。",
        "第七条 发生生产安全事故，事故现场有关人员应当立即报告本单位负责人。",
        "第八条 本规定由集团安全环保部负责解释，自印发之日起施行。",
    ],
]
ASSEMBLY_PROCESS = [
    [
        "一、适用范围：本规程适用于东方红系列轮式拖拉机总装线。",
        "二、装配前准备：核对零部件型号，清洁结合面，检查螺栓等级标识。",
        "三、变速箱与后桥合箱：结合面涂密封胶，螺栓按对角顺序分三次拧紧，终拧扭矩 260 牛·米。",
        "四、液压提升器安装：安装后进行不少于三次的全行程提升试验，不得有渗漏。",
        "五、整机检验：发动机怠速运转五分钟，检查各仪表读数与制动性能。",
    ]
]
ONBOARDING = [
    [
        "欢迎加入东方重工集团。本手册介绍集团概况、组织机构、规章制度和日常办公指引。",
        "第一章 集团概况：集团始建于1955年，是以农业装备、动力机械和铸锻件为主业的大型企业集团。",
        "第二章 办公指引：协同办公平台提供公文处理、通知公告、知识中心和通讯录等功能。",
    ],
    [
        "第三章 考勤与休假：工作时间为每周一至周五 8:00—17:00，请假须通过平台提交申请。",
        "第四章 保密要求：涉密文件不得在协同办公平台上流转，内部资料不得外传。",
    ],
]
SCAN_LINES = [
    "设备点检记录（扫描件）",
    "车间：总装车间  设备：液压提升器试验台",
    "点检日期：2026年3月12日",
    "一、油温正常，液压油位在刻度线以内",
    "二、轴承温度不得超过七十度",
    "三、安全防护装置齐全有效",
    "点检人：何燕  复核人：马晓东",
]

ARTICLES = [
    (
        ("rules", "admin"),
        "vehicle-rules",
        "公务用车管理办法",
        "规范公务用车的申请、调度、使用和费用管理。",
        [
            ("heading", "一、用车申请"),
            (
                "paragraph",
                "<p>公务用车须提前一个工作日通过协同办公平台提交申请，写明事由、时间、地点和人数。"
                "紧急公务可电话联系办公室，事后补办手续。</p>",
            ),
            ("heading", "二、车辆调度"),
            (
                "paragraph",
                "<p>办公室统一调度车辆，优先保障生产经营和接待任务。驾驶员须按批准的路线行驶。</p>",
            ),
        ],
        "公务用车,车辆管理,行政",
        -20,  # overdue for review
        TOP_EDITOR,
    ),
    (
        ("training", "safety-training"),
        "fire-equipment",
        "消防器材使用要点",
        "干粉灭火器、消火栓的正确使用方法和日常检查要求。",
        [
            (
                "paragraph",
                "<p>使用干粉灭火器时，先拔出保险销，一手握住喷管对准火焰根部，一手按下压把。"
                "人员应站在上风方向，距离火源三至五米。</p>",
            ),
            (
                "paragraph",
                "<p>各部门每月检查一次灭火器压力表指针，指针在绿区为正常，在红区须及时更换。</p>",
            ),
        ],
        "消防,安全培训,灭火器",
        200,
        TOP_EDITOR,
    ),
    (
        ("experience",),
        "cnc-efficiency",
        "数控车床加工效率提升经验",
        "动力公司机加车间通过优化刀具和装夹，单件工时缩短18%。",
        [
            (
                "paragraph",
                "<p>机加车间针对缸套加工节拍长的问题，组织技术人员和班组长开展攻关。"
                "一是改用涂层硬质合金刀具，切削速度提高30%；二是设计快换夹具，装夹时间由4分钟降到1分钟；"
                "三是优化程序走刀路线，减少空行程。</p>",
            ),
            (
                "paragraph",
                "<p>三个月来，缸套单件工时由42分钟降到34.5分钟，刀具消耗下降12%。</p>",
            ),
        ],
        "数控车床,工艺改进,降本增效",
        15,  # due soon
        TOP_EDITOR,
    ),
    (
        ("experience",),
        "team-safety",
        "班组安全管理的几点做法",
        "铸锻公司熔炼班组连续三年零事故的经验。",
        [
            (
                "paragraph",
                "<p>班前会上讲安全，每天由一名组员讲解一个岗位风险点；"
                "交接班时双方共同确认设备状态并签字；每周开展一次隐患排查，问题当天整改。</p>",
            ),
        ],
        "班组建设,安全管理",
        300,
        TOP_EDITOR,
    ),
]


@cache
def _files() -> dict[str, tuple[str, bytes]]:
    """The demo files, generated once per process."""
    return {
        "safety": ("安全生产管理规定.pdf", samplefiles.text_pdf("安全生产管理规定", SAFETY_RULES)),
        "assembly": (
            "拖拉机总装工艺规程.pdf",
            samplefiles.text_pdf("拖拉机总装工艺规程", ASSEMBLY_PROCESS),
        ),
        "assembly_v2": (
            "拖拉机总装工艺规程.pdf",
            samplefiles.text_pdf(
                "拖拉机总装工艺规程（2026年修订）",
                [[*ASSEMBLY_PROCESS[0], "六、修订说明：终拧扭矩由 240 调整为 260 牛·米。"]],
            ),
        ),
        "scan": ("设备点检记录扫描件.pdf", samplefiles.scanned_pdf([SCAN_LINES])),
        "onboarding": (
            "新员工入职培训手册.pdf",
            samplefiles.text_pdf("新员工入职培训手册", ONBOARDING),
        ),
        "leave": (
            "请假申请表.docx",
            samplefiles.docx_file(
                "请假申请表",
                ["填表说明：请假一天以内由部门负责人审批，三天以上报单位分管领导审批。"],
                [
                    ["姓名", "部门", "请假类型", "起止日期", "事由"],
                    ["", "", "年休假/事假/病假", "", ""],
                ],
            ),
        ),
        "notice_template": (
            "通知（模板）.docx",
            samplefiles.docx_file(
                "关于××××的通知",
                [
                    "各单位、各部门：",
                    "为……，现将有关事项通知如下：",
                    "一、……",
                    "二、……",
                    "特此通知。",
                ],
            ),
        ),
        "ledger": (
            "设备台账模板.xlsx",
            samplefiles.xlsx_file(
                {
                    "设备台账": [
                        ["设备编号", "设备名称", "规格型号", "所在车间", "启用日期", "责任人"],
                        ["JC-001", "数控车床", "CK6150", "机加车间", "2021-05-10", "冯杰"],
                        ["ZP-014", "液压提升器试验台", "YT-200", "总装车间", "2019-09-01", "何燕"],
                    ],
                    "填写说明": [["设备编号按“车间代码-序号”编写。"]],
                }
            ),
        ),
    }


# Which file goes where: category path, slug, title, description, [files], keywords,
# review in days, owner, uploader (an editor of the category)
FILE_ITEMS = [
    (
        ("rules", "safety"),
        "safety-rules",
        "安全生产管理规定",
        "集团安全生产管理的基本制度，2026年修订版。",
        ["safety"],
        "安全生产,制度,责任制",
        120,
        TOP_EDITOR,
    ),
    (
        ("standards", "tlj-process"),
        "assembly-process",
        "拖拉机总装工艺规程",
        "拖拉机公司总装线的装配工艺要求（内部资料，仅限拖拉机公司）。",
        ["assembly"],
        "总装,工艺规程,拖拉机",
        250,
        TLJ_EDITOR,
    ),
    (
        ("standards", "tlj-process"),
        "inspection-scan",
        "液压提升器试验台点检记录（扫描件）",
        "纸质点检记录的扫描件；文字由 OCR 识别后可被搜索。",
        ["scan"],
        "点检,扫描件,液压提升器",
        -5,
        TLJ_EDITOR,
    ),
    (
        ("training", "onboarding"),
        "onboarding-handbook",
        "新员工入职培训手册",
        "新员工入职第一周的学习资料。",
        ["onboarding"],
        "新员工,培训,入职",
        180,
        TOP_EDITOR,
    ),
    (
        ("templates", "forms"),
        "leave-form",
        "请假申请表",
        "Word 模板，下载后填写。",
        ["leave"],
        "请假,表格,模板",
        330,
        TOP_EDITOR,
    ),
    (
        ("templates", "forms"),
        "equipment-ledger",
        "设备台账模板",
        "Excel 模板，含填写说明。",
        ["ledger"],
        "设备台账,Excel,模板",
        10,
        TOP_EDITOR,
    ),
    (
        ("templates", "documents"),
        "notice-template",
        "通知（公文模板）",
        "按 GB/T 9704 排版的通知正文模板。",
        ["notice_template"],
        "公文,通知,模板",
        300,
        TOP_EDITOR,
    ),
]


def knowledge_demo_ensure(home: Page) -> None:
    """Add the demo categories, articles and files (idempotent)."""
    users = {
        user.username: user
        for user in User.objects.filter(username__in=[TOP_EDITOR, TLJ_EDITOR, "sysadmin"])
    }
    units = {unit.code: unit for unit in OrgUnit.objects.filter(code__in=["HQ", "TLJ"])}
    if "sysadmin" not in users or "HQ" not in units:
        return
    administrator = users["sysadmin"]
    root = knowledge_root_ensure(home)
    categories: dict[tuple[str, ...], KnowledgeCategoryPage] = {}
    for slug, title, unit_code, children in CATEGORIES:
        top = _category(root, slug, title, units.get(unit_code))
        categories[(slug,)] = top
        if TOP_EDITOR in users and not CategoryAccess.objects.filter(category=top).exists():
            category_access_update(
                category=top,
                user=administrator,
                view_rule=CategoryAccess.ViewRule.INHERIT,
                edit_users=[users[TOP_EDITOR]],
            )
        for child_slug, child_title in children:
            categories[(slug, child_slug)] = _category(top, child_slug, child_title, top.owner_unit)

    restricted = categories[RESTRICTED]
    if "TLJ" in units and not CategoryAccess.objects.filter(category=restricted).exists():
        if restricted.owner_unit_id != units["TLJ"].pk:
            restricted.owner_unit = units["TLJ"]
            restricted.save_revision(user=administrator).publish()
        category_access_update(
            category=restricted,
            user=administrator,
            view_rule=CategoryAccess.ViewRule.RESTRICTED,
            view_units=[units["TLJ"]],
            edit_users=[users[TLJ_EDITOR]] if TLJ_EDITOR in users else [],
        )

    for path, slug, title, summary, body, keywords, review_in, owner in ARTICLES:
        parent = categories[path]
        if KnowledgeArticlePage.objects.child_of(parent).filter(slug=slug).exists():
            continue
        user = users.get(owner, administrator)
        page = KnowledgeArticlePage(
            title=title,
            slug=slug,
            summary=summary,
            body=[
                (kind, RichText(value) if kind == "paragraph" else value) for kind, value in body
            ],
            keywords=keywords,
            owner_unit=parent.owner_unit or units["HQ"],
            owner=user,
            responsible=user,
        )
        _publish(parent, page, user, review_in)

    files = _files()
    for path, slug, title, description, file_keys, keywords, review_in, owner in FILE_ITEMS:
        parent = categories[path]
        if KnowledgeFilePage.objects.child_of(parent).filter(slug=slug).exists():
            continue
        user = users.get(owner, administrator)
        page = KnowledgeFilePage(
            title=title,
            slug=slug,
            description=f"<p>{description}</p>",
            keywords=keywords,
            owner_unit=parent.owner_unit or units["HQ"],
            owner=user,
            responsible=user,
        )
        page = _publish(parent, page, user, review_in)
        for key in file_keys:
            name, content = files[key]
            version = file_version_add(
                item=page,
                user=user,
                uploaded=SimpleUploadedFile(name, content),
                change_note="首次发布",
            )
            if key == "assembly":
                name, content = files["assembly_v2"]
                file_version_add(
                    item=page,
                    user=user,
                    uploaded=SimpleUploadedFile(name, content),
                    file=version.file,
                    change_note="第三条终拧扭矩调整为 260 牛·米",
                )


def _category(parent: Page, slug: str, title: str, unit) -> KnowledgeCategoryPage:
    existing = KnowledgeCategoryPage.objects.child_of(parent).filter(slug=slug).first()
    if existing:
        return existing
    page = parent.add_child(instance=KnowledgeCategoryPage(title=title, slug=slug, owner_unit=unit))
    page.save_revision().publish()
    return page


def _publish(parent: Page, page: KnowledgeItemPage, user, review_in_days: int) -> KnowledgeItemPage:
    page = parent.add_child(instance=page)
    page.save_revision(user=user).publish(user=user)
    KnowledgeItemPage.objects.filter(pk=page.pk).update(
        review_date=timezone.localdate() + timedelta(days=review_in_days)
    )
    page.refresh_from_db()
    return page

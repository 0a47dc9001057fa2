"""Demo columns, news and notices for `load_demo`.

Everything is looked up by slug or title before it is made, so running `load_demo` again adds
nothing. Dates are counted back from the day of loading, so the demo always looks current. Images
and the PDF attachment are drawn here, never downloaded: the intranet has no internet.
"""

import io
import logging
from dataclasses import dataclass, field
from datetime import date, datetime, time, timedelta
from pathlib import Path

from django.core.files.base import ContentFile
from django.core.files.images import ImageFile
from django.utils import timezone
from PIL import Image as PillowImage
from PIL import ImageDraw, ImageFont
from wagtail.documents import get_document_model
from wagtail.images import get_image_model
from wagtail.rich_text import RichText

from people.models import OrgUnit, User

from .models import (
    HomePage,
    NewsAttachment,
    NewsColumnPage,
    NewsIndexPage,
    NewsPage,
    NoticeAttachment,
    NoticeIndexPage,
    NoticePage,
)

CJK_FONT = Path("/usr/share/fonts/opentype/noto/NotoSansCJK-Regular.ttc")
IMAGE_SIZE = (960, 540)
# (top colour, bottom colour) of each generated picture's gradient
PALETTES = [
    ((23, 64, 128), (96, 156, 214)),
    ((120, 24, 24), (214, 112, 64)),
    ((22, 96, 64), (132, 196, 120)),
    ((64, 48, 112), (160, 132, 208)),
    ((40, 40, 48), (148, 148, 156)),
    ((150, 96, 20), (236, 196, 96)),
]


@dataclass(frozen=True)
class DemoNews:
    slug: str
    title: str
    days_ago: int
    summary: str
    paragraphs: tuple[str, ...]
    tags: tuple[str, ...] = ()
    subtitle: str = ""
    source: str = ""
    author: str = ""
    caption: str = ""  # a generated cover picture with this caption
    owner: str = "chenjing"
    attachment: bool = False


@dataclass(frozen=True)
class DemoColumn:
    slug: str
    title: str
    intro: str
    owner_unit: str
    direct_publish: bool
    news: tuple[DemoNews, ...] = field(default_factory=tuple)


@dataclass(frozen=True)
class DemoNotice:
    slug: str
    title: str
    days_ago: int
    department: str
    paragraphs: tuple[str, ...]
    audience_units: tuple[str, ...] = ()  # org unit codes; none: the whole group
    priority: int = NoticePage.Priority.NORMAL
    pinned_days: int | None = None  # pinned for this many days from today
    expires_in_days: int | None = None  # negative: already expired
    attachment: bool = False


SAFETY_PDF_TITLE = "2026年春季安全生产大检查工作方案"

COLUMNS = [
    DemoColumn(
        slug="group-news",
        title="集团要闻",
        intro="集团重大活动、经营发展与重要会议报道。",
        owner_unit="HQ",
        direct_publish=False,
        news=(
            DemoNews(
                slug="safety-conference-2026",
                title="集团召开2026年安全生产工作会议",
                subtitle="压实安全责任 筑牢发展底线",
                days_ago=3,
                summary="会议总结2025年安全生产工作，部署2026年重点任务，并与各单位签订安全生产责任书。",
                paragraphs=(
                    "2月下旬，集团在总部会议中心召开2026年安全生产工作会议。集团总经理王军出席会议并讲话，各单位主要负责人、安全管理部门负责人参加会议。",
                    "会议通报了2025年安全生产情况：全年未发生一般及以上生产安全事故，隐患整改率达到100%。会议要求各单位把安全生产放在首位，健全全员安全生产责任制，持续推进重大危险源在线监测和双重预防机制建设。",
                    "会上，集团与各二级单位签订了2026年度安全生产目标责任书。",
                ),
                tags=("安全生产", "会议"),
                source="集团办公室",
                author="陈静",
                caption="2026年安全生产工作会议",
                attachment=True,
            ),
            DemoNews(
                slug="high-power-tractor-rollout",
                title="集团新一代大马力智能拖拉机下线",
                subtitle="整机国产化率超过95%",
                days_ago=9,
                summary="新一代260马力智能拖拉机在拖拉机公司总装线下线，具备自动导航和作业监测功能。",
                paragraphs=(
                    "3月初，新一代260马力智能拖拉机在拖拉机公司总装线顺利下线。该机型搭载动力公司自主研发的国四柴油机和无级变速传动系统，整机国产化率超过95%。",
                    "新机型配备北斗自动导航、作业质量监测和远程运维平台，可满足大田耕整地、播种和植保等多种作业需求。",
                    "集团将在春耕前组织首批产品交付，并在东北、华北等主要农业区开展示范推广。",
                ),
                tags=("产品", "智能制造"),
                source="集团办公室",
                author="陈静",
                caption="新一代智能拖拉机下线",
            ),
            DemoNews(
                slug="skills-contest-10th",
                title="集团第十届职工职业技能大赛圆满落幕",
                days_ago=15,
                summary="来自各单位的216名选手参加了数控车工、焊工、装配钳工等8个工种的比赛。",
                paragraphs=(
                    "集团第十届职工职业技能大赛日前落下帷幕。本届大赛设数控车工、焊工、装配钳工、电工等8个工种，来自各单位的216名选手同台竞技。",
                    "经过理论考试和实际操作两轮比拼，42名选手获得各工种前三名，成绩优异者将按规定晋升职业技能等级。",
                ),
                tags=("培训", "技能人才"),
                source="人力资源部",
                author="周丽",
            ),
            DemoNews(
                slug="theory-study-session",
                title="集团党委理论学习中心组开展专题学习",
                days_ago=20,
                summary="中心组围绕推动制造业高质量发展开展专题学习和交流研讨。",
                paragraphs=(
                    "集团党委理论学习中心组日前召开专题学习会，围绕推动制造业高质量发展、加快培育新质生产力开展学习研讨。",
                    "与会人员结合分管工作作了交流发言，一致表示要把学习成果转化为推动企业改革发展的具体举措。",
                ),
                tags=("党建",),
                source="集团办公室",
                author="陈静",
            ),
            DemoNews(
                slug="agri-machinery-expo",
                title="集团亮相2026中国国际农业机械展览会",
                days_ago=27,
                summary="集团携12款主导产品参展，现场签订意向订单1.8亿元。",
                paragraphs=(
                    "在2026中国国际农业机械展览会上，集团以“智慧农机 绿色动力”为主题，"
                    "携大马力拖拉机、高效联合收获机和非道路国四动力等12款主导产品参展。",
                    "展会期间，集团展台接待国内外客商3000余人次，现场签订意向订单1.8亿元。",
                ),
                tags=("展会", "市场"),
                source="集团办公室",
                author="陈静",
                caption="农机展集团展台",
            ),
            DemoNews(
                slug="provincial-science-awards",
                title="集团三项成果获省科学技术进步奖",
                days_ago=34,
                summary="拖拉机电液提升控制、柴油机低排放燃烧等三项成果获奖。",
                paragraphs=(
                    "省人民政府日前公布年度科学技术奖励名单，集团“大马力拖拉机电液提升控制关键技术”获一等奖，“非道路柴油机低排放燃烧技术”和“大型铸件绿色铸造工艺”获二等奖。",
                    "近年来，集团每年研发投入占营业收入的比例保持在4%以上，累计拥有有效专利1200余项。",
                ),
                tags=("科技创新",),
                source="集团办公室",
                author="陈静",
            ),
            DemoNews(
                slug="spring-safety-inspection",
                title="集团开展春季安全生产大检查",
                days_ago=45,
                summary="检查组深入各单位生产现场，排查整改各类隐患63项。",
                paragraphs=(
                    "按照春季安全生产大检查工作方案，集团组成4个检查组，深入各单位生产现场，重点检查危险化学品储存、特种设备运行、有限空间作业和消防安全。",
                    "检查共发现各类隐患63项，已当场整改51项，其余隐患明确了整改责任人和完成时限。",
                ),
                tags=("安全生产",),
                source="集团办公室",
                author="陈静",
            ),
            DemoNews(
                slug="annual-work-conference",
                title="集团召开2026年工作会议暨职工代表大会",
                days_ago=56,
                summary="会议审议通过集团2026年工作报告，明确全年营业收入增长8%的目标。",
                paragraphs=(
                    "集团2026年工作会议暨三届五次职工代表大会在总部召开。会议审议通过了集团2026年工作报告和财务预算报告。",
                    "会议提出，2026年集团将聚焦主业、深化改革，力争营业收入同比增长8%，研发投入强度不低于4.5%。",
                ),
                tags=("会议", "经营"),
                source="集团办公室",
                author="陈静",
            ),
        ),
    ),
    DemoColumn(
        slug="unit-news",
        title="基层动态",
        intro="各二级单位的生产经营和工作动态。",
        owner_unit="TLJ",
        direct_publish=False,
        news=(
            DemoNews(
                slug="tlj-electric-tractor-prototype",
                title="拖拉机公司完成首台电动拖拉机样机试制",
                days_ago=2,
                summary="样机采用纯电驱动，单次充电可连续作业6小时。",
                paragraphs=(
                    "拖拉机公司技术中心日前完成首台电动拖拉机样机试制。样机采用纯电驱动和电液悬挂系统，单次充电可连续作业6小时。",
                    "下一步，公司将开展田间可靠性试验，力争年内完成产品定型。",
                ),
                tags=("科技创新", "新能源"),
                source="拖拉机公司",
                author="苏芳",
                caption="电动拖拉机样机",
                owner="sufang",
            ),
            DemoNews(
                slug="tlj-team-leader-training",
                title="拖拉机公司开展班组长能力提升培训",
                days_ago=8,
                summary="为期三天的培训覆盖现场管理、安全管理和质量改进等内容。",
                paragraphs=(
                    "拖拉机公司举办2026年班组长能力提升培训班，来自各车间的86名班组长参加培训。",
                    "培训围绕现场6S管理、班组安全管理、质量问题分析与改进等内容，采取课堂讲授与现场教学相结合的方式进行。",
                ),
                tags=("培训",),
                source="拖拉机公司",
                author="苏芳",
                owner="sufang",
            ),
            DemoNews(
                slug="dli-diesel-milestone",
                title="动力公司非道路国四柴油机累计产量突破十万台",
                days_ago=12,
                summary="自投产以来，国四柴油机产品已配套国内外40余家主机厂。",
                paragraphs=(
                    "3月，动力公司第十万台非道路国四柴油机下线。该系列产品自投产以来，已配套国内外40余家主机厂。",
                    "公司持续优化燃烧系统和后处理技术，产品油耗较上一代降低5%。",
                ),
                tags=("产品", "生产"),
                source="动力公司",
                author="罗华",
                caption="第十万台国四柴油机下线",
            ),
            DemoNews(
                slug="tlj-assembly-line-acceptance",
                title="拖拉机公司总装线智能化改造通过验收",
                days_ago=18,
                summary="改造后总装线生产节拍提升20%，在制品库存下降30%。",
                paragraphs=(
                    "拖拉机公司总装线智能化改造项目日前通过集团组织的竣工验收。项目新增自动拧紧、在线检测和物料配送系统。",
                    "改造后，总装线生产节拍提升20%，在制品库存下降30%，一次装配合格率达到99.2%。",
                ),
                tags=("智能制造",),
                source="拖拉机公司",
                author="苏芳",
                owner="sufang",
            ),
            DemoNews(
                slug="dli-fire-drill",
                title="动力公司开展消防应急疏散演练",
                days_ago=25,
                summary="演练模拟涂装车间突发火情，300余名职工参加。",
                paragraphs=(
                    "动力公司联合属地消防救援站开展消防应急疏散演练，模拟涂装车间突发火情，检验应急预案的可操作性。",
                    "300余名职工在8分钟内全部安全疏散，义务消防队员现场演示了灭火器和消火栓的使用方法。",
                ),
                tags=("安全生产",),
                source="动力公司",
                author="罗华",
            ),
            DemoNews(
                slug="zda-green-foundry-line",
                title="铸锻公司绿色铸造示范线投产",
                days_ago=31,
                summary="示范线采用树脂砂再生和余热回收技术，单位产品能耗下降18%。",
                paragraphs=(
                    "铸锻公司绿色铸造示范线正式投产。示范线采用树脂砂再生、除尘余热回收等技术，粉尘排放浓度低于国家标准限值的一半。",
                    "投产后，单位产品综合能耗下降18%，旧砂再生利用率达到95%。",
                ),
                tags=("绿色发展", "生产"),
                source="铸锻公司",
                author="蔡莉",
                caption="绿色铸造示范线",
            ),
            DemoNews(
                slug="zda-qc-award",
                title="铸锻公司QC小组获全国优秀质量管理小组称号",
                days_ago=40,
                summary="“降低曲轴锻件废品率”课题成果获评全国优秀成果。",
                paragraphs=(
                    "在全国质量管理小组活动成果发表交流会上，铸锻公司锻造车间QC小组的“降低曲轴锻件废品率”课题获评全国优秀质量管理小组成果。",
                    "该小组通过优化模具预热和锻造工艺参数，使曲轴锻件废品率由2.1%降至0.6%。",
                ),
                tags=("质量",),
                source="铸锻公司",
                author="蔡莉",
            ),
            DemoNews(
                slug="tlj-quality-month",
                title="拖拉机公司启动“质量提升月”活动",
                days_ago=52,
                summary="活动以“质量是生命 细节定成败”为主题，持续一个月。",
                paragraphs=(
                    "拖拉机公司“质量提升月”活动启动仪式在总装车间举行。"
                    "活动以“质量是生命 细节定成败”为主题。",
                    "活动期间，公司将开展质量知识竞赛、质量问题随手拍、优秀质量改进成果评选等系列活动。",
                ),
                tags=("质量",),
                source="拖拉机公司",
                author="苏芳",
                owner="sufang",
            ),
        ),
    ),
    DemoColumn(
        slug="photo-news",
        title="图片新闻",
        intro="用镜头记录集团的发展瞬间。",
        owner_unit="HQ",
        direct_publish=True,
        news=(
            DemoNews(
                slug="photo-spring-ploughing",
                title="春耕时节 东重拖拉机驰骋田间",
                days_ago=1,
                summary="春耕时节，集团服务队深入田间地头，为农户提供农机检修服务。",
                paragraphs=(
                    "春耕时节，集团组织12支服务队深入主要农业区，为农户免费检修农机2000余台次。",
                ),
                tags=("服务",),
                caption="春耕时节 驰骋田间",
            ),
            DemoNews(
                slug="photo-new-campus",
                title="集团智能制造产业园建设稳步推进",
                days_ago=6,
                summary="产业园一期主体厂房已封顶，预计年内投入使用。",
                paragraphs=(
                    "集团智能制造产业园一期主体厂房已全部封顶，目前正在进行设备基础施工。",
                ),
                tags=("项目建设",),
                caption="智能制造产业园",
            ),
            DemoNews(
                slug="photo-skills-contest",
                title="技能大赛赛场掠影",
                days_ago=14,
                summary="焊工比赛现场，选手们专注操作。",
                paragraphs=(
                    "技能大赛焊工比赛现场，选手们在规定时间内完成板对接和管对接焊接任务。",
                ),
                tags=("技能人才",),
                caption="技能大赛焊工比赛",
            ),
            DemoNews(
                slug="photo-expo-booth",
                title="农机展上的东重展台",
                days_ago=26,
                summary="集团展台吸引众多客商驻足洽谈。",
                paragraphs=("农机展期间，集团展台吸引众多国内外客商驻足洽谈。",),
                tags=("展会",),
                caption="农机展上的东重展台",
            ),
            DemoNews(
                slug="photo-foundry",
                title="铸造车间的火热一线",
                days_ago=38,
                summary="铸锻公司职工坚守生产一线，确保订单按期交付。",
                paragraphs=("铸锻公司熔炼工段职工坚守岗位，确保一季度订单按期交付。",),
                tags=("生产",),
                caption="铸造车间",
            ),
            DemoNews(
                slug="photo-staff-games",
                title="集团举办职工趣味运动会",
                days_ago=50,
                summary="600余名职工参加拔河、跳绳等8个项目的比赛。",
                paragraphs=(
                    "集团职工趣味运动会在总部体育场举行，600余名职工参加拔河、跳绳等8个项目的比赛。",
                ),
                tags=("职工文化",),
                caption="职工趣味运动会",
            ),
        ),
    ),
]

NOTICES = [
    DemoNotice(
        slug="spring-safety-inspection-2026",
        title="关于开展2026年春季安全生产大检查的通知",
        days_ago=2,
        department="HQ-BGS",
        paragraphs=(
            "各单位、总部各部门：",
            "为切实做好春季安全生产工作，集团决定自即日起开展春季安全生产大检查。请各单位对照附件中的工作方案组织自查，于本月25日前将自查报告报集团办公室。",
        ),
        priority=NoticePage.Priority.URGENT,
        pinned_days=14,
        expires_in_days=30,
        attachment=True,
    ),
    DemoNotice(
        slug="new-platform-launch",
        title="关于启用协同办公平台的通知",
        days_ago=10,
        department="HQ-XXZX",
        paragraphs=(
            "各单位、总部各部门：",
            "集团协同办公平台已完成部署，自下月1日起正式启用，公文处理、通知公告和新闻发布统一通过平台办理。使用中如有问题，请联系信息中心。",
        ),
        priority=NoticePage.Priority.IMPORTANT,
        pinned_days=30,
    ),
    DemoNotice(
        slug="qingming-holiday-2026",
        title="关于2026年清明节放假安排的通知",
        days_ago=4,
        department="HQ-BGS",
        paragraphs=(
            "各单位、总部各部门：",
            "根据国家有关规定，清明节放假3天。放假期间，各单位要妥善安排值班，做好安全保卫工作。",
        ),
        expires_in_days=40,
    ),
    DemoNotice(
        slug="health-checkup-2026",
        title="关于组织2026年度职工健康体检的通知",
        days_ago=7,
        department="HQ-RLZY",
        paragraphs=(
            "各单位、总部各部门：",
            "集团定于4月至5月组织在职职工健康体检，请各单位统计参检人员名单，于本月底前报人力资源部。",
        ),
    ),
    DemoNotice(
        slug="network-security-check",
        title="关于开展网络安全专项检查的通知",
        days_ago=12,
        department="HQ-XXZX",
        paragraphs=(
            "各单位：",
            "为保障协同办公平台和生产管理系统安全运行，信息中心将对各单位终端和服务器开展网络安全专项检查，请各单位做好配合。",
        ),
        priority=NoticePage.Priority.IMPORTANT,
    ),
    DemoNotice(
        slug="q1-financial-report",
        title="关于报送2026年第一季度财务快报的通知",
        days_ago=5,
        department="HQ-CWB",
        paragraphs=(
            "拖拉机公司、动力公司：",
            "请于4月8日前通过财务系统报送第一季度财务快报，并同时报送经营情况分析说明。",
        ),
        audience_units=("TLJ", "DLI"),
        priority=NoticePage.Priority.IMPORTANT,
    ),
    DemoNotice(
        slug="tlj-skills-training-signup",
        title="关于拖拉机公司职工技能培训报名的通知",
        days_ago=9,
        department="HQ-RLZY",
        paragraphs=(
            "拖拉机公司：",
            "集团将于下月举办数控加工和焊接技能培训班，请拖拉机公司组织符合条件的职工报名，名额20人。",
        ),
        audience_units=("TLJ",),
    ),
    DemoNotice(
        slug="dli-equipment-inspection",
        title="关于动力公司开展关键设备点检的通知",
        days_ago=11,
        department="HQ-BGS",
        paragraphs=(
            "动力公司：",
            "请对缸体加工线、装配试验线等关键设备开展全面点检，点检记录于本月20日前报集团办公室备案。",
        ),
        audience_units=("DLI",),
    ),
    DemoNotice(
        slug="hq-office-weekly-meeting",
        title="关于调整办公室周例会时间的通知",
        days_ago=3,
        department="HQ-BGS",
        paragraphs=("办公室全体人员：", "自下周起，办公室周例会调整为每周一上午8:30召开。"),
        audience_units=("HQ-BGS",),
    ),
    DemoNotice(
        slug="outstanding-staff-2025",
        title="关于开展2025年度优秀员工评选的公告",
        days_ago=55,
        department="HQ-RLZY",
        paragraphs=(
            "各单位、总部各部门：",
            "2025年度优秀员工评选推荐工作已经结束，感谢各单位的支持。",
        ),
        expires_in_days=-5,
    ),
]


def demo_content_ensure(home: HomePage) -> None:
    """The demo columns with their news, and the demo notices, added where missing."""
    units = {unit.code: unit for unit in OrgUnit.objects.all()}
    users = {user.username: user for user in User.objects.filter(username__in=_owner_names())}
    today = timezone.localdate()
    news_index = NewsIndexPage.objects.child_of(home).first()
    if news_index is not None:
        for column in COLUMNS:
            _column_ensure(news_index, column, units, users, today)
    notice_index = NoticeIndexPage.objects.child_of(home).first()
    if notice_index is not None:
        _notices_ensure(notice_index, units, users, today)


def _owner_names() -> set[str]:
    return {"chenjing"} | {news.owner for column in COLUMNS for news in column.news}


def _column_ensure(index, spec: DemoColumn, units, users, today: date) -> None:
    column = NewsColumnPage.objects.child_of(index).filter(slug=spec.slug).first()
    if column is None:
        column = index.add_child(
            instance=NewsColumnPage(
                title=spec.title,
                slug=spec.slug,
                intro=f"<p>{spec.intro}</p>",
                owner_unit=units.get(spec.owner_unit),
                direct_publish=spec.direct_publish,
                owner=users.get("chenjing"),
            )
        )
        column.save_revision(user=users.get("chenjing")).publish()
    existing = set(NewsPage.objects.child_of(column).values_list("slug", flat=True))
    for news in spec.news:
        if news.slug not in existing:
            _news_create(column, news, users.get(news.owner), today)


def _news_create(column, spec: DemoNews, owner, today: date) -> None:
    news_date = today - timedelta(days=spec.days_ago)
    cover = _demo_image(spec.caption, spec.slug) if spec.caption else None
    body = [("paragraph", RichText(f"<p>{text}</p>")) for text in spec.paragraphs]
    if cover is not None:
        body.insert(1, ("image", {"image": cover, "caption": spec.caption}))
    page = NewsPage(
        title=spec.title,
        slug=spec.slug,
        subtitle=spec.subtitle,
        source=spec.source,
        author=spec.author,
        news_date=news_date,
        cover_image=cover,
        summary=spec.summary,
        body=body,
        owner=owner,
        first_published_at=_published_at(news_date),
    )
    page.tags.add(*spec.tags)
    if spec.attachment:
        page.attachments.add(NewsAttachment(document=_safety_plan_pdf()))
    column.add_child(instance=page)
    page.save_revision(user=owner).publish()


def _notices_ensure(index: NoticeIndexPage, units, users, today: date) -> None:
    if index.owner_unit_id is None and "HQ" in units:
        index.owner_unit = units["HQ"]
        index.save_revision(user=users.get("chenjing")).publish()
    existing = set(NoticePage.objects.child_of(index).values_list("slug", flat=True))
    for notice in NOTICES:
        if notice.slug not in existing:
            _notice_create(index, notice, units, users.get("chenjing"), today)


def _notice_create(index, spec: DemoNotice, units, owner, today: date) -> None:
    chosen = [units[code] for code in spec.audience_units if code in units]
    page = NoticePage(
        title=spec.title,
        slug=spec.slug,
        issuing_department=units.get(spec.department),
        audience=NoticePage.Audience.CHOSEN if chosen else NoticePage.Audience.EVERYONE,
        audience_units=chosen,
        priority=spec.priority,
        pinned_until=today + timedelta(days=spec.pinned_days) if spec.pinned_days else None,
        expires_on=(
            today + timedelta(days=spec.expires_in_days)
            if spec.expires_in_days is not None
            else None
        ),
        body="".join(f"<p>{text}</p>" for text in spec.paragraphs),
        owner=owner,
        first_published_at=_published_at(today - timedelta(days=spec.days_ago)),
    )
    if spec.attachment:
        page.attachments.add(NoticeAttachment(document=_safety_plan_pdf()))
    index.add_child(instance=page)
    page.save_revision(user=owner).publish()


def _published_at(day: date) -> datetime:
    return timezone.make_aware(datetime.combine(day, time(9, 30)))


# Generated files


def _demo_image(caption: str, name: str):
    """A picture for the demo, drawn once: a gradient, a few shapes and the caption."""
    Image = get_image_model()
    title = f"演示图片：{caption}"
    existing = Image.objects.filter(title=title).first()
    if existing:
        return existing
    content = _draw_picture(caption, seed=sum(map(ord, name)))
    image = Image(title=title, file=ImageFile(io.BytesIO(content), name=f"demo-{name}.jpg"))
    image._set_image_file_metadata()
    image.save()
    return image


def _draw_picture(caption: str, *, seed: int) -> bytes:
    width, height = IMAGE_SIZE
    top, bottom = PALETTES[seed % len(PALETTES)]
    picture = PillowImage.new("RGB", IMAGE_SIZE)
    draw = ImageDraw.Draw(picture)
    for y in range(height):
        share = y / (height - 1)
        draw.line(
            [(0, y), (width, y)],
            fill=tuple(round(a + (b - a) * share) for a, b in zip(top, bottom, strict=True)),
        )
    # Hills and a sun: enough shape that the cover crops can be told apart.
    for step in range(3):
        offset = (seed * (step + 3)) % 240
        shade = tuple(max(channel - 30 * (step + 1), 0) for channel in bottom)
        draw.ellipse(
            [
                offset - 200 + step * 260,
                height - 180 + step * 30,
                offset + 420 + step * 260,
                height + 260,
            ],
            fill=shade,
        )
    sun_x = 120 + (seed * 37) % (width - 240)
    draw.ellipse([sun_x, 60, sun_x + 110, 170], fill=(250, 232, 170))
    font = _caption_font(44)
    draw.rectangle([0, height - 96, width, height], fill=(0, 0, 0))
    draw.text((40, height - 74), caption, font=font, fill=(255, 255, 255))
    output = io.BytesIO()
    picture.save(output, format="JPEG", quality=85)
    return output.getvalue()


def _caption_font(size: int):
    if CJK_FONT.exists():
        return ImageFont.truetype(str(CJK_FONT), size)
    return ImageFont.load_default(size)


def _safety_plan_pdf():
    Document = get_document_model()
    existing = Document.objects.filter(title=SAFETY_PDF_TITLE).first()
    if existing:
        return existing
    document = Document(
        title=SAFETY_PDF_TITLE,
        file=ContentFile(_render_safety_plan_pdf(), name="spring-safety-inspection-plan.pdf"),
    )
    document._set_document_file_metadata()
    document.save()
    return document


def _render_safety_plan_pdf() -> bytes:
    from weasyprint import HTML

    items = [
        "一、检查时间：即日起至本月25日。",
        "二、检查范围：集团总部及各二级单位的生产经营场所。",
        "三、检查重点：危险化学品、特种设备、有限空间作业、消防安全、用电安全。",
        "四、工作要求：各单位要明确责任人，建立隐患台账，做到整改措施、责任、资金、时限和预案“五落实”。",
    ]
    paragraphs = "".join(f"<p>{item}</p>" for item in items)
    html = (
        "<html><head><style>@page { size: A4; margin: 37mm 26mm 35mm 28mm }"
        "body { font-family: 'Noto Serif CJK SC', 'Noto Sans CJK SC', serif; font-size: 16pt;"
        " line-height: 1.8 } h1 { text-align: center; font-size: 22pt }</style></head>"
        f"<body><h1>{SAFETY_PDF_TITLE}</h1>{paragraphs}</body></html>"
    )
    # WeasyPrint reports every layout step at INFO, which would drown load_demo's own output.
    progress = logging.getLogger("weasyprint.progress")
    level = progress.level
    progress.setLevel(logging.WARNING)
    try:
        return HTML(string=html).write_pdf()
    finally:
        progress.setLevel(level)

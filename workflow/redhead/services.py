"""The red-head (套红) rendering of an outgoing document to PDF, per GB/T 9704-2012.

`render_redhead_pdf(RedheadContent(...))` lays out an HTML template (redhead/document.html) with
WeasyPrint and the Noto CJK fonts; nothing is fetched from outside. The unit's template
(`RedheadTemplate`) supplies the issuer mark, colours, signature and printing office; the
document supplies the rest (see `content_from_template`).
"""

import datetime
import hashlib
import re
from dataclasses import dataclass, field, fields, replace

import nh3
from django.conf import settings
from django.core.exceptions import PermissionDenied
from django.db import transaction
from django.template.loader import render_to_string
from django.utils.html import escape
from django.utils.safestring import mark_safe
from django.utils.translation import gettext as _

from core.pdf import font_configuration
from people.models import OrgUnit, User
from workflow.numbering.permissions import numbering_unit

from . import permissions
from .errors import RedheadError
from .models import DEFAULT_MARK_COLOUR, PrintFormat, RedheadTemplate
from .titles import title_lines

BODY_TAGS = frozenset(
    {"p", "br", "strong", "b", "em", "i", "u", "sub", "sup", "span"}
    | {"h1", "h2", "h3", "h4", "h5", "h6", "ul", "ol", "li"}
    | {"table", "thead", "tbody", "tr", "th", "td"}
)
FONT_NAME_UNSAFE = re.compile(r'["\\;{}<>]')
COLOUR_PATTERN = re.compile(r"^#[0-9A-Fa-f]{6}$")
# The heading phrase of a paragraph opening with a heading marker (up to its first full stop,
# or the whole paragraph) takes the GB/T 9704 heading typeface: 一、 黑体, （一） 楷体; the text
# after it, and 1. and （1） headings, stay in the body typeface.
LEVEL_ONE_MARKER = re.compile(r"<p>(\s*[一二三四五六七八九十百]+、[^。<]*。?)")
LEVEL_TWO_MARKER = re.compile(r"<p>(\s*（[一二三四五六七八九十百]+）[^。<]*。?)")
TEMPLATE_FIELDS = (
    "issuer_mark",
    "mark_colour",
    "separator_colour",
    "signature_unit",
    "printing_unit",
    "letter_mark",
    "order_mark",
    "minutes_mark",
)
REQUIRED_TEMPLATE_TEXTS = ("issuer_mark", "signature_unit", "printing_unit")
# Whole characters of the body type in a line of the type area (GB/T 9704: 28).
TEXT_END_ANCHOR = "text-end"
MARK_MAX_WIDTH_MM = 150
MARK_MAX_SIZE_MM = 22
MAX_NUMBERED_COPIES = 500


@dataclass
class RedheadContent:
    """Everything printed on a red-head document, as text ready to print.

    `upward` marks a 上行文 (请示, 报告 to a superior): the mark sits lower, the number moves
    left and 签发人 with `signers` (in signing order) appears on its right. `body_html` may hold
    <p>, <strong>, headings and lists; it is sanitised before rendering. `date_text` and
    `print_date_text` are written like 2026年11月25日 (see `chinese_date`). `copies` (印数) is
    kept for the register and not printed.

    `print_format` chooses the layout (PrintFormat): a letter (函) has the mark between double
    rules and no footer rules; an order (命令) prints `doc_number` (第N号) under its mark, no
    red rule, and `signatory` (title and name, the 签名章) over the date; minutes (纪要) end
    with the `attendees`, `absentees` and `observers` lists (出席, 请假, 列席) and no seal.
    """

    print_format: str = PrintFormat.STANDARD
    issuer_mark: str = ""
    mark_colour: str = DEFAULT_MARK_COLOUR
    separator_colour: str = DEFAULT_MARK_COLOUR
    doc_number: str = ""
    signers: list[str] = field(default_factory=list)
    upward: bool = False
    copy_no: str = ""
    classification: str = ""
    urgency: str = ""
    title: str = ""
    main_recipients: list[str] = field(default_factory=list)
    body_html: str = ""
    attachments: list[str] = field(default_factory=list)
    signature_unit: str = ""
    date_text: str = ""
    remarks: str = ""
    copy_recipients: list[str] = field(default_factory=list)
    printing_unit: str = ""
    print_date_text: str = ""
    copies: int = 0
    signatory: str = ""
    attendees: list[str] = field(default_factory=list)
    absentees: list[str] = field(default_factory=list)
    observers: list[str] = field(default_factory=list)


def chinese_date(value: datetime.date) -> str:
    """成文日期 as GB/T 9704-2012 prints it: Arabic numerals, full year, no leading zeros,
    e.g. 2026年11月25日."""
    return f"{value.year}年{value.month}月{value.day}日"


def sha256_hex(data: bytes) -> str:
    """The SHA-256 of the rendered PDF, hex-encoded, for the trace."""
    return hashlib.sha256(data).hexdigest()


def template_for(unit: OrgUnit) -> RedheadTemplate:
    """The red-head template of the unit (a department uses its unit's). When the unit has none
    yet, an unsaved default: the unit's name + 文件 in red, signed and printed by the unit."""
    owner = numbering_unit(unit)
    template = RedheadTemplate.objects.filter(unit=owner).first()
    if template is not None:
        return template
    return RedheadTemplate(
        unit=owner,
        issuer_mark=f"{owner.name}文件",
        mark_colour=DEFAULT_MARK_COLOUR,
        separator_colour=DEFAULT_MARK_COLOUR,
        signature_unit=owner.name,
        printing_unit=owner.name,
    )


def content_from_template(template: RedheadTemplate, **document_fields) -> RedheadContent:
    """A RedheadContent with the template's issuer mark, colours, signature and printing office,
    overridden and completed by `document_fields` (any RedheadContent field)."""
    known = {item.name for item in fields(RedheadContent)}
    unknown = set(document_fields) - known
    if unknown:
        raise TypeError(f"Unknown red-head fields: {', '.join(sorted(unknown))}")
    from_template = {name: getattr(template, name) for name in TEMPLATE_FIELDS if name in known}
    print_format = document_fields.get("print_format", PrintFormat.STANDARD)
    from_template["issuer_mark"] = template.mark_for(print_format)
    return RedheadContent(**{**from_template, **document_fields})


def render_redhead_pdf(content: RedheadContent) -> bytes:
    """The document as an A4 PDF laid out per GB/T 9704 (see redhead/document.html)."""
    return _rendered(content).write_pdf()


def render_html_pdf(html: str) -> bytes:
    """Any printed form (处理单, 稿纸) laid out the way the red-head is, with `font_stacks()`."""
    return _laid_out(html).write_pdf()


def render_numbered_copies_pdf(content: RedheadContent, copies: int) -> bytes:
    """`copies` copies of the document in one PDF, each with its 份号: 000001, 000002, …"""
    if not 1 <= copies <= MAX_NUMBERED_COPIES:
        raise RedheadError(
            _("Numbered copies are printed 1 to %(limit)s at a time.")
            % {"limit": MAX_NUMBERED_COPIES}
        )
    documents = [_rendered(replace(content, copy_no=f"{n:06d}")) for n in range(1, copies + 1)]
    pages = [page for document in documents for page in document.pages]
    return documents[0].copy(pages).write_pdf()


def _rendered(content: RedheadContent):
    """The laid-out WeasyPrint document.

    The footer part (版记) sits at the foot of the last page, which must be an even page (the
    back of a sheet). When the first layout ends on an odd page, the footer moves to the next
    even page; if that leaves a blank page before it, neither page is numbered (GB/T 9704
    7.5: 版记页前有空白页的，空白页和版记页均不编排页码).
    """
    content = _printable(content)
    rendered = _laid_out(_document_html(content))
    if len(rendered.pages) % 2 == 1 and _has_footer(content):
        text_end_page = next(
            number
            for number, page in enumerate(rendered.pages, start=1)
            if TEXT_END_ANCHOR in page.anchors
        )
        footer_after_blank = text_end_page % 2 == 0
        rendered = _laid_out(
            _document_html(content, footer_page=True, footer_numbered=not footer_after_blank)
        )
    return rendered


def sanitised_body_html(html: str) -> str:
    """Only paragraphs, emphasis, headings, lists and simple tables, no attributes; paragraphs
    opening with 一、 or （一） have their heading phrase marked."""
    cleaned = nh3.clean(html or "", tags=set(BODY_TAGS), attributes={}, link_rel=None)
    cleaned = LEVEL_ONE_MARKER.sub(r'<p><span class="level-1">\1</span>', cleaned)
    return LEVEL_TWO_MARKER.sub(r'<p><span class="level-2">\1</span>', cleaned)


def body_html_from_text(text: str) -> str:
    """Plain text as body HTML: one paragraph per non-empty line."""
    lines = (line.strip() for line in (text or "").splitlines())
    return "".join(f"<p>{escape(line)}</p>" for line in lines if line)


@transaction.atomic
def template_update(*, unit: OrgUnit, user: User, **changes) -> RedheadTemplate:
    """Create or change the red-head template of `unit` (its process administrator or a system
    administrator). `changes` are the template's texts and colours; blank texts and malformed
    colours are refused with a translated message, changing nothing."""
    if not permissions.can_edit_template(user, unit):
        raise PermissionDenied(_("You are not allowed to do this."))
    if not unit.is_unit_level:
        raise RedheadError(
            _("Red-head templates belong to the headquarters or a second-level unit.")
        )
    unknown = set(changes) - set(TEMPLATE_FIELDS)
    if unknown:
        raise TypeError(f"Unknown template fields: {', '.join(sorted(unknown))}")
    template = RedheadTemplate.objects.select_for_update().filter(unit=unit).first()
    if template is None:
        template = template_for(unit)
    for name, value in changes.items():
        setattr(template, name, (value or "").strip())
    validate_template(template)
    template.mark_colour = template.mark_colour.upper()
    template.separator_colour = template.separator_colour.upper()
    template.updated_by = user
    template.save()
    return template


def sample_content(template: RedheadTemplate) -> RedheadContent:
    """A sample document in the template, for the preview on the template screen."""
    today = datetime.date.today()
    prefix = template.unit.doc_prefix or template.unit.display_name
    return content_from_template(
        template,
        doc_number=f"{prefix}〔{today.year}〕1号",
        title="关于开展安全生产大检查的通知",
        main_recipients=["集团总部各部门", "各二级单位"],
        body_html=body_html_from_text(_SAMPLE_BODY),
        attachments=["安全生产大检查自查表", "隐患整改台账"],
        date_text=chinese_date(today),
        remarks="联系人：王明，电话：12345678",
        copy_recipients=["集团领导", "集团纪委"],
        print_date_text=chinese_date(today),
        copies=30,
    )


_SAMPLE_BODY = """\
为深入贯彻安全生产工作部署，切实消除各类安全隐患，经研究，决定在全集团范围内开展安全生产大检查。现将有关事项通知如下。
一、检查范围
集团总部各部门、各二级单位及其所属生产经营场所。
二、检查内容
（一）安全生产责任制落实情况。
（二）隐患排查治理和重大危险源管控情况。
三、工作要求
各单位要高度重视，明确责任，认真组织自查，并于规定时间前将自查报告报送集团办公室。"""


def validate_template(template: RedheadTemplate) -> None:
    """Raise RedheadError (translated) unless the texts are filled in and short enough and the
    colours read like #E60012."""
    limits = {
        "issuer_mark": (_("issuer mark"), 40),
        "signature_unit": (_("signature"), 60),
        "printing_unit": (_("printing office"), 60),
        "letter_mark": (_("letter mark"), 40),
        "order_mark": (_("order mark"), 40),
        "minutes_mark": (_("minutes mark"), 40),
    }
    for name, (label, limit) in limits.items():
        value = getattr(template, name)
        if not value and name in REQUIRED_TEMPLATE_TEXTS:
            raise RedheadError(_("Enter the %(field)s.") % {"field": label})
        if len(value) > limit:
            raise RedheadError(
                _("The %(field)s is too long (at most %(limit)s characters).")
                % {"field": label, "limit": limit}
            )
    for name in ("mark_colour", "separator_colour"):
        if not COLOUR_PATTERN.match(getattr(template, name)):
            raise RedheadError(
                _("Colours are written as # and six hexadecimal digits, e.g. #E60012.")
            )


def _printable(content: RedheadContent) -> RedheadContent:
    colours = {
        name: value if COLOUR_PATTERN.match(value or "") else DEFAULT_MARK_COLOUR
        for name, value in (
            ("mark_colour", content.mark_colour),
            ("separator_colour", content.separator_colour),
        )
    }
    return replace(content, body_html=sanitised_body_html(content.body_html), **colours)


def _has_footer(content: RedheadContent) -> bool:
    if content.print_format == PrintFormat.LETTER:
        return bool(content.copy_recipients)
    return bool(content.copy_recipients or content.printing_unit or content.print_date_text)


def _document_html(
    content: RedheadContent, *, footer_page: bool = False, footer_numbered: bool = True
) -> str:
    mark_length = max(len(content.issuer_mark), 1)
    return render_to_string(
        "redhead/document.html",
        {
            "content": content,
            "body": mark_safe(content.body_html),  # sanitised by _printable
            "remarks": _in_parentheses(content.remarks),
            "mark_size_mm": round(min(MARK_MAX_SIZE_MM, MARK_MAX_WIDTH_MM / mark_length), 2),
            "footer_page": footer_page,
            "footer_numbered": footer_numbered,
            "text_end_anchor": TEXT_END_ANCHOR,
            "has_footer": _has_footer(content),
            "fonts": font_stacks(),
            "title_lines": title_lines(content.title) if content.title else [],
            "meeting_lists": [
                (label, names)
                for label, names in (
                    ("出席", content.attendees),
                    ("请假", content.absentees),
                    ("列席", content.observers),
                )
                if names
            ],
        },
    )


def font_stacks() -> dict[str, str]:
    """CSS font-family lists for the GB/T 9704 typefaces named in settings.REDHEAD_FONTS, each
    ending with a Noto CJK face for any character the chosen font lacks."""
    fallback = {"heiti": '"Noto Sans CJK SC", sans-serif'}
    stacks = {
        role: ", ".join(
            [f'"{FONT_NAME_UNSAFE.sub("", name)}"' for name in families]
            + [fallback.get(role, '"Noto Serif CJK SC", serif')]
        )
        for role, families in settings.REDHEAD_FONTS.items()
    }
    stacks["xiaobiaosong_weight"] = (
        "normal" if settings.REDHEAD_XIAOBIAOSONG_WEIGHT == "normal" else "bold"
    )
    # Safe: the names have lost every character that could end the string, rule or style.
    return {role: mark_safe(stack) for role, stack in stacks.items()}


def _in_parentheses(remarks: str) -> str:
    remarks = (remarks or "").strip()
    if not remarks or (remarks.startswith(("（", "(")) and remarks.endswith(("）", ")"))):
        return remarks
    return f"（{remarks}）"


def _laid_out(html: str):
    # Imported here: WeasyPrint is heavy to import and only the rendering needs it.
    from weasyprint import HTML
    from weasyprint.urls import URLFetcher

    # Only local fonts are used: no URL a document might name is ever fetched.
    no_fetching = URLFetcher(allowed_protocols=frozenset())
    return HTML(string=html, url_fetcher=no_fetching).render(font_config=font_configuration())

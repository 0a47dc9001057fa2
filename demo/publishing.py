"""The demo columns, news and notices (data: demo/data/publishing.yaml).

Everything is looked up by slug before it is made, so loading again adds nothing. Dates are
counted from the day of loading, and the texts are those of its season (demo/dates.py).
"""

import logging
from datetime import date, datetime, time
from html import escape

from django.core.files.base import ContentFile
from django.utils import timezone
from wagtail.documents import get_document_model
from wagtail.rich_text import RichText

from home.models import (
    HomePage,
    NewsAttachment,
    NewsColumnPage,
    NewsIndexPage,
    NewsPage,
    NoticeAttachment,
    NoticeIndexPage,
    NoticePage,
)
from people.models import OrgUnit, User

from .dates import DemoCalendar
from .pictures import demo_image

PRIORITIES = {
    "normal": NoticePage.Priority.NORMAL,
    "important": NoticePage.Priority.IMPORTANT,
    "urgent": NoticePage.Priority.URGENT,
}
COLUMN_OWNER = "chenjing"


def publishing_demo_ensure(home: HomePage, data: dict, calendar: DemoCalendar) -> None:
    units = {unit.code: unit for unit in OrgUnit.objects.all()}
    owners = {COLUMN_OWNER} | {
        news.get("owner", COLUMN_OWNER) for column in data["columns"] for news in column["news"]
    }
    users = {user.username: user for user in User.objects.filter(username__in=owners)}
    news_index = NewsIndexPage.objects.child_of(home).first()
    if news_index is not None:
        for column in data["columns"]:
            _column_ensure(news_index, column, units, users, data, calendar)
    notice_index = NoticeIndexPage.objects.child_of(home).first()
    if notice_index is not None:
        _notices_ensure(notice_index, units, users, data, calendar)


def _column_ensure(index, spec: dict, units, users, data, calendar: DemoCalendar) -> None:
    owner = users.get(COLUMN_OWNER)
    column = NewsColumnPage.objects.child_of(index).filter(slug=spec["slug"]).first()
    if column is None:
        column = index.add_child(
            instance=NewsColumnPage(
                title=spec["title"],
                slug=spec["slug"],
                intro=f"<p>{escape(spec['intro'])}</p>",
                owner_unit=units.get(spec["owner_unit"]),
                direct_publish=spec["direct_publish"],
                owner=owner,
            )
        )
        column.save_revision(user=owner).publish()
    existing = set(NewsPage.objects.child_of(column).values_list("slug", flat=True))
    for news in spec["news"]:
        if news["slug"] not in existing:
            author = users.get(news.get("owner", COLUMN_OWNER))
            _news_create(column, news, author, data, calendar)


def _news_create(column, spec: dict, owner, data, calendar: DemoCalendar) -> None:
    text = calendar.text
    news_date = calendar.day(-spec["days_ago"])
    caption = text(spec["caption"]) if "caption" in spec else ""
    cover = demo_image(caption, spec["slug"]) if caption else None
    body = [
        ("paragraph", RichText(f"<p>{escape(p)}</p>")) for p in calendar.texts(spec["paragraphs"])
    ]
    if cover is not None:
        body.insert(1, ("image", {"image": cover, "caption": caption}))
    page = NewsPage(
        title=text(spec["title"]),
        slug=spec["slug"],
        subtitle=text(spec.get("subtitle", "")),
        source=spec.get("source", ""),
        author=spec.get("author", ""),
        news_date=news_date,
        cover_image=cover,
        summary=text(spec["summary"]),
        body=body,
        owner=owner,
        first_published_at=_published_at(news_date),
    )
    page.tags.add(*spec.get("tags", ()))
    if spec.get("attachment"):
        page.attachments.add(NewsAttachment(document=_inspection_plan(data, calendar)))
    column.add_child(instance=page)
    page.save_revision(user=owner).publish()


def _notices_ensure(index: NoticeIndexPage, units, users, data, calendar: DemoCalendar) -> None:
    owner = users.get(COLUMN_OWNER)
    if index.owner_unit_id is None and "HQ" in units:
        index.owner_unit = units["HQ"]
        index.save_revision(user=owner).publish()
    existing = set(NoticePage.objects.child_of(index).values_list("slug", flat=True))
    for notice in data["notices"]:
        if notice["slug"] not in existing:
            _notice_create(index, notice, units, owner, data, calendar)


def _notice_create(index, spec: dict, units, owner, data, calendar: DemoCalendar) -> None:
    chosen = [units[code] for code in spec.get("audience_units", ()) if code in units]
    pinned_days, expires_in_days = spec.get("pinned_days"), spec.get("expires_in_days")
    page = NoticePage(
        title=calendar.text(spec["title"]),
        slug=spec["slug"],
        issuing_department=units.get(spec["department"]),
        audience=NoticePage.Audience.CHOSEN if chosen else NoticePage.Audience.EVERYONE,
        audience_units=chosen,
        priority=PRIORITIES[spec.get("priority", "normal")],
        pinned_until=calendar.day(pinned_days) if pinned_days else None,
        expires_on=calendar.day(expires_in_days) if expires_in_days is not None else None,
        body="".join(f"<p>{escape(p)}</p>" for p in calendar.texts(spec["paragraphs"])),
        owner=owner,
        first_published_at=_published_at(calendar.day(-spec["days_ago"])),
    )
    if spec.get("attachment"):
        page.attachments.add(NoticeAttachment(document=_inspection_plan(data, calendar)))
    index.add_child(instance=page)
    page.save_revision(user=owner).publish()


def _published_at(day: date) -> datetime:
    return timezone.make_aware(datetime.combine(day, time(9, 30)))


def _inspection_plan(data: dict, calendar: DemoCalendar):
    """The safety inspection plan the notice and the conference news attach, made once."""
    spec = data["inspection_plan"]
    title = calendar.text(spec["title"])
    Document = get_document_model()
    existing = Document.objects.filter(title=title).first()
    if existing:
        return existing
    pdf = _plan_pdf(title, calendar.texts(spec["items"]))
    document = Document(title=title, file=ContentFile(pdf, name=spec["file_name"]))
    document._set_document_file_metadata()
    document.save()
    return document


def _plan_pdf(title: str, items: list[str]) -> bytes:
    from weasyprint import HTML

    paragraphs = "".join(f"<p>{escape(item)}</p>" for item in items)
    html = (
        "<html><head><style>@page { size: A4; margin: 37mm 26mm 35mm 28mm }"
        "body { font-family: 'Noto Serif CJK SC', 'Noto Sans CJK SC', serif; font-size: 16pt;"
        " line-height: 1.8 } h1 { text-align: center; font-size: 22pt }</style></head>"
        f"<body><h1>{escape(title)}</h1>{paragraphs}</body></html>"
    )
    # WeasyPrint reports every layout step at INFO, which would drown load_demo's own output.
    progress = logging.getLogger("weasyprint.progress")
    level = progress.level
    progress.setLevel(logging.WARNING)
    try:
        return HTML(string=html).write_pdf()
    finally:
        progress.setLevel(level)

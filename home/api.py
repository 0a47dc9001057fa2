"""News and notices in the JSON API (mounted by intranet/api.py).

Notices go through `listed_notices` / `visible_notices`, the same rule as the pages and feeds, so
the API shows nobody a notice outside its audience.
"""

from datetime import date, datetime

from django.db.models import Prefetch
from django.shortcuts import get_object_or_404
from ninja import Query, Router, Schema
from ninja.pagination import paginate
from wagtail.images import get_image_model
from wagtail.models import Page
from wagtail.rich_text import expand_db_html

from intranet.converters import ObjectId
from intranet.paging import Converted, PageNumber

from .models import NewsColumnPage, NewsIndexPage, NewsPage
from .selectors import listed_notices, mark_unread, news_queryset, visible_notices
from .services import notice_mark_read

router = Router(tags=["publishing"])

COVER_FILTER = "fill-480x270"


class NewsQuery(Schema):
    column: ObjectId | None = None


class ColumnOut(Schema):
    id: int
    title: str


class NewsOut(Schema):
    id: int
    title: str
    subtitle: str
    column: ColumnOut | None
    date: date
    url: str
    summary: str
    cover_image: str | None
    tags: list[str]


class AttachmentOut(Schema):
    title: str
    url: str


class NewsDetailOut(NewsOut):
    source: str
    author: str
    body: str
    attachments: list[AttachmentOut]


class NoticeOut(Schema):
    id: int
    title: str
    issuing_department: str | None
    priority: int
    priority_label: str
    pinned: bool
    expires_on: date | None
    published_at: datetime | None
    url: str
    unread: bool


class NoticeDetailOut(NoticeOut):
    body: str
    attachments: list[AttachmentOut]


@router.get("/news", response=list[NewsOut], summary="Latest news, newest first")
@paginate(PageNumber)
def news_index(request, query: Query[NewsQuery]):
    index = NewsIndexPage.objects.live().first()
    if index is None:
        return []
    news = news_queryset(index).prefetch_related("tags", _cover_renditions())
    if query.column is not None:
        news = news.child_of(get_object_or_404(NewsColumnPage.objects.live(), pk=query.column))
    columns = _columns_by_path()
    return Converted(news, lambda page: [_news_out(request, item, columns) for item in page])


@router.get("/news/{news_id}", response=NewsDetailOut, summary="One news item")
def news_detail(request, news_id: ObjectId):
    news = get_object_or_404(
        NewsPage.objects.live()
        .select_related("cover_image")
        .prefetch_related("tags", _cover_renditions(), "attachments__document"),
        pk=news_id,
    )
    return {
        **_news_out(request, news, _columns_by_path()),
        "source": news.source,
        "author": news.author,
        "body": str(news.body),
        "attachments": _attachments_out(request, news),
    }


@router.get("/notices", response=list[NoticeOut], summary="Notices addressed to the user")
@paginate(PageNumber)
def notice_index(request):
    def page_out(notices):
        mark_unread(request.user, notices)
        return [_notice_out(request, notice) for notice in notices]

    return Converted(listed_notices(request.user), page_out)


@router.get(
    "/notices/{notice_id}",
    response=NoticeDetailOut,
    summary="One notice; opening it counts as reading it, as on its page",
)
def notice_detail(request, notice_id: ObjectId):
    notice = get_object_or_404(
        visible_notices(request.user)
        .select_related("issuing_department")
        .prefetch_related("attachments__document"),
        pk=notice_id,
    )
    notice_mark_read(notice=notice, user=request.user)
    notice.is_unread = False
    return {
        **_notice_out(request, notice),
        "body": expand_db_html(notice.body),
        "attachments": _attachments_out(request, notice),
    }


def _cover_renditions() -> Prefetch:
    renditions = get_image_model().get_rendition_model().objects.filter(filter_spec=COVER_FILTER)
    return Prefetch("cover_image__renditions", queryset=renditions)


def _columns_by_path() -> dict[str, NewsColumnPage]:
    """Every column, keyed by path, so each news item finds its column without a query."""
    return {column.path: column for column in NewsColumnPage.objects.only("path", "title")}


def _news_out(request, news: NewsPage, columns: dict[str, NewsColumnPage]) -> dict:
    column = columns.get(news.path[: -Page.steplen])
    cover = None
    if news.cover_image is not None:
        cover = request.build_absolute_uri(news.cover_image.get_rendition(COVER_FILTER).url)
    return {
        "id": news.pk,
        "title": news.title,
        "subtitle": news.subtitle,
        "column": {"id": column.pk, "title": column.title} if column else None,
        "date": news.news_date,
        "url": request.build_absolute_uri(news.get_url(request=request)),
        "summary": news.summary,
        "cover_image": cover,
        "tags": [tag.name for tag in news.tags.all()],
    }


def _notice_out(request, notice) -> dict:
    return {
        "id": notice.pk,
        "title": notice.title,
        "issuing_department": (
            notice.issuing_department.name if notice.issuing_department else None
        ),
        "priority": notice.priority,
        "priority_label": str(notice.get_priority_display()),
        "pinned": notice.is_pinned,
        "expires_on": notice.expires_on,
        "published_at": notice.first_published_at,
        "url": request.build_absolute_uri(notice.get_url(request=request)),
        "unread": notice.is_unread,
    }


def _attachments_out(request, page) -> list[dict]:
    return [
        {
            "title": attachment.document.title,
            "url": request.build_absolute_uri(attachment.document.url),
        }
        for attachment in page.attachments.all()
    ]

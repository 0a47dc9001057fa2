"""Read paths of the portal, the news center and the notices.

`visible_notices(user)` is the one place that decides which notices a user may see; lists, pages,
feeds, the API, attachments and search all go through it.
"""

import hashlib
import time
from typing import NamedTuple

from django.contrib.contenttypes.models import ContentType
from django.core.cache import cache
from django.core.paginator import Page as PaginatorPage
from django.core.paginator import Paginator
from django.db import transaction
from django.db.models import BooleanField, Case, IntegerField, Q, QuerySet, Value, When
from django.db.models.functions import Cast
from django.utils import timezone
from django.utils.functional import SimpleLazyObject
from wagtail.models import Page, ReferenceIndex

from core.cache import read_with_every_request, versioned_key
from people.caching import VERSION_SECONDS, cached_for_user
from people.models import ConcurrentPost, OrgUnit, User
from people.permissions import org_paths

from .editorial import column_ids_worked_in_by
from .models import (
    NewsColumnPage,
    NewsIndexPage,
    NewsPage,
    NoticeAttachment,
    NoticeIndexPage,
    NoticePage,
    NoticeReadReceipt,
)

CONTENT_VERSION_CACHE_KEY = "home:content-version"
read_with_every_request(CONTENT_VERSION_CACHE_KEY)
NEWS_PER_PAGE = 20
NOTICES_PER_PAGE = 20
# Cached lists and renderings; every key carries the content version, so this bounds memory only.
LIST_SECONDS = 3600
# Longer audience scopes are hashed to keep cache keys short.
SCOPE_KEY_LENGTH = 120


def content_version() -> int:
    """Part of the key of everything cached about the published pages (routes, lists, rendered
    pages); `bump_content_version` runs whenever a page, or a file, picture, tag or org unit they
    show, changes (see signals), so nothing cached is ever stale."""
    version = cache.get(CONTENT_VERSION_CACHE_KEY)
    if version is None:
        version = time.time_ns()
        cache.add(CONTENT_VERSION_CACHE_KEY, version, timeout=VERSION_SECONDS)
    return version


def bump_content_version() -> None:
    _bump(CONTENT_VERSION_CACHE_KEY)


def _read_marks_version_key(user_id: int) -> str:
    return f"home:read-version:{user_id}"


def read_marks_version(user: User) -> int:
    """Changes whenever the user opens a notice, so cached read marks are never stale."""
    return cache.get_or_set(_read_marks_version_key(user.pk), time.time_ns, VERSION_SECONDS)


def forget_read_marks(user: User) -> None:
    _bump(_read_marks_version_key(user.pk))


def _bump(key: str) -> None:
    # Now, for the writer's own next read; again on commit, in case a concurrent request cached
    # what it read before the commit under the new version.
    cache.set(key, time.time_ns(), timeout=VERSION_SECONDS)
    transaction.on_commit(lambda: cache.set(key, time.time_ns(), timeout=VERSION_SECONDS))


# Notices and their audiences


def audience_paths(user: User) -> list[str]:
    """Tree paths of the org nodes a notice may name to reach this user: their departments and
    everything above them. Concurrent posts count: a post in unit A reads unit A's notices."""
    cached = getattr(user, "_audience_paths", None)
    if cached is not None:
        return cached
    if not (user.is_authenticated and user.department_id):
        user._audience_paths = []
        return []
    department, paths = cached_for_user(user, "audience", lambda: _departments_and_paths(user))
    # Loaded with its unit, the department also serves the page's "unit · department" line.
    user.department = department
    user._audience_paths = paths
    return paths


def _departments_and_paths(user: User) -> tuple[OrgUnit, list[str]]:
    return OrgUnit.objects.select_related("unit").get(pk=user.department_id), org_paths(user)


def notice_audience(notice: NoticePage) -> QuerySet[User]:
    """The active users a notice is addressed to: everyone, or whoever holds a post (primary or
    concurrent) at or below one of its audience units; the audience half of `visible_notices`
    seen from the notice."""
    users = User.objects.filter(is_active=True)
    if notice.audience == NoticePage.Audience.EVERYONE:
        return users
    reached = Q(pk__in=[])
    for path in notice.audience_units.values_list("path", flat=True):
        posts = ConcurrentPost.objects.filter(department__path__startswith=path)
        reached |= Q(department__path__startswith=path) | Q(pk__in=posts.values("user_id"))
    return users.filter(reached)


def visible_notices(user: User) -> QuerySet[NoticePage]:
    """Live notices the user may read: addressed to everyone or to a node at or above them, and
    always those they issued (own) and those of the columns they edit or moderate."""
    notices = NoticePage.objects.live()
    if not user.is_authenticated or not user.is_active:
        return notices.none()
    if user.is_superuser:
        return notices
    audience = Q(audience=NoticePage.Audience.EVERYONE) | Q(owner=user)
    paths = audience_paths(user)
    if paths:
        reached = NoticePage.audience_units.through.objects.filter(orgunit__path__in=paths)
        audience |= Q(pk__in=reached.values("noticepage_id"))
    for column_path in _notice_columns_worked_in(user):
        audience |= Q(path__startswith=column_path)
    return notices.filter(audience)


def _notice_columns_worked_in(user: User) -> list[str]:
    column_ids = column_ids_worked_in_by(user)
    if not column_ids:
        return []
    return list(NoticeIndexPage.objects.filter(pk__in=column_ids).values_list("path", flat=True))


def notice_scope_key(user: User) -> str:
    """Names the set of notices `visible_notices(user)` gives, for caching lists shared by the
    users who see the same: the audience paths, plus the user when they issue or edit notices.
    Kept per user until their people data or the published notices change."""
    if not (user.is_authenticated and user.is_active):
        return "none"
    if user.is_superuser:
        return "all"
    return cached_for_user(
        user, f"notice-scope:{content_version()}", lambda: _notice_scope_key(user)
    )


def _notice_scope_key(user: User) -> str:
    key = ",".join(audience_paths(user))
    issues = NoticePage.objects.filter(owner=user).exclude(audience=NoticePage.Audience.EVERYONE)
    if _notice_columns_worked_in(user) or issues.exists():
        key += f";user:{user.pk}"
    if len(key) > SCOPE_KEY_LENGTH:
        return hashlib.sha256(key.encode()).hexdigest()
    return key


def notice_is_visible(user: User, notice_id: int) -> bool:
    """Whether `visible_notices(user)` holds the notice, kept per audience scope."""
    return cache.get_or_set(
        versioned_key("home:notice-visible", content_version(), notice_scope_key(user), notice_id),
        lambda: visible_notices(user).filter(pk=notice_id).exists(),
        timeout=LIST_SECONDS,
    )


def notices_with_document(document) -> QuerySet[NoticePage]:
    """Notices attaching the document or linking to it from their body, live or not."""
    linked_from_body = (
        ReferenceIndex.get_references_to(document)
        .filter(content_type=ContentType.objects.get_for_model(NoticePage))
        .annotate(page_id=Cast("object_id", IntegerField()))
        .values("page_id")
    )
    attached = NoticeAttachment.objects.filter(document=document).values("page_id")
    return NoticePage.objects.filter(Q(pk__in=attached) | Q(pk__in=linked_from_body))


def listed_notices(user: User) -> QuerySet[NoticePage]:
    """Visible notices that have not expired: pinned ones first, then by priority and date."""
    today = timezone.localdate()
    return (
        visible_notices(user)
        .filter(Q(expires_on__isnull=True) | Q(expires_on__gte=today))
        .annotate(
            pinned=Case(
                When(pinned_until__gte=today, then=Value(True)),
                default=Value(False),
                output_field=BooleanField(),
            )
        )
        .order_by("-pinned", "-priority", "-first_published_at", "-pk")
        .select_related("issuing_department")
    )


def listed_notice_ids(user: User) -> list[int]:
    """The ids of `listed_notices(user)` in their order, kept per audience scope and day."""
    return cache.get_or_set(
        versioned_key(
            "home:listed-notices", content_version(), timezone.localdate(), notice_scope_key(user)
        ),
        lambda: list(listed_notices(user).values_list("pk", flat=True)),
        timeout=LIST_SECONDS,
    )


def read_notice_ids(user: User, notice_ids: list[int]) -> list[int]:
    """Which of these notices the user has opened, kept until they open another."""
    return cache.get_or_set(
        versioned_key(
            "home:read", user.pk, read_marks_version(user), ",".join(map(str, notice_ids))
        ),
        lambda: sorted(
            NoticeReadReceipt.objects.filter(user=user, notice_id__in=notice_ids).values_list(
                "notice_id", flat=True
            )
        ),
        timeout=LIST_SECONDS,
    )


def notice_list(user: User, *, page_number) -> tuple[PaginatorPage, str]:
    """A page of the user's listed notices, and the key of its rendering: the notices are only
    loaded (read marks set) when the page is iterated, i.e. when that rendering is not cached."""
    page = Paginator(listed_notice_ids(user), NOTICES_PER_PAGE).get_page(page_number)
    notice_ids = list(page.object_list)
    read_ids = read_notice_ids(user, notice_ids)
    page.object_list = SimpleLazyObject(lambda: _notices_with_read_marks(notice_ids, read_ids))
    return page, _notice_rendering_key(notice_ids, read_ids)


def _notice_rendering_key(notice_ids: list[int], read_ids: list[int]) -> str:
    """What a rendered list of notices depends on: the notices, the user's read marks among them
    and the day (pins end); the content version covers the notices' own changes."""
    return ":".join(
        [
            str(content_version()),
            str(timezone.localdate()),
            *map(str, notice_ids),
            "read",
            *map(str, read_ids),
        ]
    )


def _notices_with_read_marks(notice_ids: list[int], read_ids: list[int]) -> list[NoticePage]:
    notices = _notices_in_order(notice_ids)
    for notice in notices:
        notice.is_unread = notice.pk not in read_ids
    return notices


def mark_unread(user: User, notices) -> None:
    """Set `is_unread` on each notice with one query."""
    notices = list(notices)
    read = set(
        NoticeReadReceipt.objects.filter(
            user=user, notice_id__in=[notice.pk for notice in notices]
        ).values_list("notice_id", flat=True)
    )
    for notice in notices:
        notice.is_unread = notice.pk not in read


# News


def news_queryset(index: Page) -> QuerySet[NewsPage]:
    return _news_below(index.path)


def _news_below(path: str) -> QuerySet[NewsPage]:
    return (
        NewsPage.objects.live()
        .filter(path__startswith=path)
        .order_by("-news_date", "-first_published_at", "-pk")
        .select_related("cover_image")
    )


class NewsColumn(NamedTuple):
    pk: int
    title: str
    path: str


def news_columns(index: NewsIndexPage) -> list[NewsColumn]:
    """The news center's live columns, in tree order."""
    return cache.get_or_set(
        versioned_key("home:news-columns", content_version(), index.pk),
        lambda: [
            NewsColumn(*row)
            for row in NewsColumnPage.objects.child_of(index)
            .live()
            .order_by("path")
            .values_list("pk", "title", "path")
        ],
        timeout=LIST_SECONDS,
    )


def news_list(parent: Page | NewsColumn, *, page_number) -> PaginatorPage:
    """A page of the news below `parent` (the news center or a column). Only the count is read
    here, from the cache; the items are queried when the page is iterated, i.e. when its
    rendering is not cached."""
    news = _news_below(parent.path)
    paginator = Paginator(news, NEWS_PER_PAGE)
    paginator.count = cache.get_or_set(
        versioned_key("home:news-count", content_version(), parent.pk), news.count, LIST_SECONDS
    )
    return paginator.get_page(page_number)


def news_neighbours(page: NewsPage) -> tuple[NewsPage | None, NewsPage | None]:
    """The newer and the older news item of the same column."""
    siblings = NewsPage.objects.live().sibling_of(page, inclusive=False)
    key = (page.news_date, page.pk)
    newer = (
        siblings.filter(Q(news_date__gt=key[0]) | Q(news_date=key[0], pk__gt=key[1]))
        .order_by("news_date", "pk")
        .first()
    )
    older = (
        siblings.filter(Q(news_date__lt=key[0]) | Q(news_date=key[0], pk__lt=key[1]))
        .order_by("-news_date", "-pk")
        .first()
    )
    return newer, older


def related_news(page: NewsPage, *, limit: int) -> list[NewsPage]:
    """News sharing a tag with this one, newest first; else the column's latest."""
    others = NewsPage.objects.live().exclude(pk=page.pk).order_by("-news_date", "-pk")
    tag_ids = list(page.tags.values_list("pk", flat=True))
    related = list(others.filter(tags__in=tag_ids).distinct()[:limit]) if tag_ids else []
    if len(related) < limit:
        seen = {item.pk for item in related}
        column_news = others.sibling_of(page, inclusive=False).exclude(pk__in=seen)
        related += list(column_news[: limit - len(related)])
    return related


# The portal home page

PORTAL_NEWS_PER_COLUMN = 6
PORTAL_CAROUSEL_SIZE = 5
PORTAL_NOTICES = 8


def portal_context(home: Page, user: User) -> dict:
    """What the home page shows. The news part is the same for everyone: the template caches it
    rendered, keyed by `content_version`, and `portal_news` is only called on a miss. Notices are
    the first of the user's listed notices (kept per audience scope); read marks are the user's
    own and always fresh. Every key carries the content version, so a publication shows at once."""
    # Also gives the user their department with its unit, for the welcome line.
    audience_paths(user)
    notice_ids = listed_notice_ids(user)[:PORTAL_NOTICES]
    read_ids = read_notice_ids(user, notice_ids)
    return {
        "content_version": content_version(),
        "portal_news": SimpleLazyObject(lambda: portal_news(home)),
        "notices": SimpleLazyObject(lambda: _notices_with_read_marks(notice_ids, read_ids)),
        "notices_key": _notice_rendering_key(notice_ids, read_ids),
    }


def _notices_in_order(notice_ids: list[int]) -> list[NoticePage]:
    by_id = {
        notice.pk: notice
        for notice in NoticePage.objects.filter(pk__in=notice_ids).select_related(
            "issuing_department"
        )
    }
    return [by_id[pk] for pk in notice_ids if pk in by_id]


def portal_news(home: Page) -> dict:
    index = NewsIndexPage.objects.child_of(home).live().first()
    if index is None:
        return {"news_columns": [], "carousel": []}
    columns = list(NewsColumnPage.objects.child_of(index).live().order_by("path"))
    news = news_queryset(index)
    news_columns = [
        (column, list(news.child_of(column)[:PORTAL_NEWS_PER_COLUMN])) for column in columns
    ]
    carousel = list(
        news.filter(cover_image__isnull=False).prefetch_related("cover_image__renditions")[
            :PORTAL_CAROUSEL_SIZE
        ]
    )
    return {"news_columns": news_columns, "carousel": carousel}

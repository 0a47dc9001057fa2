"""Read paths of the portal, the news center and the notices.

`visible_notices(user)` is the one place that decides which notices a user may see; lists, pages,
feeds, the API, attachments and search all go through it.
"""

import time

from django.contrib.contenttypes.models import ContentType
from django.core.cache import cache
from django.core.paginator import Page as PaginatorPage
from django.core.paginator import Paginator
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


def content_version() -> int:
    """Part of every cached list's key; `bump_content_version` runs whenever a page is published,
    unpublished, moved or deleted (see signals), so cached lists are never stale."""
    version = cache.get(CONTENT_VERSION_CACHE_KEY)
    if version is None:
        version = time.time_ns()
        cache.add(CONTENT_VERSION_CACHE_KEY, version, timeout=VERSION_SECONDS)
    return version


def bump_content_version() -> None:
    cache.set(CONTENT_VERSION_CACHE_KEY, time.time_ns(), timeout=VERSION_SECONDS)


def read_marks_version(user: User) -> int:
    """Changes whenever the user opens a notice, so cached read marks are never stale."""
    return cache.get_or_set(f"home:read-version:{user.pk}", time.time_ns, timeout=VERSION_SECONDS)


def forget_read_marks(user: User) -> None:
    cache.set(f"home:read-version:{user.pk}", time.time_ns(), timeout=VERSION_SECONDS)


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
    users who see the same: the audience paths, plus the user when they issue or edit notices."""
    if user.is_superuser:
        return "all"
    key = ",".join(audience_paths(user))
    issues = NoticePage.objects.filter(owner=user).exclude(audience=NoticePage.Audience.EVERYONE)
    if _notice_columns_worked_in(user) or issues.exists():
        key += f";user:{user.pk}"
    return key


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


def notice_list(user: User, *, page_number) -> PaginatorPage:
    page = Paginator(listed_notices(user), NOTICES_PER_PAGE).get_page(page_number)
    mark_unread(user, page.object_list)
    return page


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
    return (
        NewsPage.objects.live()
        .descendant_of(index)
        .order_by("-news_date", "-first_published_at", "-pk")
        .select_related("cover_image")
    )


def news_list(index: Page, *, column: NewsColumnPage | None, page_number) -> PaginatorPage:
    news = news_queryset(index)
    if column is not None:
        news = news.child_of(column)
    return Paginator(news, NEWS_PER_PAGE).get_page(page_number)


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
    cached per audience (the tree paths that reach the user); read marks are the user's own and
    always fresh. Every key carries the content version, so a publication shows at once."""
    version = content_version()
    audience_key = notice_scope_key(user)
    notice_ids = cache.get_or_set(
        versioned_key("home:portal-notices", version, timezone.localdate(), audience_key),
        lambda: list(listed_notices(user).values_list("pk", flat=True)[:PORTAL_NOTICES]),
        timeout=3600,
    )
    read_ids = cache.get_or_set(
        versioned_key(
            "home:read", user.pk, read_marks_version(user), ",".join(map(str, notice_ids))
        ),
        lambda: sorted(
            NoticeReadReceipt.objects.filter(user=user, notice_id__in=notice_ids).values_list(
                "notice_id", flat=True
            )
        ),
        timeout=3600,
    )

    def notices_with_read_marks() -> list[NoticePage]:
        notices = _notices_in_order(notice_ids)
        for notice in notices:
            notice.is_unread = notice.pk not in read_ids
        return notices

    # The rendered notice list depends on nothing else than these ids, read marks and the day.
    notices_key = ":".join(
        [
            str(version),
            str(timezone.localdate()),
            *map(str, notice_ids),
            "read",
            *map(str, read_ids),
        ]
    )
    return {
        "content_version": version,
        "portal_news": SimpleLazyObject(lambda: portal_news(home)),
        "notices": SimpleLazyObject(notices_with_read_marks),
        "notices_key": notices_key,
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

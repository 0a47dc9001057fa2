"""RSS 2.0 (or Atom with `?format=atom`) feeds of a column's news and of the user's notices.

Feed readers on the intranet use the browser's session, so feeds need a login like every page, and a
notice feed lists only what `listed_notices(user)` lets that user see.
"""

from datetime import datetime, time

from django.conf import settings
from django.contrib.syndication.views import Feed
from django.http import Http404
from django.shortcuts import get_object_or_404
from django.utils import timezone
from django.utils.feedgenerator import Atom1Feed, Rss201rev2Feed
from django.utils.html import strip_tags
from django.utils.text import Truncator
from django.utils.translation import gettext as _
from wagtail.models import Page

from home.models import NewsColumnPage, NewsPage, NoticeIndexPage, NoticePage
from home.selectors import listed_notices, news_queryset

FEED_SIZE = 30
DESCRIPTION_LENGTH = 200


def column_feed(request, pk):
    """The latest news of a news column, or the notices of the notices column."""
    column = get_object_or_404(Page.objects.live(), pk=pk).specific
    if isinstance(column, NewsColumnPage):
        return NewsColumnFeed(request, column)(request)
    if isinstance(column, NoticeIndexPage):
        return NoticeFeed(request, column)(request)
    raise Http404


def notice_feed(request):
    """The notices the signed-in user may read, wherever they were published."""
    return NoticeFeed(request, None)(request)


def _plain_text(html: str) -> str:
    text = strip_tags(html.replace("</p>", "</p> ")).strip()
    return Truncator(text).chars(DESCRIPTION_LENGTH)


class _PageFeed(Feed):
    """Shared by both feeds: absolute links and the feed format asked for."""

    def __init__(self, request, column: Page | None):
        super().__init__()
        self.request = request
        self.column = column
        if request.GET.get("format") == "atom":
            self.feed_type = Atom1Feed
        else:
            self.feed_type = Rss201rev2Feed

    def absolute(self, page: Page) -> str:
        return self.request.build_absolute_uri(page.get_url(request=self.request))

    def link(self):
        return self.absolute(self.column) if self.column else self.request.build_absolute_uri("/")

    def feed_url(self):
        return self.request.build_absolute_uri()

    def item_link(self, item):
        return self.absolute(item)

    def item_guid(self, item):
        return self.absolute(item)

    def item_title(self, item):
        return item.title

    def item_updateddate(self, item):
        return item.last_published_at


class NewsColumnFeed(_PageFeed):
    def title(self):
        return f"{settings.INTRANET_GROUP_NAME} · {self.column.title}"

    def description(self):
        return _plain_text(self.column.intro) or _("The latest news of %(column)s.") % {
            "column": self.column.title
        }

    def items(self):
        index = self.column.get_parent()
        return list(news_queryset(index).child_of(self.column).prefetch_related("tags")[:FEED_SIZE])

    def item_description(self, item: NewsPage):
        return item.summary or item.subtitle

    def item_author_name(self, item: NewsPage):
        return item.author or item.source or None

    def item_pubdate(self, item: NewsPage):
        return timezone.make_aware(datetime.combine(item.news_date, time()))

    def item_categories(self, item: NewsPage):
        return [tag.name for tag in item.tags.all()]


class NoticeFeed(_PageFeed):
    def title(self):
        name = self.column.title if self.column else _("Notices")
        return f"{settings.INTRANET_GROUP_NAME} · {name}"

    def description(self):
        return _("Notices addressed to you.")

    def items(self):
        notices = listed_notices(self.request.user)
        if self.column is not None:
            notices = notices.child_of(self.column)
        return list(notices[:FEED_SIZE])

    def item_description(self, item: NoticePage):
        return _plain_text(item.body)

    def item_author_name(self, item: NoticePage):
        return item.issuing_department.name if item.issuing_department else None

    def item_pubdate(self, item: NoticePage):
        return item.first_published_at

"""RSS 2.0 (or Atom with `?format=atom`) of the latest items under a category, for one reader:
the feed lists only what `visible_knowledge` lets the signed-in user see."""

from django.conf import settings
from django.contrib.syndication.views import Feed
from django.shortcuts import get_object_or_404
from django.utils.feedgenerator import Atom1Feed, Rss201rev2Feed
from django.utils.translation import gettext as _

from ..models import KnowledgeCategoryPage, KnowledgeItemPage
from ..permissions import require_view
from ..selectors import latest_items

FEED_SIZE = 30


def category_feed(request, category_id: int):
    category = get_object_or_404(KnowledgeCategoryPage, pk=category_id)
    require_view(request.user, category)
    return CategoryFeed(request, category)(request)


class CategoryFeed(Feed):
    def __init__(self, request, category):
        super().__init__()
        self.request = request
        self.category = category
        self.feed_type = Atom1Feed if request.GET.get("format") == "atom" else Rss201rev2Feed

    def absolute(self, page) -> str:
        return self.request.build_absolute_uri(page.get_url(request=self.request))

    def title(self):
        return f"{settings.INTRANET_GROUP_NAME} · {self.category.title}"

    def link(self):
        return self.absolute(self.category)

    def feed_url(self):
        return self.request.build_absolute_uri()

    def description(self):
        return _("The latest items of %(category)s.") % {"category": self.category.title}

    def items(self):
        return latest_items(self.request.user, self.category, limit=FEED_SIZE)

    def item_title(self, item: KnowledgeItemPage):
        return item.title

    def item_link(self, item: KnowledgeItemPage):
        return self.absolute(item)

    def item_guid(self, item: KnowledgeItemPage):
        return self.absolute(item)

    def item_description(self, item: KnowledgeItemPage):
        return item.keywords

    def item_pubdate(self, item: KnowledgeItemPage):
        return item.first_published_at

    def item_updateddate(self, item: KnowledgeItemPage):
        return item.last_published_at

    def item_author_name(self, item: KnowledgeItemPage):
        return item.owner_unit.name if item.owner_unit_id else None

    def item_categories(self, item: KnowledgeItemPage):
        return item.keyword_list

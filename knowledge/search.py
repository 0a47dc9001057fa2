"""Knowledge items as search entries: title, keywords, body or description, and the text of the
current version of every file (extracted or read by OCR). The access list comes from
`permissions.access_principals`, the rule every other read path uses."""

from collections.abc import Iterable

from django.db.models import Prefetch
from django.utils.html import strip_tags
from django.utils.translation import gettext_lazy as _

from search.registry import SearchEntry, SearchProvider, register

from .models import (
    KnowledgeArticlePage,
    KnowledgeFile,
    KnowledgeFilePage,
    KnowledgeItemPage,
)
from .permissions import access_principals, knowledge_pages, restricted_categories
from .search_sync import SEARCH_KIND

BATCH_SIZE = 200


class KnowledgeSearchProvider(SearchProvider):
    kind = SEARCH_KIND
    label = _("Knowledge")

    def entries(self) -> Iterable[SearchEntry]:
        ids = list(_live_items().order_by("pk").values_list("pk", flat=True))
        for start in range(0, len(ids), BATCH_SIZE):
            for item in _loaded(ids[start : start + BATCH_SIZE]):
                yield _entry(item)

    def entry_for(self, key: str) -> SearchEntry | None:
        if not key.isdigit():
            return None
        items = _loaded([int(key)])
        return _entry(items[0]) if items else None


def _live_items():
    return knowledge_pages(KnowledgeItemPage)


def _loaded(ids: list[int]) -> list[KnowledgeItemPage]:
    items = {
        item.pk: item for item in _live_items().filter(pk__in=ids).select_related("owner_unit")
    }
    articles = KnowledgeArticlePage.objects.filter(pk__in=items).only("summary", "body")
    files = KnowledgeFilePage.objects.filter(pk__in=items).prefetch_related(
        Prefetch("files", KnowledgeFile.objects.select_related("current_version"))
    )
    for article in articles:
        items[article.pk].search_text = _article_text(article)
    for file_item in files:
        items[file_item.pk].search_text = _file_text(file_item)
    restrictions = restricted_categories()
    for item in items.values():
        item.access = access_principals(item, restrictions)
    return [items[pk] for pk in ids if pk in items]


def _article_text(article: KnowledgeArticlePage) -> str:
    parts = [article.summary]
    for block in article.body:
        if block.block_type == "table":
            rows = (block.value or {}).get("data") or []
            parts.extend(" ".join(str(cell or "") for cell in row) for row in rows)
        elif block.block_type != "image":
            parts.append(strip_tags(str(block.render())))
    return "\n".join(part for part in parts if part)


def _file_text(item: KnowledgeFilePage) -> str:
    parts = [strip_tags(item.description)]
    for file in item.files.all():
        parts.append(file.title)
        if file.current_version:
            parts.append(file.current_version.extracted_text)
    return "\n".join(part for part in parts if part)


def _entry(item: KnowledgeItemPage) -> SearchEntry:
    unit = item.owner_unit
    return SearchEntry(
        kind=SEARCH_KIND,
        key=str(item.pk),
        title=item.title,
        body=getattr(item, "search_text", ""),
        url=item.url or "",
        unit=unit.code if unit else "",
        unit_name=unit.display_name if unit else "",
        date=item.last_published_at or item.first_published_at,
        tags=tuple(item.keyword_list),
        access=item.access,
    )


register(KnowledgeSearchProvider())

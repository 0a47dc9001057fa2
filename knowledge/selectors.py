"""Read paths of the knowledge center, each a bounded number of queries and each filtered by
`permissions.visible_knowledge`."""

import hashlib
from dataclasses import dataclass
from datetime import timedelta

from django.contrib.contenttypes.models import ContentType
from django.core.cache import cache
from django.core.paginator import Page as PaginatorPage
from django.core.paginator import Paginator
from django.db.models import Prefetch, QuerySet
from django.template.loader import render_to_string
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import get_language
from django.utils.translation import gettext_lazy as _
from wagtail.models import Page

from core.cache import versioned_key
from people.caching import organization_version
from people.models import OrgUnit, User

from .caching import (
    FRAGMENT_SECONDS,
    cached_fragment,
    content_version,
    counters_version,
)
from .models import (
    KnowledgeArticlePage,
    KnowledgeCategoryPage,
    KnowledgeFile,
    KnowledgeFilePage,
    KnowledgeFileVersion,
    KnowledgeIndexPage,
    KnowledgeItemPage,
)
from .permissions import (
    can_edit,
    can_manage_access,
    can_mark_reviewed,
    can_view,
    hidden_paths,
    visible_knowledge,
)

ITEMS_PER_PAGE = 20
REVIEW_DUE_WITHIN_DAYS = 30
LATEST_ON_INDEX = 10
SORTS = {
    "newest": ("-first_published_at", "-pk"),
    "title": ("title", "pk"),
    "views": ("-view_count", "-pk"),
}
SORT_LABELS = {"newest": _("Newest"), "title": _("Title"), "views": _("Most viewed")}
ITEM_TYPES = {"article": KnowledgeArticlePage, "file": KnowledgeFilePage}
TYPE_LABELS = {"article": _("Knowledge article"), "file": _("Knowledge file")}


@dataclass(frozen=True)
class TreeNode:
    page: KnowledgeCategoryPage
    level: int  # 0 for the categories directly under the index


def category_tree(user: User, root: Page) -> list[TreeNode]:
    """Every category the user may see, in tree order (one query)."""
    categories = (
        visible_knowledge(user, KnowledgeCategoryPage, within=root)
        .order_by("path")
        .only("pk", "title", "path", "depth", "url_path", "slug")
    )
    return [TreeNode(page, page.depth - root.depth - 1) for page in categories]


def breadcrumb(page: Page) -> list[Page]:
    """The knowledge center and the categories above the page (one query)."""
    return [
        ancestor
        for ancestor in page.get_ancestors().specific(defer=True)
        if isinstance(ancestor, KnowledgeIndexPage | KnowledgeCategoryPage)
    ]


@dataclass(frozen=True)
class ItemFilters:
    sort: str = "newest"
    item_type: str = ""
    unit_id: int | None = None
    validity: str = ""

    @classmethod
    def from_query(cls, query) -> "ItemFilters":
        sort = query.get("sort", "newest")
        item_type = query.get("type", "")
        validity = query.get("validity", "")
        unit = query.get("unit", "")
        return cls(
            sort=sort if sort in SORTS else "newest",
            item_type=item_type if item_type in ITEM_TYPES else "",
            unit_id=int(unit) if unit.isdigit() else None,
            validity=validity if validity in KnowledgeItemPage.Validity.values else "",
        )


def category_items(user: User, category: Page, filters: ItemFilters) -> QuerySet:
    """The visible items directly in a category, filtered and sorted; each row carries what the
    list shows (counters, validity, review date, owning unit), so rows cost no further query."""
    items = (
        visible_knowledge(user, KnowledgeItemPage, within=category)
        .child_of(category)
        .select_related("owner_unit")
        .order_by(*SORTS[filters.sort])
    )
    if filters.item_type:
        model = ITEM_TYPES[filters.item_type]
        items = items.filter(content_type=ContentType.objects.get_for_model(model))
    if filters.unit_id:
        items = items.filter(owner_unit_id=filters.unit_id)
    if filters.validity:
        items = items.filter(validity=filters.validity)
    return items


def category_items_page(
    user: User, category: Page, filters: ItemFilters, page_number
) -> PaginatorPage:
    page = Paginator(category_items(user, category, filters), ITEMS_PER_PAGE).get_page(page_number)
    type_by_content_type = {
        ContentType.objects.get_for_model(model).pk: key for key, model in ITEM_TYPES.items()
    }
    for item in page.object_list:
        item.item_type = type_by_content_type.get(item.content_type_id, "")
        item.item_type_label = TYPE_LABELS.get(item.item_type, "")
    return page


def owner_units_in(category: Page) -> QuerySet[OrgUnit]:
    """The units owning items in the category, for the unit filter."""
    owners = KnowledgeItemPage.objects.child_of(category).values("owner_unit_id")
    return OrgUnit.objects.filter(pk__in=owners).order_by("path")


def latest_items(user: User, under: Page, *, limit: int) -> list[KnowledgeItemPage]:
    return list(
        visible_knowledge(user, KnowledgeItemPage, within=under)
        .select_related("owner_unit")
        .order_by("-last_published_at", "-pk")[:limit]
    )


def items_due_for_review(user: User, *, limit: int) -> list[KnowledgeItemPage]:
    """The user's own items whose review is due within 30 days or overdue, most urgent first."""
    if not user.is_authenticated:
        return []
    return list(items_due_query().filter(responsible=user).order_by("review_date", "pk")[:limit])


# What the knowledge pages show (their get_context)
#
# The index and the categories are rendered once per version of what they show and per set of
# rights (see caching.py): a user's hidden paths decide everything visible, so users with the same
# hidden paths share the rendering; the per-user buttons are part of the key.


def index_context(index: Page, request) -> dict:
    key = _fragment_key(
        "index", index, request, counters_version(), rights=hidden_paths(request.user)
    )
    return {"content_html": cached_fragment(key, lambda: _render_index(index, request))}


def _render_index(index: Page, request) -> str:
    tree = category_tree(request.user, index)
    context = {
        "page": index,
        "tree": tree,
        "top_categories": [node.page for node in tree if node.level == 0],
        "latest_items": latest_items(request.user, index, limit=LATEST_ON_INDEX),
    }
    return render_to_string("knowledge/includes/index_content.html", context, request=request)


def category_context(category: KnowledgeCategoryPage, request) -> dict:
    may_edit = can_edit(request.user, category)
    may_manage_access = can_manage_access(request.user, category)
    key = _fragment_key(
        "category",
        category,
        request,
        counters_version(category.path),
        may_edit,
        may_manage_access,
        rights=hidden_paths(request.user),
    )
    return {
        "content_html": cached_fragment(
            key, lambda: _render_category(category, request, may_edit, may_manage_access)
        )
    }


def _render_category(category, request, may_edit: bool, may_manage_access: bool) -> str:
    trail = breadcrumb(category)
    root = trail[0] if trail else category
    filters = ItemFilters.from_query(request.GET)
    tree = category_tree(request.user, root)
    context = {
        "page": category,
        "breadcrumb": trail,
        "tree": tree,
        "subcategories": [
            node.page for node in tree if node.page.path[: -Page.steplen] == category.path
        ],
        "items": category_items_page(request.user, category, filters, request.GET.get("page")),
        "filters": filters,
        "sort_labels": SORT_LABELS,
        "type_labels": TYPE_LABELS,
        "validity_choices": KnowledgeItemPage.Validity.choices,
        "owner_units": owner_units_in(category),
        "can_edit": may_edit,
        "can_manage_access": may_manage_access,
    }
    return render_to_string("knowledge/includes/category_content.html", context, request=request)


def _fragment_key(name: str, page: Page, request, *parts, rights: tuple[str, ...]) -> str:
    """What a knowledge page's rendering depends on besides `parts`: the page and the content
    versions, the organization (unit names), the day (overdue flags), the language, the query
    string (filters, paging links) and the rights."""
    query = hashlib.md5(request.GET.urlencode().encode(), usedforsecurity=False).hexdigest()
    rights_digest = hashlib.md5("\n".join(rights).encode(), usedforsecurity=False).hexdigest()
    return versioned_key(
        "knowledge",
        name,
        page.pk,
        content_version(),
        organization_version(),
        timezone.localdate(),
        get_language(),
        query,
        rights_digest,
        *parts,
    )


def page_at(index: Page, url_path: str) -> Page | None:
    """The page of the knowledge center at `url_path`, live or not, cached under the content
    version, which every slug change, move, save and deletion bumps. A category is kept whole; an
    item only by its identity, then read (its counters change without a new version)."""
    key = versioned_key("knowledge:route", content_version(), url_path)
    found = cache.get(key)
    if found is None:
        row = (
            Page.objects.filter(url_path=url_path, path__startswith=index.path)
            .values_list("content_type_id", "pk")
            .first()
        )
        found = _specific(*row) if row else ()
        if isinstance(found, KnowledgeItemPage):
            found = row
        cache.set(key, found, FRAGMENT_SECONDS)
    if isinstance(found, Page) or not found:
        return found or None
    return _specific(*found)


def _specific(content_type_id: int, pk: int) -> Page | None:
    model = ContentType.objects.get_for_id(content_type_id).model_class()
    return model.objects.filter(pk=pk).first()


def item_context(item: KnowledgeItemPage, request) -> dict:
    trail = breadcrumb(item)
    context = {
        "breadcrumb": trail,
        "tree": category_tree(request.user, trail[0]) if trail else [],
        "can_edit": can_edit(request.user, item),
        "can_mark_reviewed": can_mark_reviewed(request.user, item),
        "superseded_by": _visible_successor(item, request.user),
    }
    if isinstance(item, KnowledgeFilePage):
        context["files"] = list(
            KnowledgeFile.objects.filter(item=item)
            .select_related("current_version")
            .prefetch_related(
                Prefetch(
                    "versions",
                    KnowledgeFileVersion.objects.select_related("uploaded_by").defer(
                        "extracted_text"
                    ),
                )
            )
        )
        context["upload_url"] = reverse("knowledge:file_upload", args=[item.pk])
    return context


def _visible_successor(item: KnowledgeItemPage, user) -> KnowledgeItemPage | None:
    if not item.superseded_by_id:
        return None
    successor = KnowledgeItemPage.objects.filter(pk=item.superseded_by_id).first()
    return successor if successor and can_view(user, successor) else None


def items_due_query(today=None):
    today = today or timezone.localdate()
    return KnowledgeItemPage.objects.live().filter(
        validity=KnowledgeItemPage.Validity.EFFECTIVE,
        review_date__lte=today + timedelta(days=REVIEW_DUE_WITHIN_DAYS),
    )

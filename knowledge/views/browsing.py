"""What the knowledge center's pages show: the index, a category's listing, an item."""

from django.db.models import Prefetch
from django.urls import reverse
from wagtail.models import Page

from ..models import (
    KnowledgeCategoryPage,
    KnowledgeFile,
    KnowledgeFilePage,
    KnowledgeFileVersion,
    KnowledgeItemPage,
)
from ..permissions import can_edit, can_manage_access, can_mark_reviewed, can_view
from ..selectors import (
    SORT_LABELS,
    TYPE_LABELS,
    ItemFilters,
    breadcrumb,
    category_items_page,
    category_tree,
    latest_items,
    owner_units_in,
)

LATEST_ON_INDEX = 10


def index_context(index: Page, request) -> dict:
    tree = category_tree(request.user, index)
    return {
        "tree": tree,
        "top_categories": [node.page for node in tree if node.level == 0],
        "latest_items": latest_items(request.user, index, limit=LATEST_ON_INDEX),
    }


def category_context(category: KnowledgeCategoryPage, request) -> dict:
    trail = breadcrumb(category)
    root = trail[0] if trail else category
    filters = ItemFilters.from_query(request.GET)
    tree = category_tree(request.user, root)
    return {
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
        "can_edit": can_edit(request.user, category),
        "can_manage_access": can_manage_access(request.user, category),
    }


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

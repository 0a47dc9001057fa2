"""The knowledge center in the JSON API (mounted at /api/knowledge by intranet/api.py).

Everything goes through `permissions.visible_knowledge` / `can_view`, the rule of the pages,
downloads and feeds: what a user may not see answers 404 here as there.
"""

from datetime import date, datetime

from django.core.exceptions import PermissionDenied
from django.db.models import Prefetch
from django.http import Http404
from django.shortcuts import get_object_or_404
from django.urls import reverse
from ninja import Query, Router, Schema
from ninja.pagination import paginate
from wagtail.models import Page

from intranet.converters import ObjectId
from intranet.paging import Converted, PageNumber

from .models import (
    KnowledgeArticlePage,
    KnowledgeCategoryPage,
    KnowledgeFile,
    KnowledgeFilePage,
    KnowledgeFileVersion,
    KnowledgeIndexPage,
    KnowledgeItemPage,
)
from .permissions import can_mark_reviewed, require_view, visible_knowledge
from .selectors import ItemFilters, category_items, category_tree
from .services import item_mark_reviewed

router = Router(tags=["knowledge"])


class CategoryOut(Schema):
    id: int
    title: str
    parent_id: int | None
    level: int
    url: str


class ItemQuery(Schema):
    sort: str = "newest"
    type: str = ""
    unit: str = ""
    validity: str = ""


class ItemOut(Schema):
    id: int
    title: str
    type: str
    url: str
    owner_unit: str | None
    keywords: list[str]
    validity: str
    superseded_by: int | None
    review_date: date
    may_be_out_of_date: bool
    views: int
    downloads: int
    published_at: datetime | None


class VersionOut(Schema):
    number: int
    file_name: str
    size: int
    sha256: str
    content_type: str
    change_note: str
    uploaded_by: str | None
    uploaded_at: datetime
    download_url: str
    extraction_status: str


class FileOut(Schema):
    id: int
    title: str
    versions: list[VersionOut]


class ItemDetailOut(ItemOut):
    body: str
    files: list[FileOut]


class ReviewedOut(Schema):
    review_date: date


@router.get("/categories", response=list[CategoryOut], summary="The categories you may see")
def categories(request):
    root = KnowledgeIndexPage.objects.first()
    if root is None:
        return []
    nodes = category_tree(request.user, root)
    ids_by_path = {node.page.path: node.page.pk for node in nodes}
    return [
        {
            "id": node.page.pk,
            "title": node.page.title,
            "parent_id": ids_by_path.get(node.page.path[: -Page.steplen]),
            "level": node.level,
            "url": request.build_absolute_uri(node.page.get_url(request=request)),
        }
        for node in nodes
    ]


@router.get(
    "/categories/{category_id}/items",
    response=list[ItemOut],
    summary="Items of a category; sort: newest, title, views; type: article, file",
)
@paginate(PageNumber)
def items(request, category_id: ObjectId, query: Query[ItemQuery]):
    category = get_object_or_404(KnowledgeCategoryPage, pk=category_id)
    require_view(request.user, category)
    filters = ItemFilters.from_query(
        {"sort": query.sort, "type": query.type, "unit": query.unit, "validity": query.validity}
    )
    types = _type_names()
    return Converted(
        category_items(request.user, category, filters),
        lambda page: [_item_out(request, item, types) for item in page],
    )


@router.get("/items/{item_id}", response=ItemDetailOut, summary="One item with its files")
def item_detail(request, item_id: ObjectId):
    item = get_object_or_404(
        visible_knowledge(request.user, KnowledgeItemPage).select_related("owner_unit"),
        pk=item_id,
    )
    specific = item.specific
    detail = _item_out(request, item, _type_names())
    detail["body"] = ""
    detail["files"] = []
    if isinstance(specific, KnowledgeArticlePage):
        detail["body"] = str(specific.body)
    elif isinstance(specific, KnowledgeFilePage):
        detail["body"] = specific.description
        files = KnowledgeFile.objects.filter(item=specific).prefetch_related(
            Prefetch(
                "versions",
                KnowledgeFileVersion.objects.select_related("uploaded_by").defer("extracted_text"),
            )
        )
        detail["files"] = [
            {
                "id": file.pk,
                "title": file.title,
                "versions": [_version_out(request, version) for version in file.versions.all()],
            }
            for file in files
        ]
    return detail


@router.post(
    "/items/{item_id}/reviewed",
    response=ReviewedOut,
    summary="Confirm the item is current (owner or editor); the next review is a year away",
)
def mark_reviewed(request, item_id: ObjectId):
    item = get_object_or_404(visible_knowledge(request.user, KnowledgeItemPage), pk=item_id)
    if not can_mark_reviewed(request.user, item):
        raise PermissionDenied
    item_mark_reviewed(item=item, user=request.user)
    return {"review_date": item.review_date}


def _type_names() -> dict[int, str]:
    from django.contrib.contenttypes.models import ContentType

    return {
        ContentType.objects.get_for_model(KnowledgeArticlePage).pk: "article",
        ContentType.objects.get_for_model(KnowledgeFilePage).pk: "file",
    }


def _item_out(request, item: KnowledgeItemPage, types: dict[int, str]) -> dict:
    url = item.get_url(request=request)
    if url is None:
        raise Http404
    return {
        "id": item.pk,
        "title": item.title,
        "type": types.get(item.content_type_id, ""),
        "url": request.build_absolute_uri(url),
        "owner_unit": item.owner_unit.name if item.owner_unit_id else None,
        "keywords": item.keyword_list,
        "validity": item.validity,
        "superseded_by": item.superseded_by_id,
        "review_date": item.review_date,
        "may_be_out_of_date": item.is_overdue,
        "views": item.view_count,
        "downloads": item.download_count,
        "published_at": item.first_published_at,
    }


def _version_out(request, version: KnowledgeFileVersion) -> dict:
    return {
        "number": version.number,
        "file_name": version.original_name,
        "size": version.size,
        "sha256": version.sha256,
        "content_type": version.content_type,
        "change_note": version.change_note,
        "uploaded_by": version.uploaded_by.get_full_name() if version.uploaded_by else None,
        "uploaded_at": version.uploaded_at,
        "download_url": request.build_absolute_uri(
            reverse("knowledge:version_download", args=[version.pk])
        ),
        "extraction_status": version.extraction_status,
    }

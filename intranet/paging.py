"""The API's one paging convention, for every list endpoint (django-ninja's `paginate`).

A list endpoint takes `page` (from 1) and `page_size` (default 20, at most 50; a larger size is cut
to 50, a page past the last gives the last) and answers `{"count", "page", "num_pages", "items"}`.
A number that is not a positive integer, or is beyond the database's integers, is refused with 422.

Items are converted to their JSON form after the page is cut, a whole page at a time, so that
per-page work (the read marks of notices, the rows of tasks) costs the same queries on every page.
"""

from collections.abc import Callable, Sequence
from typing import Any

from django.core.paginator import Paginator
from django.db.models import QuerySet
from ninja import Schema
from ninja.pagination import PaginationBase

from .converters import PositiveNumber

DEFAULT_PAGE_SIZE = 20
MAX_PAGE_SIZE = 50


class Converted:
    """Rows whose page, once cut, is converted by `convert_page(rows) -> items`."""

    def __init__(self, rows, convert_page: Callable[[list], list]):
        self.rows = rows
        self.convert_page = convert_page

    def count(self) -> int:
        return self.rows.count() if isinstance(self.rows, QuerySet) else len(self.rows)

    def __getitem__(self, cut: slice) -> list:
        return self.convert_page(list(self.rows[cut]))


class SourcePage:
    """A page that its source cuts itself (a search engine pages its own hits); `extra` are the
    further fields of the answer, e.g. the search's facets."""

    def __init__(self, *, count: int, number: int, num_pages: int, items: Sequence, **extra):
        self.answer = {
            "count": count,
            "page": number,
            "num_pages": num_pages,
            "items": list(items),
            **extra,
        }


class PageNumber(PaginationBase):
    class Input(Schema):
        page: PositiveNumber = 1
        page_size: PositiveNumber = DEFAULT_PAGE_SIZE

    class Output(Schema):
        count: int
        page: int
        num_pages: int
        items: list[Any]

    def paginate_queryset(self, queryset, pagination: Input, **params) -> dict:
        if isinstance(queryset, SourcePage):
            return queryset.answer
        page = Paginator(queryset, page_size(pagination)).get_page(pagination.page)
        return {
            "count": page.paginator.count,
            "page": page.number,
            "num_pages": page.paginator.num_pages,
            "items": page.object_list,
        }


def page_size(pagination: PageNumber.Input) -> int:
    return min(pagination.page_size, MAX_PAGE_SIZE)

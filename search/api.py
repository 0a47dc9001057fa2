"""The search in the JSON API (mounted at /api/search): the same query, rules and results as the
search page. Parameters are read leniently: malformed ones are dropped, never an error."""

from datetime import datetime

from django.http import QueryDict
from ninja import Query, Router, Schema

from . import selectors
from .forms import query_from_params

router = Router(tags=["search"])


class SearchParams(Schema):
    q: str = ""
    kind: list[str] = []
    unit: list[str] = []
    date_from: str = ""
    date_to: str = ""
    sort: str = "relevance"
    page: str = "1"
    size: str = "20"


class HitOut(Schema):
    kind: str
    key: str
    title: str
    url: str
    unit: str
    unit_name: str
    date: datetime | None
    title_html: str
    snippet_html: str
    best_bet: bool


class FacetOut(Schema):
    value: str
    label: str
    count: int


class SearchOut(Schema):
    query: str
    total: int
    page: int
    pages: int
    backend: str
    fell_back: bool
    hits: list[HitOut]
    kinds: list[FacetOut]
    units: list[FacetOut]


@router.get("", response=SearchOut, summary="Search everything the signed-in user may see")
def search(request, params: Query[SearchParams]):
    values = QueryDict(mutable=True)
    values.update(
        {
            "q": params.q,
            "from": params.date_from,
            "to": params.date_to,
            "sort": params.sort,
            "page": params.page,
            "size": params.size,
        }
    )
    values.setlist("kind", params.kind)
    values.setlist("unit", params.unit)
    query = query_from_params(values)
    results = selectors.search_for(request.user, query) if query.text else None
    if results is None:
        return {
            "query": query.text,
            "total": 0,
            "page": 1,
            "pages": 1,
            "backend": "",
            "fell_back": False,
            "hits": [],
            "kinds": [],
            "units": [],
        }
    return {
        "query": query.text,
        "total": results.total,
        "page": query.page,
        "pages": results.pages,
        "backend": results.backend,
        "fell_back": results.fell_back,
        "hits": [vars(hit) for hit in [*results.best_bets, *results.hits]],
        "kinds": [vars(facet) for facet in results.kind_facets],
        "units": [vars(facet) for facet in results.unit_facets],
    }

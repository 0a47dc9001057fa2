"""The search in the JSON API (mounted at /api/search): the same query, rules and results as the
search page, paged by the API's convention (intranet/paging.py). The other parameters are read
leniently: unknown kinds and malformed dates are dropped, never an error."""

from datetime import datetime

from django.http import QueryDict
from ninja import Query, Router, Schema
from ninja.pagination import paginate

from intranet.paging import PageNumber, SourcePage, page_size

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


class SearchPaging(PageNumber):
    """The convention's page of hits, with what the search adds: the query as understood, the
    backend that answered, and the facets."""

    class Output(PageNumber.Output):
        query: str
        backend: str
        fell_back: bool
        kinds: list[FacetOut]
        units: list[FacetOut]


@router.get("", response=list[HitOut], summary="Search everything the signed-in user may see")
@paginate(SearchPaging, pass_parameter="paging")
def search(request, params: Query[SearchParams], **kwargs):
    pagination = kwargs["paging"]
    values = QueryDict(mutable=True)
    values.update(
        {
            "q": params.q,
            "from": params.date_from,
            "to": params.date_to,
            "sort": params.sort,
            "page": pagination.page,
            "size": page_size(pagination),
        }
    )
    values.setlist("kind", params.kind)
    values.setlist("unit", params.unit)
    query = query_from_params(values)
    results = selectors.search_for(request.user, query) if query.text else None
    if results is not None and query.page > results.pages:  # past the end: the last page
        values["page"] = results.pages
        query = query_from_params(values)
        results = selectors.search_for(request.user, query)
    if results is None:
        return SourcePage(
            count=0,
            number=1,
            num_pages=1,
            items=[],
            query=query.text,
            backend="",
            fell_back=False,
            kinds=[],
            units=[],
        )
    return SourcePage(
        count=results.total,
        number=query.page,
        num_pages=results.pages,
        items=[vars(hit) for hit in [*results.best_bets, *results.hits]],
        query=query.text,
        backend=results.backend,
        fell_back=results.fell_back,
        kinds=[vars(facet) for facet in results.kind_facets],
        units=[vars(facet) for facet in results.unit_facets],
    )

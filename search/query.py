"""What a search asks and what it answers, the same for every backend."""

from collections import defaultdict
from dataclasses import dataclass, field
from datetime import date, datetime

from django.utils.safestring import SafeString

from .text import clean_query

PAGE_SIZE = 20
MAX_PAGE = 50


class Sort:
    RELEVANCE = "relevance"
    DATE = "date"
    CHOICES = (RELEVANCE, DATE)


@dataclass(frozen=True)
class SearchQuery:
    text: str
    kinds: tuple[str, ...] = ()
    units: tuple[str, ...] = ()
    date_from: date | None = None
    date_to: date | None = None
    sort: str = Sort.RELEVANCE
    page: int = 1
    page_size: int = PAGE_SIZE
    # The searcher's own unit codes: a bare serial (7号) names numbers within them.
    home_units: tuple[str, ...] = ()

    @classmethod
    def build(
        cls,
        text: str,
        kinds=(),
        units=(),
        date_from: date | None = None,
        date_to: date | None = None,
        sort: str = Sort.RELEVANCE,
        page: int = 1,
        page_size: int = PAGE_SIZE,
    ) -> "SearchQuery":
        """A query with every part bounded, whatever the user typed."""
        if date_from and date_to and date_from > date_to:
            date_from, date_to = date_to, date_from
        return cls(
            text=clean_query(text),
            kinds=tuple(dict.fromkeys(k for k in kinds if k))[:10],
            # Unit codes are printable; a NUL is refused by PostgreSQL in any query.
            units=tuple(dict.fromkeys(u for u in map(_printable, units) if u))[:20],
            date_from=date_from,
            date_to=date_to,
            sort=sort if sort in Sort.CHOICES else Sort.RELEVANCE,
            page=min(max(int(page or 1), 1), MAX_PAGE),
            page_size=min(max(int(page_size or PAGE_SIZE), 1), 100),
        )

    @property
    def offset(self) -> int:
        return (self.page - 1) * self.page_size


@dataclass
class Hit:
    kind: str
    key: str
    title: str
    url: str
    unit: str
    unit_name: str
    date: datetime | None
    title_html: SafeString
    snippet_html: SafeString
    score: float = 0.0
    best_bet: bool = False


@dataclass
class FacetValue:
    value: str
    label: str
    count: int


@dataclass
class SearchResults:
    query: SearchQuery
    hits: list[Hit] = field(default_factory=list)
    total: int = 0
    kind_facets: list[FacetValue] = field(default_factory=list)
    unit_facets: list[FacetValue] = field(default_factory=list)
    backend: str = ""
    fell_back: bool = False
    took_ms: float = 0.0
    best_bets: list[Hit] = field(default_factory=list)

    @property
    def pages(self) -> int:
        return max(1, -(-min(self.total, MAX_PAGE * self.query.page_size) // self.query.page_size))

    @property
    def has_next(self) -> bool:
        return self.query.page < self.pages

    @property
    def has_previous(self) -> bool:
        return self.query.page > 1


def facet_values(counts: dict[str, int], label) -> list[FacetValue]:
    return [
        FacetValue(value=value, label=label(value), count=count)
        for value, count in sorted(counts.items(), key=lambda item: (-item[1], item[0]))
        if count
    ]


def fill_facets(results: SearchResults, groups, kind_labels: dict) -> int:
    """Facets from (kind, unit, unit name, count) groups; returns the count of the selection.

    Each facet counts with the other facet's selection applied, so its choices stay meaningful.
    """
    query = results.query
    kinds, units, unit_names = defaultdict(int), defaultdict(int), {}
    selected = 0
    for kind, unit, unit_name, count in groups:
        in_kinds = not query.kinds or kind in query.kinds
        in_units = not query.units or unit in query.units
        if in_units:
            kinds[kind] += count
        if in_kinds and unit:
            units[unit] += count
            unit_names[unit] = unit_name or unit
        if in_kinds and in_units:
            selected += count
    results.kind_facets = facet_values(kinds, lambda k: str(kind_labels.get(k, k)))
    results.unit_facets = facet_values(units, lambda u: unit_names.get(u, u))
    return selected


def _printable(value: str) -> str:
    return "".join(character for character in value if character.isprintable())

"""Bounded integer ids in URLs and API parameters.

A database id is a signed 64-bit integer. A larger number in a URL never names a row, and some
queries (SQLite's driver, Wagtail's page lookups, OFFSET) fail on it with an OverflowError rather
than finding nothing; so a path segment beyond the range does not match (404) and an API
parameter beyond it is refused (422).
"""

from typing import Annotated

from django.urls import URLResolver
from django.urls.converters import IntConverter
from django.urls.resolvers import RoutePattern
from pydantic import Field

MAX_ID = 2**63 - 1

# For API path and query parameters naming a row, and for counts (pages and their sizes).
ObjectId = Annotated[int, Field(ge=1, le=MAX_ID)]
PositiveNumber = Annotated[int, Field(ge=1, le=MAX_ID)]


class IdConverter:
    """`<id:pk>`: what `<int:pk>` matches, as long as it fits the database's integer."""

    regex = "[0-9]{1,19}"

    def to_python(self, value: str) -> int:
        number = int(value)
        if number > MAX_ID:
            raise ValueError(value)
        return number

    def to_url(self, value) -> str:
        return str(value)


def bound_integer_converters(patterns) -> None:
    """Give third-party routes (Wagtail's admin, viewflow) the same bound as the project's `<id:`
    routes: their `<int:` segments stop matching beyond the database's range."""
    bounded = IdConverter()
    for entry in patterns:
        pattern = entry.pattern
        if isinstance(pattern, RoutePattern):
            for name, converter in pattern.converters.items():
                if isinstance(converter, IntConverter):
                    pattern.converters[name] = bounded
        if isinstance(entry, URLResolver):
            bound_integer_converters(entry.url_patterns)

"""The search registry: each app turns its objects into search entries through a provider.

An app writes `<app>/search.py` with a `SearchProvider` subclass and calls `register(...)` at
import; `SearchConfig.ready` imports every such module. The search app never imports the content
apps' models; people, which every app builds on and which imports no search, is the one it reads:
the directory's provider is `search/directory.py`.
"""

from collections.abc import Iterable
from dataclasses import dataclass, field
from datetime import datetime

from django.utils.functional import Promise


@dataclass(frozen=True)
class SearchEntry:
    kind: str
    key: str
    title: str
    body: str
    url: str
    unit: str = ""
    unit_name: str = ""
    date: datetime | None = None
    tags: tuple[str, ...] = ()
    # Identifiers matched exactly and ranked first: document numbers, employee numbers, names.
    exact: tuple[str, ...] = ()
    # Principals allowed to see the entry; any one of them suffices.
    access: tuple[str, ...] = field(default=("all",))

    @property
    def doc_id(self) -> str:
        return document_id(self.kind, self.key)


def document_id(kind: str, key: str) -> str:
    return f"{kind}:{key}"


class SearchProvider:
    """How one kind of object becomes search entries; subclass it in `<app>/search.py`."""

    kind: str = ""
    label: str | Promise = ""

    def entries(self) -> Iterable[SearchEntry]:
        """Every entry of the kind, for a full reindex; reads the database in bounded batches."""
        raise NotImplementedError

    def entry_for(self, key: str) -> SearchEntry | None:
        """The current entry for one object; None removes it from the index."""
        raise NotImplementedError


_providers: dict[str, SearchProvider] = {}


def register(provider: SearchProvider) -> None:
    if not provider.kind:
        raise ValueError("A search provider needs a kind.")
    _providers[provider.kind] = provider


def unregister(kind: str) -> None:
    _providers.pop(kind, None)


def provider_for(kind: str) -> SearchProvider | None:
    return _providers.get(kind)


def providers() -> list[SearchProvider]:
    return list(_providers.values())

"""Versions of what the knowledge center's caches are computed from, and their writers' bumps.

A cached value's key carries the versions it depends on (`core.cache.versioned_key`); a writer
bumps a version instead of deleting values, so every process sees the change at once:
- the content version: the published tree (titles, intros, items, validity, review dates, moves);
  bumped by the signals in `signals.py` and by the services that write rows directly;
- the access version: who may view a category (`CategoryAccess`, and the paths it applies to);
  the per-user rights (`permissions.hidden_paths`) are cached under it;
- the organization version (people.caching): unit names;
- the counters versions: an item's views and downloads, per category (the category's listing)
  and for the whole center (the index's latest items), bumped on every count.
"""

import time
from collections.abc import Callable

from django.core.cache import cache
from django.db import transaction
from django.utils.safestring import SafeString, mark_safe
from wagtail.models import Page

from core.cache import read_with_every_request
from people.caching import VERSION_SECONDS

CONTENT_VERSION_KEY = "knowledge:content-version"
ACCESS_VERSION_KEY = "knowledge:access-version"
COUNTERS_VERSION_KEY = "knowledge:counters-version"
read_with_every_request(CONTENT_VERSION_KEY, ACCESS_VERSION_KEY)
FRAGMENT_SECONDS = 3600


def _category_counters_key(category_path: str) -> str:
    return f"{COUNTERS_VERSION_KEY}:{category_path}"


def _version(key: str) -> int:
    version = cache.get(key)
    if version is None:
        version = time.time_ns()
        cache.add(key, version, timeout=VERSION_SECONDS)
    return version


def content_version() -> int:
    return _version(CONTENT_VERSION_KEY)


def access_version() -> int:
    return _version(ACCESS_VERSION_KEY)


def counters_version(category_path: str | None = None) -> int:
    """Of the items directly in the category at `category_path`; None: of every item."""
    return _version(
        COUNTERS_VERSION_KEY if category_path is None else _category_counters_key(category_path)
    )


def cached_fragment(key: str, render: Callable[[], str]) -> SafeString:
    """HTML rendered once per `key`, which must carry the versions of all it shows."""
    html = cache.get(key)
    if html is None:
        html = render()
        cache.set(key, html, FRAGMENT_SECONDS)
    return mark_safe(html)


def bump_content() -> None:
    _bump(CONTENT_VERSION_KEY)


def bump_access() -> None:
    _bump(ACCESS_VERSION_KEY, CONTENT_VERSION_KEY)


def bump_counters(item_path: str) -> None:
    _bump(COUNTERS_VERSION_KEY, _category_counters_key(item_path[: -Page.steplen]))


def _bump(*keys: str) -> None:
    # Now, for reads later in the writer's own transaction; again on commit, in case a concurrent
    # reader cached the old rows in between.
    def bump():
        now = time.time_ns()
        cache.set_many(dict.fromkeys(keys, now), timeout=VERSION_SECONDS)

    bump()
    transaction.on_commit(bump)

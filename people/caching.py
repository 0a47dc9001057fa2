"""Values about one user, cached until that user's people data changes.

A key carries the user's version and a global version. people.signals bumps the user's version
when their account, posts, roles or requests change, and the global one when the organization
changes; bulk writers (the HR import) call `forget_everyone`. With several processes the
cache must be shared (CACHE_URL; production refuses to start without it) for a bump to reach them
all. Every key expires, so a change that bypassed the signals (a bulk update, the shell) is
honoured after CACHE_SECONDS at the latest.
"""

import time
from collections.abc import Callable
from typing import Any

from django.core.cache import cache
from django.db import transaction

from core.cache import read_with_every_request, versioned_key

EVERYONE_VERSION_KEY = "people:version"
# Everyone's directory entries (names, posts, phones): any account or post change bumps it.
DIRECTORY_VERSION_KEY = "people:directory-version"
read_with_every_request(EVERYONE_VERSION_KEY)
CACHE_SECONDS = 300
# Longer than any value lives: an expired version only costs a recomputation.
VERSION_SECONDS = 24 * 3600
_MISSING = object()


def _user_version_key(user_id: int) -> str:
    return f"people:version:{user_id}"


def _versions(user) -> str:
    versions = getattr(user, "_people_cache_versions", None)
    if versions is None:
        keys = [EVERYONE_VERSION_KEY, _user_version_key(user.pk)]
        found = cache.get_many(keys)
        for key in keys:
            if key not in found:
                found[key] = time.time_ns()
                cache.add(key, found[key], VERSION_SECONDS)
        versions = f"{found[keys[0]]}.{found[keys[1]]}"
        user._people_cache_versions = versions
    return versions


def cached_for_user(user, name: str, compute: Callable[[], Any]) -> Any:
    """`compute()`'s value for this user, from the cache while their people data is unchanged."""
    key = versioned_key("people", name, user.pk, _versions(user))
    value = cache.get(key, _MISSING)
    if value is _MISSING:
        value = compute()
        cache.set(key, value, CACHE_SECONDS)
    return value


def organization_version() -> int:
    """The global version: it changes with the organization, groups and bulk writes."""
    return _version(EVERYONE_VERSION_KEY)


def directory_version() -> int:
    return _version(DIRECTORY_VERSION_KEY)


def _version(key: str) -> int:
    version = cache.get(key)
    if version is None:
        version = time.time_ns()
        cache.add(key, version, VERSION_SECONDS)
    return version


def forget_directory() -> None:
    _bump(DIRECTORY_VERSION_KEY)


def forget_user(user_id: int) -> None:
    _bump(_user_version_key(user_id))


def forget_everyone() -> None:
    _bump(EVERYONE_VERSION_KEY)


def _bump(key: str) -> None:
    # Now, for reads later in the writer's own transaction; again on commit, in case a concurrent
    # reader cached the old rows in between.
    cache.set(key, time.time_ns(), VERSION_SECONDS)
    transaction.on_commit(lambda: cache.set(key, time.time_ns(), VERSION_SECONDS))

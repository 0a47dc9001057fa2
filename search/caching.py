"""The version of the database index's content: the database backend's answers are cached under
it. Every write of entries (the outbox drain, a reindex) and every change of a best bet bumps it."""

import time

from django.core.cache import cache
from django.db import transaction

from core.cache import read_with_every_request
from people.caching import VERSION_SECONDS

INDEX_VERSION_KEY = "search:index-version"
read_with_every_request(INDEX_VERSION_KEY)
RESULTS_SECONDS = 3600


def index_version() -> int:
    version = cache.get(INDEX_VERSION_KEY)
    if version is None:
        version = time.time_ns()
        cache.add(INDEX_VERSION_KEY, version, VERSION_SECONDS)
    return version


def forget_results() -> None:
    # Now, and again on commit, in case a concurrent search cached the old rows in between.
    def bump():
        cache.set(INDEX_VERSION_KEY, time.time_ns(), VERSION_SECONDS)

    bump()
    transaction.on_commit(bump)

"""The shared cache (Redis), with a memory of what the current request has read and a
per-process copy of the values that never change.

A page asks the cache for the same key several times (each menu entry, each portal panel asks
whether the agenda is on for the user's unit; every per-user value reads the user's version),
and each ask is a round trip to Redis, which on a busy host costs more than the rest of the
page. Within one request the first answer for a key is reused. Nothing is kept between requests,
so a change written by another process is seen by the next request; a write through this process
forgets the key, so the request reads it back from Redis afterwards. Outside requests (workers,
commands) every read goes to Redis.

Versioned values never change: their key carries the version of what they were computed from
(`versioned_key`), and a writer bumps the version instead of overwriting the value. Each process
also keeps those it has read, for at most LOCAL_SECONDS, so a page asks Redis only for the
current versions. Fragments of `{% cache %}` are versioned too: every one of them varies on a
content version (home_page.html).

The versions every page reads (the site's, the menus', the content's) are named with
`read_with_every_request`; the request's first read fetches them all in the same round trip.
"""

import contextvars
import time
from collections import OrderedDict

from django.core.cache.backends.base import DEFAULT_TIMEOUT
from django.core.cache.backends.locmem import LocMemCache
from django.core.cache.backends.redis import RedisCache, RedisCacheClient
from django.core.signals import request_finished, request_started
from django.dispatch import receiver

from core import page_cache

_reads = contextvars.ContextVar("intranet_cache_reads", default=None)
_ABSENT = object()
VERSIONED_PREFIXES = ("versioned:", "template.cache.")
# Bounds how long past its expiry in Redis a versioned value lives on in a process.
LOCAL_SECONDS = 30
LOCAL_ENTRIES = 2000


_every_request_keys: set[str] = set()
_FETCHED_EVERY_REQUEST_KEYS = object()


def read_with_every_request(*keys: str) -> None:
    _every_request_keys.update(keys)


def versioned_key(*parts) -> str:
    """A key for a value that is never overwritten: `parts` must include the version of
    everything the value was computed from."""
    return ":".join(["versioned", *map(str, parts)])


@receiver(request_started)
def _remember_reads(**kwargs):
    _reads.set({})


@receiver(request_finished)
def _forget_reads(**kwargs):
    _reads.set(None)


class _PageDependencies:
    """Tells `core.page_cache` what a page being rendered reads from the cache and writes to it."""

    def get(self, key, default=None, version=None):
        value = super().get(key, _ABSENT, version)
        page_cache.note_cache_read(key, page_cache.ABSENT if value is _ABSENT else value)
        return default if value is _ABSENT else value

    def get_many(self, keys, version=None):
        keys = list(keys)
        found = super().get_many(keys, version)
        for key in keys:
            page_cache.note_cache_read(key, found.get(key, page_cache.ABSENT))
        return found

    def has_key(self, key, version=None):
        return self.get(key, _ABSENT, version) is not _ABSENT

    def set(self, key, value, timeout=DEFAULT_TIMEOUT, version=None):
        page_cache.note_cache_write(key, value)
        return super().set(key, value, timeout, version)

    def set_many(self, data, timeout=DEFAULT_TIMEOUT, version=None):
        for key, value in data.items():
            page_cache.note_cache_write(key, value)
        return super().set_many(data, timeout, version)

    def add(self, key, value, timeout=DEFAULT_TIMEOUT, version=None):
        added = super().add(key, value, timeout, version)
        if added:
            page_cache.note_cache_write(key, value)
        else:
            page_cache.note_unknown_cache_state()
        return added

    def incr(self, key, delta=1, version=None):
        value = super().incr(key, delta, version)
        page_cache.note_cache_write(key, value)
        return value

    def delete(self, key, version=None):
        page_cache.note_cache_write(key, page_cache.ABSENT)
        return super().delete(key, version)

    def delete_many(self, keys, version=None):
        keys = list(keys)
        for key in keys:
            page_cache.note_cache_write(key, page_cache.ABSENT)
        return super().delete_many(keys, version)

    def clear(self):
        page_cache.note_unknown_cache_state()
        return super().clear()


class PerProcessCache(_PageDependencies, LocMemCache):
    """Development and tests without CACHE_URL: one process's memory."""


class _ReusedClients(RedisCacheClient):
    """Django builds a new redis.Redis (and its table of ~160 reply parsers) for every command;
    a client is only a handle on its pool and safe to share between threads, so one per pool."""

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self._clients = {}

    def get_client(self, key=None, *, write=False):
        index = self._get_connection_pool_index(write)
        client = self._clients.get(index)
        if client is None:
            client = self._client(connection_pool=self._get_connection_pool(write))
            self._clients[index] = client
        return client


class _RequestMemoRedisCache(RedisCache):
    def __init__(self, server, params):
        super().__init__(server, params)
        self._class = _ReusedClients
        self._local = OrderedDict()

    def get(self, key, default=None, version=None):
        value = self.get_many([key], version).get(key, _ABSENT)
        return default if value is _ABSENT else value

    def get_many(self, keys, version=None):
        requested = list(keys)
        reads = _reads.get()
        if reads is None:
            reads = {}
        elif _FETCHED_EVERY_REQUEST_KEYS not in reads:
            reads[_FETCHED_EVERY_REQUEST_KEYS] = True
            keys = [*requested, *(_every_request_keys - set(requested))]
        full_keys = {key: self.make_and_validate_key(key, version=version) for key in keys}
        for key, full_key in full_keys.items():
            if full_key not in reads and _is_versioned(key):
                value = self._local_get(full_key)
                if value is not _ABSENT:
                    reads[full_key] = value
        unread = [key for key, full_key in full_keys.items() if full_key not in reads]
        if unread:
            found = super().get_many(unread, version)
            for key in unread:
                value = found.get(key, _ABSENT)
                reads[full_keys[key]] = value
                if value is not _ABSENT and _is_versioned(key):
                    self._local_set(full_keys[key], value, LOCAL_SECONDS)
        return {
            key: reads[full_keys[key]] for key in requested if reads[full_keys[key]] is not _ABSENT
        }

    def set(self, key, value, timeout=DEFAULT_TIMEOUT, version=None):
        self._forget(key, version)
        if _is_versioned(key):
            seconds = self.get_backend_timeout(timeout)
            self._local_set(
                self.make_and_validate_key(key, version=version),
                value,
                LOCAL_SECONDS if seconds is None else min(seconds, LOCAL_SECONDS),
            )
        return super().set(key, value, timeout, version)

    def add(self, key, value, timeout=DEFAULT_TIMEOUT, version=None):
        self._forget(key, version)
        return super().add(key, value, timeout, version)

    def touch(self, key, timeout=DEFAULT_TIMEOUT, version=None):
        self._forget(key, version)
        return super().touch(key, timeout, version)

    def delete(self, key, version=None):
        self._forget(key, version)
        return super().delete(key, version)

    def incr(self, key, delta=1, version=None):
        self._forget(key, version)
        return super().incr(key, delta, version)

    def set_many(self, data, timeout=DEFAULT_TIMEOUT, version=None):
        for key in data:
            self._forget(key, version)
        return super().set_many(data, timeout, version)

    def delete_many(self, keys, version=None):
        for key in keys:
            self._forget(key, version)
        return super().delete_many(keys, version)

    def clear(self):
        self._local.clear()
        reads = _reads.get()
        if reads is not None:
            reads.clear()
        return super().clear()

    def _forget(self, key, version):
        full_key = self.make_and_validate_key(key, version=version)
        self._local.pop(full_key, None)
        reads = _reads.get()
        if reads is not None:
            reads.pop(full_key, None)

    def _local_get(self, full_key):
        value, expires = self._local.get(full_key, (_ABSENT, 0))
        if expires < time.monotonic():
            self._local.pop(full_key, None)
            return _ABSENT
        return value

    def _local_set(self, full_key, value, seconds):
        if seconds <= 0:
            return
        self._local[full_key] = (value, time.monotonic() + seconds)
        self._local.move_to_end(full_key)
        while len(self._local) > LOCAL_ENTRIES:
            self._local.popitem(last=False)


def _is_versioned(key) -> bool:
    return key.startswith(VERSIONED_PREFIXES)


class RequestMemoRedisCache(_PageDependencies, _RequestMemoRedisCache):
    pass

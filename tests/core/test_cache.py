"""The shared cache remembers a request's reads and keeps versioned values per process, and
nothing it keeps is stale: another process's write is seen by the next request, and a writer's
version bump shows at once (against the real Redis; skipped without one)."""

import secrets

import pytest
import redis
from django.core.cache import caches
from django.core.cache.backends.redis import RedisCache
from django.core.signals import request_finished, request_started
from django.test import override_settings

from core.cache import RequestMemoRedisCache, versioned_key
from people.models import Role
from people.services import role_grant

REDIS_URL = "redis://127.0.0.1:6379/15"


def _redis_reachable() -> bool:
    try:
        return redis.Redis.from_url(REDIS_URL, socket_connect_timeout=1).ping()
    except redis.RedisError:
        return False


pytestmark = [
    pytest.mark.skipif(not _redis_reachable(), reason="no Redis on 127.0.0.1:6379"),
    # Starting and finishing a request (the signals) closes stale database connections.
    pytest.mark.django_db,
]


def backend(prefix):
    return RequestMemoRedisCache(REDIS_URL, {"KEY_PREFIX": prefix})


@pytest.fixture
def prefix():
    return f"test-{secrets.token_hex(4)}"


@pytest.fixture
def in_request():
    request_started.send(sender=None)
    yield
    request_finished.send(sender=None)


def test_a_request_reads_a_key_once_and_the_next_request_sees_other_writes(prefix):
    mine, other_process = backend(prefix), RedisCache(REDIS_URL, {"KEY_PREFIX": prefix})
    other_process.set("menu-version", 1)

    request_started.send(sender=None)
    assert mine.get("menu-version") == 1
    other_process.set("menu-version", 2)
    assert mine.get("menu-version") == 1
    request_finished.send(sender=None)

    request_started.send(sender=None)
    assert mine.get("menu-version") == 2
    request_finished.send(sender=None)


def test_a_write_in_the_request_is_read_back(prefix, in_request):
    mine = backend(prefix)
    assert mine.get("version") is None
    mine.set("version", 5)
    assert mine.get("version") == 5
    mine.incr("version")
    assert mine.get_many(["version", "missing"]) == {"version": 6}
    mine.delete("version")
    assert mine.get("version", "gone") == "gone"


def test_outside_requests_every_read_goes_to_redis(prefix):
    mine, other_process = backend(prefix), backend(prefix)
    mine.set("flag", "a")
    other_process.set("flag", "b")
    assert mine.get("flag") == "b"


def test_versioned_values_are_kept_per_process_and_a_new_version_is_read(prefix):
    mine, other_process = backend(prefix), backend(prefix)
    other_process.set(versioned_key("roles", 7, "v1"), ["clerk"])
    assert mine.get(versioned_key("roles", 7, "v1")) == ["clerk"]
    other_process.delete(versioned_key("roles", 7, "v1"))

    # Kept by this process: the key's value can never change, only its version.
    assert mine.get(versioned_key("roles", 7, "v1")) == ["clerk"]
    other_process.set(versioned_key("roles", 7, "v2"), ["clerk", "admin"])
    assert mine.get(versioned_key("roles", 7, "v2")) == ["clerk", "admin"]


def test_unversioned_values_are_not_kept_per_process(prefix):
    mine, other_process = backend(prefix), backend(prefix)
    other_process.set("section-urls", {"news": "/news/"})
    assert mine.get("section-urls") == {"news": "/news/"}
    other_process.delete("section-urls")
    assert mine.get("section-urls") is None


def test_with_the_shared_cache_a_granted_role_shows_on_the_next_page(
    prefix, staff_client, staff, portal
):
    location = {"BACKEND": "core.cache.RequestMemoRedisCache", "LOCATION": REDIS_URL}
    with override_settings(CACHES={"default": {**location, "KEY_PREFIX": prefix}}):
        assert "/people/admin/users/" not in staff_client.get("/").content.decode()

        role_grant(actor=None, user=staff, role=Role.UNIT_ADMIN, unit=staff.department.unit)

        assert "/people/admin/users/" in staff_client.get("/").content.decode()
        assert isinstance(caches["default"], RequestMemoRedisCache)


def test_the_keys_read_with_every_request_come_with_its_first_read(prefix, monkeypatch):
    from core import cache as shared_cache

    monkeypatch.setattr(shared_cache, "_every_request_keys", {"site-version", "menu-version"})
    mine, other_process = backend(prefix), RedisCache(REDIS_URL, {"KEY_PREFIX": prefix})
    other_process.set_many({"site-version": 3, "menu-version": 4, "user-version": 5})

    request_started.send(sender=None)
    assert mine.get("user-version") == 5
    other_process.set_many({"site-version": 30, "menu-version": 40})
    # Fetched with the first read: the request goes on with the versions it started with.
    assert mine.get_many(["site-version", "menu-version"]) == {
        "site-version": 3,
        "menu-version": 4,
    }
    request_finished.send(sender=None)

    request_started.send(sender=None)
    assert mine.get("site-version") == 30
    request_finished.send(sender=None)

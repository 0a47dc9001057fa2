import sqlite3
from contextlib import contextmanager

import pytest
from django.conf import settings
from django.core.cache import cache
from django.db import connection
from django.utils import translation
from wagtail.coreutils import get_supported_content_language_variant
from wagtail.models import Collection, Locale, Page

from core import page_cache
from home.services import portal_ensure, publishing_roots_ensure
from knowledge.services import knowledge_root_ensure
from people.models import OrgUnit
from tests.factories import OrgUnitFactory, UserFactory
from tests.factories.people import TEST_PASSWORD


def _rendering(assert_queries):
    """Query budgets are a page's rendering, not the kept copy (core.page_cache) a repeated
    request is answered with."""

    @contextmanager
    def counting(*args, **kwargs):
        with page_cache.bypassed(), assert_queries(*args, **kwargs) as captured:
            yield captured

    return counting


@pytest.fixture
def django_assert_max_num_queries(django_assert_max_num_queries):
    return _rendering(django_assert_max_num_queries)


@pytest.fixture
def django_assert_num_queries(django_assert_num_queries):
    return _rendering(django_assert_num_queries)


@pytest.fixture(autouse=True)
def _fresh_cache():
    cache.clear()
    yield
    cache.clear()


def restore_wagtail_base_rows():
    """Wagtail's migrations create a locale, a root page and a root collection. Tests that run
    outside a transaction end with a flush that drops them; the next such test puts them back."""
    locale, _created = Locale.objects.get_or_create(
        language_code=get_supported_content_language_variant(settings.LANGUAGE_CODE)
    )
    if not Page.get_first_root_node():
        Page.add_root(instance=Page(title="Root", slug="root", locale=locale))
    if not Collection.get_first_root_node():
        Collection.add_root(name="Root")


@pytest.fixture(autouse=True)
def _wagtail_base_rows(request):
    """The suite runs spread over processes, so a test that ends with a flush (transaction=True)
    may come before others on the same worker: give every database test Wagtail's base rows."""
    marker = request.node.get_closest_marker("django_db")
    if marker is None and "db" not in request.fixturenames:
        return
    transactional = marker is not None and (
        marker.kwargs.get("transaction") or (marker.args and marker.args[0])
    )
    if transactional or {"transactional_db", "live_server"} & set(request.fixturenames):
        return
    request.getfixturevalue("db")
    restore_wagtail_base_rows()


@pytest.fixture(autouse=True)
def _quick_seal_keys(monkeypatch):
    # 2048-bit keys are made ten times faster than the 3072-bit ones of production.
    from workflow.seal import keys

    monkeypatch.setattr(keys, "KEY_BITS", 2048)


@pytest.fixture
def english_messages():
    """For tests that match a refusal by its English wording; users read it in Chinese."""
    with translation.override("en"):
        yield


@pytest.fixture
def portal(db):
    """The portal page tree as `load_demo` builds it: home, news, notices, knowledge."""
    restore_wagtail_base_rows()
    home = portal_ensure(site_name="东方重工集团")
    publishing_roots_ensure(home)
    knowledge_root_ensure(home)
    return home


@pytest.fixture
def headquarters(db):
    return OrgUnitFactory(code="HQ", name="东方重工集团有限公司", kind=OrgUnit.Kind.HEADQUARTERS)


@pytest.fixture
def unit_a(headquarters):
    return OrgUnitFactory(parent=headquarters, code="UA", name="甲单位", kind=OrgUnit.Kind.UNIT)


@pytest.fixture
def staff(unit_a):
    department = OrgUnitFactory(
        parent=unit_a, code="UA-BGS", name="综合办公室", kind=OrgUnit.Kind.DEPARTMENT
    )
    return UserFactory(username="zhangsan", name="张三", department=department, position="科员")


@pytest.fixture
def staff_client(client, staff):
    client.force_login(staff)
    return client


@pytest.fixture
def password():
    return TEST_PASSWORD


@pytest.fixture(scope="session")
def sqlite_schema_file(django_db_setup, django_db_blocker, tmp_path_factory):
    """A file copy of the suite's migrated SQLite database, for tests that run the application
    in processes of their own (copy it again per test), sparing them the migrations; None when
    the suite runs on another database (those processes then migrate their file themselves).
    Mark the tests that use it `django_db`: pytest-django creates the test database only then."""
    if connection.vendor != "sqlite" or not connection.is_in_memory_db():
        return None
    path = tmp_path_factory.mktemp("schema") / "db.sqlite3"
    with django_db_blocker.unblock():
        connection.ensure_connection()
        target = sqlite3.connect(path)
        try:
            connection.connection.backup(target)
        finally:
            target.close()
    return path


@pytest.fixture
def object_storage(settings, monkeypatch):
    """Both storages in an S3 bucket (moto's in-process fake), as S3_BUCKET configures them; the
    bucket's client for looking inside."""
    import boto3
    from moto import mock_aws

    from intranet.settings.environment import storages_from_env

    for name, value in {
        "S3_BUCKET": "xietong-test",
        "S3_ACCESS_KEY_ID": "test",
        "S3_SECRET_ACCESS_KEY": "test-secret",
        "S3_REGION": "us-east-1",
    }.items():
        monkeypatch.setenv(name, value)
    monkeypatch.delenv("S3_ENDPOINT_URL", raising=False)
    with mock_aws():
        bucket = boto3.client("s3", region_name="us-east-1")
        bucket.create_bucket(Bucket="xietong-test")
        settings.STORAGES = {**storages_from_env(), "staticfiles": settings.STORAGES["staticfiles"]}
        yield bucket


def bucket_keys(bucket) -> list[str]:
    return [
        item["Key"] for item in bucket.list_objects_v2(Bucket="xietong-test").get("Contents", [])
    ]

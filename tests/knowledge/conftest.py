"""Fixtures of the knowledge-center tests: two units, a category tree, editors, private media."""

import pytest
from django.test import Client

from knowledge.models import CategoryAccess, KnowledgeIndexPage
from knowledge.services import category_access_update
from people.models import OrgUnit
from tests.factories import OrgUnitFactory, UserFactory
from tests.factories.knowledge import KnowledgeCategoryPageFactory


@pytest.fixture(autouse=True)
def _private_media(settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path / "media"


@pytest.fixture
def knowledge_index(portal):
    return KnowledgeIndexPage.objects.get()


@pytest.fixture
def unit_b(headquarters):
    return OrgUnitFactory(parent=headquarters, code="UB", name="乙单位", kind=OrgUnit.Kind.UNIT)


@pytest.fixture
def other_staff(unit_b):
    department = OrgUnitFactory(
        parent=unit_b, code="UB-SCB", name="生产部", kind=OrgUnit.Kind.DEPARTMENT
    )
    return UserFactory(username="lisi", name="李四", department=department)


@pytest.fixture
def other_client(other_staff):
    """A second browser, so tests can compare two users side by side."""
    client = Client()
    client.force_login(other_staff)
    return client


@pytest.fixture
def administrator(db):
    return UserFactory(username="admin", name="管理员", is_superuser=True, is_staff=True)


@pytest.fixture
def rules(knowledge_index):
    """规章制度: open to everyone."""
    return KnowledgeCategoryPageFactory(parent=knowledge_index, title="规章制度", slug="rules")


@pytest.fixture
def unit_a_only(knowledge_index, unit_a, administrator):
    """甲单位专区: only unit A (and below) may view."""
    category = KnowledgeCategoryPageFactory(
        parent=knowledge_index, title="甲单位专区", slug="unit-a-only", owner_unit=unit_a
    )
    restrict(category, administrator, units=[unit_a])
    return category


def restrict(category, administrator, *, units=(), groups=(), editors=()):
    return category_access_update(
        category=category,
        user=administrator,
        view_rule=CategoryAccess.ViewRule.RESTRICTED,
        view_units=list(units),
        view_groups=list(groups),
        edit_users=list(editors),
    )


def grant_editors(category, administrator, *users, groups=()):
    access = CategoryAccess.objects.filter(category=category).first()
    return category_access_update(
        category=category,
        user=administrator,
        view_rule=access.view_rule if access else CategoryAccess.ViewRule.INHERIT,
        view_units=list(access.view_units.all()) if access else [],
        view_groups=list(access.view_groups.all()) if access else [],
        edit_users=list(users),
        edit_groups=list(groups),
    )


@pytest.fixture
def editor(rules, administrator, unit_a):
    """A knowledge editor of 规章制度 in unit A."""
    department = OrgUnitFactory(
        parent=unit_a, code="UA-JSB", name="技术部", kind=OrgUnit.Kind.DEPARTMENT
    )
    user = UserFactory(username="editor", name="编辑", department=department)
    grant_editors(rules, administrator, user)
    return user

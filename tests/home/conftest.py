"""Fixtures shared by the publishing tests."""

import pytest

from home.models import NoticeIndexPage
from people.models import OrgUnit
from tests.factories import OrgUnitFactory, UserFactory


@pytest.fixture
def notice_index(portal):
    return NoticeIndexPage.objects.get()


@pytest.fixture
def issuer(headquarters):
    office = OrgUnitFactory(
        parent=headquarters, code="HQ-BGS", name="集团办公室", kind=OrgUnit.Kind.DEPARTMENT
    )
    return UserFactory(username="issuer", name="发布人", department=office)

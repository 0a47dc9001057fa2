"""Two units with their fonds and archivists, a reader of unit A and items filed for the tests of
the archive's use (search, reading, borrowing, review and destruction)."""

import pytest

from people.models import OrgUnit, Role
from search import principals
from tests.factories import OrgUnitFactory, RoleAssignmentFactory, UserFactory
from tests.factories.archive import archived_item, archivist_of, fonds_of
from tests.factories.incoming import unit_member


@pytest.fixture
def unit_b(headquarters):
    return OrgUnitFactory(parent=headquarters, code="UB", name="乙单位", kind=OrgUnit.Kind.UNIT)


@pytest.fixture
def fonds_a(unit_a):
    return fonds_of(unit_a, "Z109")


@pytest.fixture
def fonds_b(unit_b):
    return fonds_of(unit_b, "Z110")


@pytest.fixture
def archivist_a(unit_a):
    return archivist_of(unit_a, "UA-DAS", username="archivist_a", name="甲档案员")


@pytest.fixture
def second_archivist_a(archivist_a, unit_a):
    user = UserFactory(
        department=archivist_a.department, username="archivist_a2", name="甲档案员二"
    )
    RoleAssignmentFactory(user=user, role=Role.ARCHIVIST, unit=unit_a)
    return user


@pytest.fixture
def unit_admin_a(unit_a):
    user = unit_member(unit_a, "UA-RS", username="admin_a", name="甲管理员")
    RoleAssignmentFactory(user=user, role=Role.UNIT_ADMIN, unit=unit_a)
    return user


@pytest.fixture
def archivist_b(unit_b):
    return archivist_of(unit_b, "UB-DAS", username="archivist_b", name="乙档案员")


@pytest.fixture
def staff_b(unit_b):
    return unit_member(unit_b, "UB-BGS", username="staff_b", name="乙科员")


@pytest.fixture
def colleague_a(staff):
    """Someone of unit A's same department, outside the item's audience."""
    return UserFactory(department=staff.department, username="colleague_a", name="甲同事")


@pytest.fixture
def item(fonds_a, archivist_a, staff):
    """A controlled item of unit A whose audience is the reader `staff`."""
    return archived_item(
        fonds_a,
        archivist_a,
        title="关于印发安全生产责任制的通知",
        audience=(principals.user(staff.pk),),
    )

"""Role checks every other app relies on."""

import pytest

from people.models import OrgUnit, Role
from people.permissions import holds_role_for, is_system_admin
from tests.factories import OrgUnitFactory, RoleAssignmentFactory, UserFactory

pytestmark = pytest.mark.django_db


@pytest.fixture
def unit_b(headquarters):
    return OrgUnitFactory(parent=headquarters, code="UB", name="乙单位", kind=OrgUnit.Kind.UNIT)


def test_system_admin_is_recognised_and_others_are_not(staff):
    admin = UserFactory()
    RoleAssignmentFactory(user=admin, role=Role.SYSTEM_ADMIN, unit=None)
    assert is_system_admin(admin)
    assert not is_system_admin(staff)


def test_a_unit_role_covers_the_unit_subtree_only(unit_a, unit_b, staff):
    clerk = UserFactory()
    RoleAssignmentFactory(user=clerk, role=Role.FILE_CLERK, unit=unit_a)
    assert holds_role_for(clerk, Role.FILE_CLERK, unit_a)
    assert holds_role_for(clerk, Role.FILE_CLERK, staff.department)
    assert not holds_role_for(clerk, Role.FILE_CLERK, unit_b)
    assert not holds_role_for(clerk, Role.UNIT_ADMIN, unit_a)


def test_departments_know_their_unit(unit_a, staff, headquarters):
    assert staff.department.unit == unit_a
    hq_department = OrgUnitFactory(
        parent=headquarters, code="HQ-BGS", name="办公室", kind=OrgUnit.Kind.DEPARTMENT
    )
    assert hq_department.unit == headquarters

"""Role checks every other app relies on."""

import pytest
from django.contrib.auth.models import AnonymousUser

from people.models import ConcurrentPost, OrgUnit, Role
from people.permissions import holds_role_for, holds_role_for_unit, is_system_admin, org_paths
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


def test_a_role_for_exactly_this_unit_is_not_reached_from_above_or_below(
    headquarters, unit_a, unit_b, staff
):
    clerk = UserFactory()
    RoleAssignmentFactory(user=clerk, role=Role.FILE_CLERK, unit=unit_a)
    group_clerk = UserFactory()
    RoleAssignmentFactory(user=group_clerk, role=Role.FILE_CLERK, unit=headquarters)

    assert holds_role_for_unit(clerk, Role.FILE_CLERK, unit_a)
    assert not holds_role_for_unit(clerk, Role.FILE_CLERK, staff.department)
    assert not holds_role_for_unit(clerk, Role.FILE_CLERK, unit_b)
    assert not holds_role_for_unit(clerk, Role.PROCESS_ADMIN, unit_a)
    assert not holds_role_for_unit(group_clerk, Role.FILE_CLERK, unit_a)
    assert not holds_role_for_unit(staff, Role.FILE_CLERK, unit_a)


def test_a_disabled_holder_holds_no_unit_role(unit_a):
    clerk = UserFactory(is_active=False)
    RoleAssignmentFactory(user=clerk, role=Role.FILE_CLERK, unit=unit_a)

    assert not holds_role_for_unit(clerk, Role.FILE_CLERK, unit_a)


def test_the_unit_roles_are_read_once_per_request(unit_a, unit_b, django_assert_num_queries):
    clerk = UserFactory()
    RoleAssignmentFactory(user=clerk, role=Role.FILE_CLERK, unit=unit_a)

    with django_assert_num_queries(1):
        assert holds_role_for_unit(clerk, Role.FILE_CLERK, unit_a)
        assert not holds_role_for_unit(clerk, Role.FILE_CLERK, unit_b)


def test_org_paths_reach_from_every_department_held_up_to_the_root(
    headquarters, unit_a, unit_b, staff, django_assert_num_queries
):
    other_department = OrgUnitFactory(
        parent=unit_b, code="UB-AQ", name="安全部", kind=OrgUnit.Kind.DEPARTMENT
    )
    ConcurrentPost.objects.create(user=staff, department=other_department, position="兼职安全员")

    with django_assert_num_queries(1):
        paths = org_paths(staff)

    held = [headquarters, unit_a, staff.department, unit_b, other_department]
    assert paths == sorted(node.path for node in held)


def test_org_paths_leave_out_units_beside_the_user(unit_a, unit_b, staff):
    sibling = OrgUnitFactory(
        parent=unit_a, code="UA-CW", name="财务部", kind=OrgUnit.Kind.DEPARTMENT
    )

    assert unit_b.path not in org_paths(staff)
    assert sibling.path not in org_paths(staff)


def test_a_user_without_a_department_or_signed_out_has_no_org_paths(unit_a):
    posted = UserFactory(department=None)
    ConcurrentPost.objects.create(user=posted, department=unit_a)

    assert org_paths(UserFactory(department=None)) == []
    assert org_paths(posted) == [unit_a.path[: OrgUnit.steplen], unit_a.path]
    assert org_paths(AnonymousUser()) == []

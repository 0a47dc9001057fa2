"""A user's principals: what entries' access lists are matched against."""

import pytest
from django.contrib.auth.models import Group

from people.models import ConcurrentPost, OrgUnit, Role
from search.principals import principals_for
from tests.factories import OrgUnitFactory, RoleAssignmentFactory, UserFactory

pytestmark = pytest.mark.django_db


def test_departments_posts_groups_and_roles(headquarters, unit_a, staff):
    other = OrgUnitFactory(parent=headquarters, code="UB", kind=OrgUnit.Kind.UNIT)
    post = OrgUnitFactory(parent=other, code="UB-X", kind=OrgUnit.Kind.DEPARTMENT)
    ConcurrentPost.objects.create(user=staff, department=post)
    group = Group.objects.create(name="g")
    staff.groups.add(group)
    RoleAssignmentFactory(user=staff, role=Role.FILE_CLERK, unit=unit_a)
    assert set(principals_for(staff)) == {
        "all",
        f"user:{staff.pk}",
        f"org:{headquarters.path}",
        f"org:{unit_a.path}",
        f"org:{staff.department.path}",
        f"org:{other.path}",
        f"org:{post.path}",
        f"group:{group.pk}",
        f"role:file_clerk:{unit_a.pk}",
    }


def test_a_system_administrator_holds_no_extra_principal(unit_a):
    admin = UserFactory()
    RoleAssignmentFactory(user=admin, role=Role.SYSTEM_ADMIN, unit=None)
    assert set(principals_for(admin)) == {"all", f"user:{admin.pk}"}


def test_inactive_and_anonymous_hold_none(staff):
    from django.contrib.auth.models import AnonymousUser

    staff.is_active = False
    assert principals_for(staff) == ()
    assert principals_for(AnonymousUser()) == ()


def test_read_with_bounded_queries(staff, django_assert_max_num_queries):
    with django_assert_max_num_queries(4):
        principals_for(staff)
    with django_assert_max_num_queries(0):
        principals_for(staff)

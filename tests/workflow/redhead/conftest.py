import pytest

from people.models import OrgUnit, Role
from tests.factories import OrgUnitFactory, RoleAssignmentFactory, UserFactory


@pytest.fixture
def unit_b(headquarters):
    return OrgUnitFactory(parent=headquarters, code="UB", name="乙单位", kind=OrgUnit.Kind.UNIT)


@pytest.fixture
def process_admin_a(unit_a):
    user = UserFactory(username="flow_a", name="甲流程")
    RoleAssignmentFactory(user=user, role=Role.PROCESS_ADMIN, unit=unit_a)
    return user


@pytest.fixture
def process_admin_b(unit_b):
    user = UserFactory(username="flow_b", name="乙流程")
    RoleAssignmentFactory(user=user, role=Role.PROCESS_ADMIN, unit=unit_b)
    return user


@pytest.fixture
def system_admin():
    user = UserFactory(username="sys", name="系统管理员")
    RoleAssignmentFactory(user=user, role=Role.SYSTEM_ADMIN, unit=None)
    return user

import pytest

from people.models import OrgUnit, Role
from tests.factories import OrgUnitFactory, RoleAssignmentFactory, UserFactory
from tests.factories.documents_print import DocumentPrefixFactory


@pytest.fixture
def unit_b(headquarters):
    return OrgUnitFactory(parent=headquarters, code="UB", name="乙单位", kind=OrgUnit.Kind.UNIT)


def _holder(role: Role, unit: OrgUnit | None, **user_fields):
    user = UserFactory(**user_fields)
    RoleAssignmentFactory(user=user, role=role, unit=unit)
    return user


@pytest.fixture
def clerk_a(unit_a):
    """The document clerk (文件管理员) of unit A."""
    return _holder(Role.FILE_CLERK, unit_a, username="clerk_a", name="甲文书")


@pytest.fixture
def clerk_b(unit_b):
    return _holder(Role.FILE_CLERK, unit_b, username="clerk_b", name="乙文书")


@pytest.fixture
def clerk_hq(headquarters):
    return _holder(Role.FILE_CLERK, headquarters, username="clerk_hq", name="总部文书")


@pytest.fixture
def process_admin_a(unit_a):
    return _holder(Role.PROCESS_ADMIN, unit_a, username="flow_a", name="甲流程")


@pytest.fixture
def system_admin():
    return _holder(Role.SYSTEM_ADMIN, None, username="sys", name="系统管理员")


@pytest.fixture
def prefix_a(unit_a):
    return DocumentPrefixFactory(unit=unit_a, text="甲字")

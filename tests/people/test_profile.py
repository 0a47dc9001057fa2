import pytest

from people.models import Role
from tests.factories import RoleAssignmentFactory

pytestmark = pytest.mark.django_db


def test_profile_shows_unit_department_and_roles(staff_client, staff, unit_a, portal):
    RoleAssignmentFactory(user=staff, role=Role.FILE_CLERK, unit=unit_a)
    html = staff_client.get("/people/profile/").content.decode()
    assert "张三" in html and "甲单位" in html and "综合办公室" in html
    assert "文件管理员 (甲单位)" in html


def test_profile_of_a_user_without_roles_says_ordinary_user(staff_client, portal):
    assert "普通用户" in staff_client.get("/people/profile/").content.decode()

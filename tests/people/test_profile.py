"""Everyone's own profile: what it shows, the contact details they may edit, their password."""

import pytest
from django.conf import settings

from people.models import AuditEntry, ConcurrentPost, OrgUnit, Role
from tests.factories import OrgUnitFactory, RoleAssignmentFactory, UserFactory

pytestmark = pytest.mark.django_db

NEW_PASSWORD = "Qingshan-Lvshui-77"


@pytest.fixture
def english(client):
    client.cookies[settings.LANGUAGE_COOKIE_NAME] = "en"


def test_profile_shows_unit_department_and_roles(staff_client, staff, unit_a, portal):
    RoleAssignmentFactory(user=staff, role=Role.FILE_CLERK, unit=unit_a)
    html = staff_client.get("/people/profile/").content.decode()
    assert "张三" in html and "甲单位" in html and "综合办公室" in html
    assert "文件管理员 (甲单位)" in html


def test_profile_of_a_user_without_roles_says_ordinary_user(staff_client, portal):
    assert "普通用户" in staff_client.get("/people/profile/").content.decode()


def test_profile_shows_concurrent_posts_contact_and_the_edit_links(
    staff_client, staff, unit_a, english
):
    other = OrgUnitFactory(parent=unit_a, code="UA-SCB", name="生产部", kind="department")
    ConcurrentPost.objects.create(user=staff, department=other, position="安全员")
    staff.mobile, staff.office_phone = "13812345678", "010-6543 2100"
    staff.save()
    html = staff_client.get("/people/profile/").content.decode()
    assert "生产部" in html and "安全员" in html
    assert "13812345678" in html and "010-6543 2100" in html
    assert 'href="/people/profile/edit/"' in html and 'href="/people/profile/password/"' in html


# Contact details


def test_contact_edit_saves_the_contact_fields_and_audits_the_change(staff_client, staff):
    response = staff_client.post(
        "/people/profile/edit/",
        {"email": "zs@example.invalid", "mobile": "13912345678", "office_phone": "+86 10-1234"},
        REMOTE_ADDR="10.1.2.3",
    )
    assert response.status_code == 302 and response.url == "/people/profile/"
    staff.refresh_from_db()
    assert (staff.email, staff.mobile, staff.office_phone) == (
        "zs@example.invalid",
        "13912345678",
        "+86 10-1234",
    )
    entry = AuditEntry.objects.get(action=AuditEntry.Action.USER_UPDATED, target_user=staff)
    assert entry.actor == staff and entry.ip_address == "10.1.2.3"
    assert entry.details["mobile"] == ["", "13912345678"]


def test_contact_edit_form_starts_from_the_current_values(staff_client, staff):
    staff.mobile = "13812345678"
    staff.save()
    html = staff_client.get("/people/profile/edit/").content.decode()
    assert 'value="13812345678"' in html and f'value="{staff.email}"' in html


def test_contact_fields_may_be_emptied(staff_client, staff):
    staff.mobile = "13812345678"
    staff.save()
    staff_client.post("/people/profile/edit/", {"email": staff.email, "mobile": ""})
    staff.refresh_from_db()
    assert staff.mobile == ""


def test_posting_other_fields_changes_nothing_else(staff_client, staff, unit_a):
    elsewhere = OrgUnitFactory(parent=unit_a, code="UA-CWB", name="财务部", kind="department")
    department = staff.department
    staff_client.post(
        "/people/profile/edit/",
        {
            "email": staff.email,
            "mobile": "13912345678",
            "name": "李四",
            "department": elsewhere.pk,
            "position": "总经理",
            "is_leader": "on",
            "is_staff": "on",
            "is_superuser": "on",
            "username": "boss",
        },
    )
    staff.refresh_from_db()
    assert staff.mobile == "13912345678"
    assert (staff.name, staff.department, staff.position, staff.username) == (
        "张三",
        department,
        "科员",
        "zhangsan",
    )
    assert not (staff.is_leader or staff.is_staff or staff.is_superuser)


@pytest.mark.parametrize(
    "field, value",
    [
        ("mobile", "12345678901"),
        ("mobile", "1381234567"),
        ("mobile", "138123456789"),
        ("mobile", "138-1234-5678"),
        ("office_phone", "010-1234 ext. 5"),
        ("email", "not-an-email"),
    ],
)
def test_bad_contact_details_are_rejected_and_nothing_changes(
    staff_client, staff, english, field, value
):
    before = (staff.email, staff.mobile, staff.office_phone)
    data = {"email": staff.email, "mobile": "13912345678", "office_phone": "010-1234"}
    data[field] = value
    response = staff_client.post("/people/profile/edit/", data)
    assert response.status_code == 200
    assert response.context["form"].errors.keys() == {field}
    staff.refresh_from_db()
    assert (staff.email, staff.mobile, staff.office_phone) == before
    assert not AuditEntry.objects.filter(action=AuditEntry.Action.USER_UPDATED).exists()


def test_a_bad_mobile_is_explained_on_the_page(staff_client, english):
    response = staff_client.post("/people/profile/edit/", {"mobile": "12345"})
    assert "Enter an 11-digit mobile number" in response.content.decode()


def test_profile_pages_need_a_login(client):
    for url in ["/people/profile/", "/people/profile/edit/", "/people/profile/password/"]:
        response = client.get(url)
        assert response.status_code == 302 and response.url.startswith("/accounts/login/")


# Password


def _change_password(client, current, new, confirmation=None):
    return client.post(
        "/people/profile/password/",
        {
            "old_password": current,
            "new_password1": new,
            "new_password2": new if confirmation is None else confirmation,
        },
    )


def test_password_change_keeps_the_user_signed_in_and_swaps_the_password(
    staff_client, staff, password
):
    response = _change_password(staff_client, password, NEW_PASSWORD)
    assert response.status_code == 302 and response.url == "/people/profile/"
    assert staff_client.get("/people/profile/").status_code == 200
    staff.refresh_from_db()
    assert staff.check_password(NEW_PASSWORD) and not staff.check_password(password)
    entry = AuditEntry.objects.get(action=AuditEntry.Action.PASSWORD_CHANGED)
    assert entry.actor == staff and entry.target_user == staff


def test_after_the_change_only_the_new_password_signs_in(staff_client, staff, password, client):
    _change_password(staff_client, password, NEW_PASSWORD)
    staff_client.logout()
    old = client.post("/accounts/login/", {"username": "zhangsan", "password": password})
    assert old.status_code == 200 and "_auth_user_id" not in client.session
    new = client.post("/accounts/login/", {"username": "zhangsan", "password": NEW_PASSWORD})
    assert new.status_code == 302 and client.session["_auth_user_id"] == str(staff.pk)


def test_password_change_needs_the_current_password(staff_client, staff, password):
    response = _change_password(staff_client, "wrong-password", NEW_PASSWORD)
    assert response.status_code == 200
    assert "old_password" in response.context["form"].errors
    staff.refresh_from_db()
    assert staff.check_password(password)
    assert not AuditEntry.objects.filter(action=AuditEntry.Action.PASSWORD_CHANGED).exists()


@pytest.mark.parametrize("weak", ["Ab1-x", "12345678901", "password123", "zhangsan2026"])
def test_password_change_applies_the_password_validators(staff_client, staff, password, weak):
    response = _change_password(staff_client, password, weak)
    assert response.status_code == 200
    assert "new_password2" in response.context["form"].errors
    staff.refresh_from_db()
    assert staff.check_password(password)


def test_password_change_needs_matching_confirmation(staff_client, staff, password):
    response = _change_password(staff_client, password, NEW_PASSWORD, NEW_PASSWORD + "x")
    assert "new_password2" in response.context["form"].errors
    staff.refresh_from_db()
    assert staff.check_password(password)


def test_a_get_changes_nothing(staff_client, staff, password):
    staff_client.get(
        "/people/profile/password/",
        {"old_password": password, "new_password1": NEW_PASSWORD, "new_password2": NEW_PASSWORD},
    )
    staff.refresh_from_db()
    assert staff.check_password(password)


def test_headquarters_staff_see_the_headquarters_as_unit(client, headquarters):
    department = OrgUnitFactory(
        parent=headquarters, code="HQ-BGS", name="办公室", kind=OrgUnit.Kind.DEPARTMENT
    )
    person = UserFactory(name="王军", department=department)
    client.force_login(person)
    html = client.get("/people/profile/").content.decode()
    assert "东方重工集团有限公司" in html and "办公室" in html

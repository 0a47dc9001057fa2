"""Delegated administration: who may administer which accounts, units and rights, and who not.

Every forbidden action is tried through its URL and must change nothing.
"""

import pytest
from django.test import Client
from django.urls import reverse

from people.models import AuditEntry, OrgUnit, Role, RoleAssignment, User
from tests.factories import OrgUnitFactory, RoleAssignmentFactory, UserFactory

pytestmark = pytest.mark.django_db

NEW_PASSWORD = "Brand-new-pass-2026"


@pytest.fixture
def org(headquarters):
    unit_a = OrgUnitFactory(parent=headquarters, code="UA", name="甲单位", kind=OrgUnit.Kind.UNIT)
    unit_b = OrgUnitFactory(parent=headquarters, code="UB", name="乙单位", kind=OrgUnit.Kind.UNIT)
    dept = OrgUnit.Kind.DEPARTMENT
    return {
        "hq": headquarters,
        "unit_a": unit_a,
        "unit_b": unit_b,
        "dept_a": OrgUnitFactory(parent=unit_a, code="UA-1", name="甲办公室", kind=dept),
        "dept_b": OrgUnitFactory(parent=unit_b, code="UB-1", name="乙办公室", kind=dept),
        "dept_hq": OrgUnitFactory(parent=headquarters, code="HQ-1", name="信息中心", kind=dept),
    }


@pytest.fixture
def people(org):
    def person(username, department, role=None, unit=None):
        user = UserFactory(username=username, department=org[department])
        if role:
            RoleAssignmentFactory(user=user, role=role, unit=unit and org[unit])
        return user

    return {
        "system_admin": person("sys", "dept_hq", Role.SYSTEM_ADMIN),
        "unit_admin_a": person("ua", "dept_a", Role.UNIT_ADMIN, "unit_a"),
        "unit_admin_b": person("ub", "dept_b", Role.UNIT_ADMIN, "unit_b"),
        "clerk_a": person("clerk", "dept_a", Role.FILE_CLERK, "unit_a"),
        "staff_a": person("staff", "dept_a"),
        "staff_b": person("staffb", "dept_b"),
    }


ADMINS_OF_A = {"system_admin", "unit_admin_a"}
EVERYONE = ["system_admin", "unit_admin_a", "unit_admin_b", "clerk_a", "staff_a"]


def as_user(client, user):
    client.force_login(user)
    return client


@pytest.mark.parametrize("actor", EVERYONE)
def test_account_list_is_for_administrators_and_shows_only_their_units(client, people, actor):
    response = as_user(client, people[actor]).get(reverse("people:user_list"))
    if actor in {"clerk_a", "staff_a"}:
        assert response.status_code == 403
        return
    assert response.status_code == 200
    listed = {user.username for user in response.context["page_obj"]}
    expected = {
        "system_admin": {"sys", "ua", "ub", "clerk", "staff", "staffb"},
        "unit_admin_a": {"ua", "clerk", "staff"},
        "unit_admin_b": {"ub", "staffb"},
    }[actor]
    assert listed == expected


@pytest.mark.parametrize("actor", EVERYONE)
def test_editing_an_account_of_unit_a(client, people, actor):
    target = people["staff_a"]
    url = reverse("people:user_edit", args=[target.pk])
    data = {"name": "改名", "department": target.department_id, "position": "主任"}
    response = as_user(client, people[actor]).post(url, data)
    target.refresh_from_db()
    if actor in ADMINS_OF_A:
        assert response.status_code == 302
        assert (target.name, target.position) == ("改名", "主任")
        entry = AuditEntry.objects.get(action=AuditEntry.Action.USER_UPDATED)
        assert entry.actor == people[actor] and entry.target_user == target
    else:
        assert response.status_code == 403
        assert target.name != "改名"
        assert not AuditEntry.objects.exists()


@pytest.mark.parametrize("actor", EVERYONE)
def test_resetting_a_password_in_unit_a(client, people, actor):
    target = people["staff_a"]
    url = reverse("people:user_reset_password", args=[target.pk])
    response = as_user(client, people[actor]).post(url, {"new_password": NEW_PASSWORD})
    target.refresh_from_db()
    assert target.check_password(NEW_PASSWORD) is (actor in ADMINS_OF_A)
    assert response.status_code == (302 if actor in ADMINS_OF_A else 403)


@pytest.mark.parametrize("actor", EVERYONE)
def test_disabling_an_account_in_unit_a(client, people, actor):
    target = people["staff_a"]
    url = reverse("people:user_set_active", args=[target.pk])
    response = as_user(client, people[actor]).post(url, {"active": "0"})
    target.refresh_from_db()
    assert target.is_active is (actor not in ADMINS_OF_A)
    assert response.status_code == (302 if actor in ADMINS_OF_A else 403)


@pytest.mark.parametrize("actor", EVERYONE)
def test_creating_an_account_in_unit_a(client, people, org, actor):
    data = {
        "username": "newbie",
        "name": "新人",
        "department": org["dept_a"].pk,
        "password": NEW_PASSWORD,
        "email": "newbie@example.invalid",
    }
    response = as_user(client, people[actor]).post(reverse("people:user_create"), data)
    created = User.objects.filter(username="newbie").first()
    if actor in ADMINS_OF_A:
        assert response.status_code == 302
        assert created.department == org["dept_a"] and created.check_password(NEW_PASSWORD)
        assert created.name_initials == "xr"
    else:
        assert created is None
        assert response.status_code in {200, 403}  # a unit B admin sees "invalid department"


def test_unit_admin_grants_unit_roles_inside_their_unit_only(client, people, org):
    client = as_user(client, people["unit_admin_a"])
    url = reverse("people:user_roles", args=[people["staff_a"].pk])
    assert client.post(url, {"role": "file_clerk", "unit": org["unit_a"].pk}).status_code == 302
    assert RoleAssignment.objects.filter(user=people["staff_a"], role="file_clerk").exists()

    for forbidden in [
        {"role": "file_clerk", "unit": org["unit_b"].pk},
        {"role": "unit_admin", "unit": org["unit_a"].pk},
        {"role": "system_admin", "unit": ""},
    ]:
        assert client.post(url, forbidden).status_code == 403
    own_url = reverse("people:user_roles", args=[people["unit_admin_a"].pk])
    assert (
        client.post(own_url, {"role": "process_admin", "unit": org["unit_a"].pk}).status_code == 403
    )
    assert RoleAssignment.objects.filter(user=people["staff_a"]).count() == 1
    assert not RoleAssignment.objects.filter(user=people["unit_admin_a"], role="process_admin")


def test_unit_admin_of_b_cannot_grant_or_revoke_in_unit_a(client, people, org):
    assignment = RoleAssignment.objects.get(user=people["clerk_a"])
    client = as_user(client, people["unit_admin_b"])
    revoke = reverse("people:role_revoke", args=[people["clerk_a"].pk, assignment.pk])
    assert client.post(revoke).status_code == 403
    assert RoleAssignment.objects.filter(pk=assignment.pk).exists()


def test_system_admin_appoints_a_unit_admin_and_revokes_a_role(client, people, org):
    client = as_user(client, people["system_admin"])
    url = reverse("people:user_roles", args=[people["staff_b"].pk])
    assert client.post(url, {"role": "unit_admin", "unit": org["unit_b"].pk}).status_code == 302
    assignment = RoleAssignment.objects.get(user=people["staff_b"], role="unit_admin")
    revoke = reverse("people:role_revoke", args=[people["staff_b"].pk, assignment.pk])
    assert client.post(revoke).status_code == 302
    assert not RoleAssignment.objects.filter(pk=assignment.pk).exists()
    actions = list(AuditEntry.objects.values_list("action", flat=True))
    assert sorted(actions) == ["role_granted", "role_revoked"]


@pytest.mark.parametrize("actor", EVERYONE)
def test_units_and_audit_log_are_for_the_system_administrator(client, people, org, actor):
    client = as_user(client, people[actor])
    expected = 200 if actor == "system_admin" else 403
    assert client.get(reverse("people:unit_list")).status_code == expected
    assert client.get(reverse("people:audit_log")).status_code == expected
    data = {"parent": org["unit_a"].pk, "code": "UA-9", "name": "新部门", "kind": "department"}
    data |= {"sort_order": 1, "short_name": "", "doc_prefix": ""}
    response = client.post(reverse("people:unit_create"), data)
    assert OrgUnit.objects.filter(code="UA-9").exists() is (actor == "system_admin")
    assert response.status_code == (302 if actor == "system_admin" else 403)


def test_new_department_belongs_to_its_unit_and_duplicate_code_is_refused(client, people, org):
    client = as_user(client, people["system_admin"])
    data = {"parent": org["unit_a"].pk, "code": "UA-1", "name": "重复", "kind": "department"}
    data |= {"sort_order": 1}
    response = client.post(reverse("people:unit_create"), data)
    assert response.status_code == 200
    assert OrgUnit.objects.filter(code="UA-1").count() == 1
    data["code"] = "UA-2"
    client.post(reverse("people:unit_create"), data)
    assert OrgUnit.objects.get(code="UA-2").unit == org["unit_a"]


def test_bad_input_names_the_field_and_changes_nothing(client, people, org):
    client = as_user(client, people["unit_admin_a"])
    data = {
        "username": "bad user!",
        "name": "",
        "department": org["dept_a"].pk,
        "password": "123",
        "email": "not-an-email",
        "mobile": "12345",
    }
    response = client.post(reverse("people:user_create"), data)
    assert response.status_code == 200
    errors = response.context["form"].errors
    assert {"username", "name", "email", "mobile"} <= set(errors)
    assert (
        not User.objects.filter(name="").exclude(username__in=["sys"]).filter(username="bad user!")
    )
    assert not AuditEntry.objects.exists()


def test_weak_initial_password_is_refused(client, people, org):
    client = as_user(client, people["unit_admin_a"])
    data = {"username": "weak", "name": "弱密码", "department": org["dept_a"].pk}
    response = client.post(reverse("people:user_create"), data | {"password": "12345678"})
    assert response.status_code == 200
    assert "password" in response.context["form"].errors
    assert not User.objects.filter(username="weak").exists()


def test_account_list_query_count_does_not_grow(client, people, org, django_assert_max_num_queries):
    client = as_user(client, people["system_admin"])
    User.objects.bulk_create(
        User(username=f"bulk{n}", name=f"批量{n}", department=org["dept_a"]) for n in range(5000)
    )
    with django_assert_max_num_queries(14):
        response = client.get(reverse("people:user_list"), {"q": "bulk"})
    assert response.context["page_obj"].paginator.count == 5000


def test_audit_log_is_append_only(people):
    entry = AuditEntry.objects.create(action="user_updated", summary="x")
    with pytest.raises(PermissionError):
        entry.save()
    with pytest.raises(PermissionError):
        entry.delete()
    with pytest.raises(PermissionError):
        AuditEntry.objects.all().update(summary="y")
    with pytest.raises(PermissionError):
        AuditEntry.objects.all().delete()


def test_concurrent_posts_are_added_and_removed_inside_the_administered_units(client, people, org):
    target = people["staff_a"]
    client = as_user(client, people["unit_admin_a"])
    add = reverse("people:concurrent_posts", args=[target.pk])
    other = OrgUnitFactory(parent=org["unit_a"], code="UA-2", kind=OrgUnit.Kind.DEPARTMENT)
    client.post(add, {"post-department": other.pk, "post-position": "兼职安全员"})
    post = target.concurrent_posts.get()
    assert (post.department, post.position) == (other, "兼职安全员")

    client.post(add, {"post-department": org["dept_b"].pk, "post-position": "越权"})
    assert target.concurrent_posts.count() == 1

    outsider = as_user(Client(), people["unit_admin_b"])
    remove = reverse("people:concurrent_post_remove", args=[target.pk, post.pk])
    assert outsider.post(remove).status_code == 403
    assert client.post(remove).status_code == 302
    assert not target.concurrent_posts.exists()
    assert AuditEntry.objects.filter(target_user=target).count() == 2


def test_role_filter_lists_each_holder_once(client, people, org):
    RoleAssignmentFactory(user=people["clerk_a"], role=Role.FILE_CLERK, unit=org["dept_a"])
    client = as_user(client, people["system_admin"])
    response = client.get(reverse("people:user_list"), {"role": "file_clerk"})
    assert [user.username for user in response.context["page_obj"]] == ["clerk"]


def test_column_rights_name_a_column_of_an_administered_unit(client, people, org, portal):
    from home.models import NewsColumnPage, NewsIndexPage

    def column(title, slug, owner):
        page = NewsColumnPage(title=title, slug=slug, owner_unit=owner)
        NewsIndexPage.objects.get().add_child(instance=page)
        return page

    own, foreign = (
        column("甲单位新闻", "a-news", org["unit_a"]),
        column("乙单位新闻", "b-news", org["unit_b"]),
    )
    client = as_user(client, people["unit_admin_a"])
    url = reverse("people:user_roles", args=[people["staff_a"].pk])
    grant = {"role": "column_admin", "unit": org["unit_a"].pk}
    assert client.post(url, grant | {"column": own.pk}).status_code == 302
    assert (
        RoleAssignment.objects.get(user=people["staff_a"], role="column_admin").column_id == own.pk
    )

    assert client.post(url, grant | {"column": foreign.pk}).status_code == 403
    client.post(url, {"role": "file_clerk", "unit": org["unit_a"].pk, "column": own.pk})
    assert RoleAssignment.objects.filter(user=people["staff_a"]).count() == 1

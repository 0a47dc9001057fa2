"""Login throttling: repeated wrong passwords lock the account; its administrators unlock it."""

import pytest
from axes.models import AccessAttempt
from django.conf import settings
from django.test import Client

from people.models import AuditEntry, OrgUnit, Role
from tests.factories import OrgUnitFactory, RoleAssignmentFactory, UserFactory

pytestmark = pytest.mark.django_db

LOGIN_URL = "/accounts/login/"
LIST_URL = "/people/admin/lockouts/"
UNLOCK_URL = "/people/admin/lockouts/unlock/"


def english_client() -> Client:
    client = Client()
    client.cookies[settings.LANGUAGE_COOKIE_NAME] = "en"
    return client


def sign_in(username: str, password: str) -> tuple[Client, object]:
    client = english_client()
    response = client.post(LOGIN_URL, {"username": username, "password": password})
    return client, response


def is_signed_in(client: Client) -> bool:
    return "_auth_user_id" in client.session


def lock_out(username: str) -> None:
    for _ in range(settings.AXES_FAILURE_LIMIT):
        sign_in(username, "wrong-password")


def client_for(user) -> Client:
    client = english_client()
    client.force_login(user)
    return client


@pytest.fixture
def unit_admin(unit_a):
    admin = UserFactory(username="unitadmin", department=unit_a)
    RoleAssignmentFactory(user=admin, role=Role.UNIT_ADMIN, unit=unit_a)
    return admin


@pytest.fixture
def other_unit_admin(headquarters):
    unit_b = OrgUnitFactory(parent=headquarters, code="UB", name="乙单位", kind=OrgUnit.Kind.UNIT)
    admin = UserFactory(username="otheradmin", department=unit_b)
    RoleAssignmentFactory(user=admin, role=Role.UNIT_ADMIN, unit=unit_b)
    return admin


@pytest.fixture
def system_admin(headquarters):
    admin = UserFactory(username="sysadmin", department=headquarters)
    RoleAssignmentFactory(user=admin, role=Role.SYSTEM_ADMIN, unit=None)
    return admin


def test_failures_below_the_limit_do_not_lock(staff, password, portal):
    for _ in range(settings.AXES_FAILURE_LIMIT - 1):
        _, response = sign_in(staff.username, "wrong-password")
        assert response.status_code == 200
    client, response = sign_in(staff.username, password)
    assert response.status_code == 302 and is_signed_in(client)


def test_the_limit_of_wrong_passwords_locks_out_even_the_right_password(staff, password, portal):
    lock_out(staff.username)

    client, response = sign_in(staff.username, password)

    assert response.status_code == 429
    assert not is_signed_in(client)
    html = response.content.decode()
    assert f"The account {staff.username} is locked after {settings.AXES_FAILURE_LIMIT}" in html
    assert "You can try again 1 h after the last failed attempt" in html
    assert "ask the administrator of your unit to unlock the account" in html


@pytest.mark.usefixtures("portal")
def test_the_lockout_page_states_a_cool_off_shorter_than_an_hour(staff, settings):
    settings.AXES_FAILURE_LIMIT = 2
    settings.AXES_COOLOFF_TIME = 0.5
    lock_out(staff.username)
    _, response = sign_in(staff.username, "wrong-password")
    assert "You can try again 30 min after" in response.content.decode()


def test_the_lockout_is_per_account_and_address(staff, password, portal):
    lock_out(staff.username)
    other = UserFactory(department=staff.department)
    client, _ = sign_in(other.username, password)
    assert is_signed_in(client)


def test_unit_admin_sees_and_unlocks_an_account_of_their_unit(staff, password, unit_admin, portal):
    lock_out(staff.username)
    admin_client = client_for(unit_admin)

    listing = admin_client.get(LIST_URL)
    assert listing.status_code == 200
    assert staff.username in listing.content.decode() and staff.name in listing.content.decode()

    response = admin_client.post(UNLOCK_URL, {"username": staff.username}, follow=True)
    assert f"The account {staff.username} is unlocked." in response.content.decode()
    assert not AccessAttempt.objects.filter(username=staff.username).exists()
    client, _ = sign_in(staff.username, password)
    assert is_signed_in(client)

    entry = AuditEntry.objects.get(action=AuditEntry.Action.ACCOUNT_UNLOCKED)
    assert entry.actor == unit_admin and entry.target_user == staff
    assert entry.details["failures"] == settings.AXES_FAILURE_LIMIT
    assert entry.details["ip_addresses"] == ["127.0.0.1"]
    assert entry.ip_address == "127.0.0.1"


def test_unit_admin_of_another_unit_neither_sees_nor_unlocks(
    staff, password, other_unit_admin, portal
):
    lock_out(staff.username)
    admin_client = client_for(other_unit_admin)

    assert staff.username not in admin_client.get(LIST_URL).content.decode()
    assert admin_client.post(UNLOCK_URL, {"username": staff.username}).status_code == 403

    assert AccessAttempt.objects.filter(username=staff.username).exists()
    _, response = sign_in(staff.username, password)
    assert response.status_code == 429
    assert not AuditEntry.objects.filter(action=AuditEntry.Action.ACCOUNT_UNLOCKED).exists()


def test_ordinary_user_may_not_list_or_unlock(staff, portal):
    colleague = UserFactory(department=staff.department)
    lock_out(colleague.username)
    client = client_for(staff)

    assert client.get(LIST_URL).status_code == 403
    assert client.post(UNLOCK_URL, {"username": colleague.username}).status_code == 403
    assert AccessAttempt.objects.filter(username=colleague.username).exists()


def test_unit_admin_may_not_unlock_a_system_administrator_of_their_unit(staff, unit_admin, portal):
    RoleAssignmentFactory(user=staff, role=Role.SYSTEM_ADMIN, unit=None)
    lock_out(staff.username)
    admin_client = client_for(unit_admin)

    assert staff.username not in admin_client.get(LIST_URL).content.decode()
    assert admin_client.post(UNLOCK_URL, {"username": staff.username}).status_code == 403
    assert AccessAttempt.objects.filter(username=staff.username).exists()


def test_system_admin_sees_every_lockout_including_unknown_names(staff, system_admin, portal):
    lock_out(staff.username)
    lock_out("nobody-by-this-name")
    client = client_for(system_admin)

    html = client.get(LIST_URL).content.decode()
    assert staff.username in html and "nobody-by-this-name" in html and "No such account" in html

    client.post(UNLOCK_URL, {"username": "nobody-by-this-name"})
    entry = AuditEntry.objects.get(action=AuditEntry.Action.ACCOUNT_UNLOCKED)
    assert entry.target_user is None and entry.details["username"] == "nobody-by-this-name"
    assert not AccessAttempt.objects.filter(username="nobody-by-this-name").exists()


def test_failures_below_the_limit_are_not_listed(staff, system_admin, portal):
    for _ in range(settings.AXES_FAILURE_LIMIT - 1):
        sign_in(staff.username, "wrong-password")
    html = client_for(system_admin).get(LIST_URL).content.decode()
    assert "No account is locked." in html


def test_unlocking_an_account_that_is_not_locked_changes_nothing(staff, system_admin, portal):
    response = client_for(system_admin).post(UNLOCK_URL, {"username": staff.username}, follow=True)
    assert f"The account {staff.username} is not locked." in response.content.decode()
    assert not AuditEntry.objects.filter(action=AuditEntry.Action.ACCOUNT_UNLOCKED).exists()


def test_unlock_needs_a_post_with_an_account(system_admin, portal):
    client = client_for(system_admin)
    assert client.get(UNLOCK_URL).status_code == 405
    response = client.post(UNLOCK_URL, {}, follow=True)
    assert "Choose the account to unlock." in response.content.decode()


def test_lockout_list_queries_do_not_grow_with_lockouts(
    unit_a, unit_admin, portal, django_assert_max_num_queries
):
    def add_lockouts(count):
        for _ in range(count):
            user = UserFactory(department=unit_a)
            AccessAttempt.objects.create(
                username=user.username,
                ip_address="10.0.0.1",
                user_agent="test",
                http_accept="*/*",
                path_info=LOGIN_URL,
                get_data="",
                post_data="",
                failures_since_start=settings.AXES_FAILURE_LIMIT,
            )

    client = client_for(unit_admin)
    add_lockouts(2)
    client.get(LIST_URL)  # warm the per-request caches that do not depend on the data
    with django_assert_max_num_queries(12) as baseline:
        assert client.get(LIST_URL).status_code == 200
    add_lockouts(10)
    with django_assert_max_num_queries(len(baseline.captured_queries)):
        html = client.get(LIST_URL).content.decode()
    assert html.count('name="username"') == 12

"""Sessions are signed cookies; they stay revocable: signing out, a password change or a
disabled account ends them, on every device."""

import pytest
from django.test import Client

from people.services import sessions_end

pytestmark = pytest.mark.django_db


def signed_in(user, password) -> Client:
    client = Client()
    response = client.post("/accounts/login/", {"username": user.username, "password": password})
    assert response.status_code == 302
    return client


def test_the_session_is_a_signed_cookie_and_reads_nothing_else(
    staff, password, django_assert_max_num_queries
):
    client = signed_in(staff, password)
    # The signed-in user is the only query of the smallest view: no session row.
    with django_assert_max_num_queries(1):
        assert client.get("/hello/").status_code == 200


def test_signing_out_ends_the_session_on_every_device(staff, password):
    office, laptop = signed_in(staff, password), signed_in(staff, password)
    copied_cookie = office.cookies["sessionid"].value

    office.post("/accounts/logout/")

    assert laptop.get("/hello/").status_code == 302
    thief = Client()
    thief.cookies["sessionid"] = copied_cookie
    assert thief.get("/hello/").status_code == 302
    assert signed_in(staff, password).get("/hello/").status_code == 200


def test_ending_the_sessions_of_a_user_leaves_others_signed_in(staff, password):
    from tests.factories import UserFactory

    other = UserFactory(username="lisi")
    other.set_password(password)
    other.save()
    mine, theirs = signed_in(staff, password), signed_in(other, password)

    sessions_end(staff)

    assert mine.get("/hello/").status_code == 302
    assert theirs.get("/hello/").status_code == 200


def test_a_disabled_account_stops_working_at_once(staff, password):
    client = signed_in(staff, password)
    staff.is_active = False
    staff.save()

    assert client.get("/hello/").status_code == 302


def test_a_new_password_ends_the_other_sessions(staff, password):
    client = signed_in(staff, password)
    staff.set_password("Another-Secret-2026")
    staff.save()

    assert client.get("/hello/").status_code == 302

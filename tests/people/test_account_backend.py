"""The signed-in user is read with a query compiled once (people.backends): it must read exactly
what the ORM reads, and every change to the row must show on the next request."""

import pytest
from django.contrib.auth import BACKEND_SESSION_KEY
from django.test import Client

from people.backends import AccountBackend, user_by_id
from people.models import User

pytestmark = pytest.mark.django_db


def test_the_compiled_lookup_reads_what_the_orm_reads(staff):
    staff.last_login = staff.date_joined
    staff.save()

    found = user_by_id(staff.pk)

    expected = User.objects.get(pk=staff.pk)
    for field in User._meta.concrete_fields:
        assert getattr(found, field.attname) == getattr(expected, field.attname), field.name
    assert found.last_login.tzinfo is not None
    assert not found._state.adding and found._state.db == "default"


def test_an_unknown_or_disabled_account_is_nobody(staff):
    assert user_by_id(staff.pk + 1000) is None
    staff.is_active = False
    staff.save()

    assert AccountBackend().get_user(staff.pk) is None


def test_a_login_is_kept_with_this_backend_and_reads_one_row(
    staff, password, django_assert_num_queries
):
    client = Client()
    client.post("/accounts/login/", {"username": staff.username, "password": password})

    assert client.session[BACKEND_SESSION_KEY] == "people.backends.AccountBackend"
    with django_assert_num_queries(1):
        assert client.get("/hello/").status_code == 200


def test_a_change_to_the_account_shows_on_the_next_request(staff, password):
    client = Client()
    client.post("/accounts/login/", {"username": staff.username, "password": password})
    client.get("/notifications/")

    User.objects.filter(pk=staff.pk).update(name="改过的名字")

    assert "改过的名字" in client.get("/notifications/").content.decode()

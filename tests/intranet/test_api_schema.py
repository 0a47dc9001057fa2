"""The API keeps its published contract: schemathesis generates requests from /api/openapi.json
and sends them in-process to the WSGI application with a signed-in session. No request may crash,
and every response must match the status codes and schema the API declares."""

from contextlib import contextmanager

import pytest
import schemathesis
from django.core.signals import request_finished, request_started
from django.core.wsgi import get_wsgi_application
from django.db import close_old_connections
from django.middleware.csrf import get_token
from django.test import Client, RequestFactory
from hypothesis import HealthCheck, given, settings

from people.models import Role
from tests.factories import UserFactory
from tests.factories.people import RoleAssignmentFactory

pytestmark = pytest.mark.django_db


@pytest.fixture
def api_schema(portal, staff):
    admin = UserFactory(department=staff.department, is_staff=True)
    RoleAssignmentFactory(user=admin, role=Role.SYSTEM_ADMIN, unit=None)
    reader = Client()
    reader.force_login(admin)
    schema = schemathesis.openapi.from_dict(reader.get("/api/openapi.json").json())
    # The in-process client sends its cookies to localhost.
    schema.config.update(base_url="http://localhost")
    return schema


@pytest.fixture
def signed_in(staff):
    """Session and CSRF cookies of an employee, for requests sent outside the test client."""
    client = Client()
    client.force_login(staff)
    token = get_token(RequestFactory().get("/"))
    return {
        "cookies": {"sessionid": client.cookies["sessionid"].value, "csrftoken": token},
        "headers": {"X-CSRFToken": token},
    }


@contextmanager
def application_in_test_transaction():
    """The WSGI application, inside this test's database transaction: as in Django's test client,
    requests do not close the connection (after every other use of the test client)."""
    request_started.disconnect(close_old_connections)
    request_finished.disconnect(close_old_connections)
    try:
        yield get_wsgi_application()
    finally:
        request_started.connect(close_old_connections)
        request_finished.connect(close_old_connections)


# schemathesis' own pytest plugin does not run under pytest 9, so each operation's strategy is
# driven by Hypothesis here; bounded so the whole API is covered in about a minute.
BOUNDED = settings(
    max_examples=15, deadline=None, database=None, suppress_health_check=list(HealthCheck)
)


def check_operation(operation, signed_in):
    @BOUNDED
    @given(case=operation.as_strategy())
    def check(case):
        case.call_and_validate(**signed_in)

    check()


def test_the_api_keeps_its_contract(api_schema, signed_in):
    with application_in_test_transaction() as application:
        api_schema.app = application
        operations = [result.ok() for result in api_schema.get_all_operations()]
        assert len(operations) >= 10
        for operation in operations:
            check_operation(operation, signed_in)

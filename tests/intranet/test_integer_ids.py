"""Ids beyond the database's integer range, negative, zero or malformed never crash a request.

Every routed URL with an integer segment (the project's `<id:`, Wagtail's and viewflow's `<int:`)
and every integer parameter of the API is tried with such values, as a system administrator and as
an ordinary employee; a path that cannot name a row answers 404, an API parameter out of range 422.
"""

import re
import uuid

import pytest
from django.test import Client
from django.urls import Resolver404, URLResolver, get_resolver, resolve
from django.urls.converters import IntConverter
from django.urls.resolvers import RoutePattern

from intranet.converters import MAX_ID, IdConverter
from people.models import Role
from tests.factories import UserFactory
from tests.factories.people import RoleAssignmentFactory

pytestmark = pytest.mark.django_db

HUGE = "99999999999999999999999"
JUST_OVER = str(MAX_ID + 1)
# Values that cannot name a row: the segment must not match.
UNMATCHED_VALUES = [HUGE, JUST_OVER, "-1", "1x"]
API_VALUES = [HUGE, JUST_OVER, str(MAX_ID), "0", "-1", "x"]
# Third-party routes written as regular expressions, with their integer groups filled in.
REGEX_ROUTES = [
    "/admin/pages/{id}/revisions/compare/live...{id}/",
    "/documents/{id}/file.pdf",
]
CONVERTER_PLACEHOLDER = re.compile(r"<(?:(?P<converter>[^>:]+):)?(?P<name>[^>]+)>")


@pytest.fixture
def system_admin(staff):
    admin = UserFactory(
        username="sysadmin",
        department=staff.department,
        is_staff=True,
        is_superuser=True,
    )
    RoleAssignmentFactory(user=admin, role=Role.SYSTEM_ADMIN, unit=None)
    return admin


@pytest.fixture(params=["system_admin", "staff"])
def signed_in(request, portal):
    client = Client(raise_request_exception=False)
    client.force_login(request.getfixturevalue(request.param))
    return client


def integer_routes(patterns=None, prefix=""):
    """Every routed path with an integer segment: route, its integer converters, its view."""
    if patterns is None:
        patterns = get_resolver().url_patterns
    for entry in patterns:
        if not isinstance(entry.pattern, RoutePattern):
            continue
        route = prefix + str(entry.pattern)
        if isinstance(entry, URLResolver):
            yield from integer_routes(entry.url_patterns, route)
            continue
        integers = {
            name: converter
            for name, converter in entry.pattern.converters.items()
            if isinstance(converter, IntConverter | IdConverter)
        }
        if integers:
            yield route, integers, entry.callback


def fill(route: str, integers, value: str) -> str:
    def segment(match):
        if match["name"] in integers:
            return value
        if match["converter"] == "uuid":
            return str(uuid.UUID(int=1))
        return "x"

    return "/" + CONVERTER_PLACEHOLDER.sub(segment, route)


def test_every_integer_segment_is_bounded():
    """Third-party `<int:` segments carry the project's bound too, so none is left unbounded."""
    unbounded = [
        route
        for route, converters, _view in integer_routes()
        if any(not isinstance(converter, IdConverter) for converter in converters.values())
    ]
    assert unbounded == []


def distinct_views(routes):
    """One route per view and set of segments: viewflow routes one view class per node."""
    seen = set()
    for route, integers, view in routes:
        key = (getattr(view, "view_class", view), frozenset(integers))
        if key not in seen:
            seen.add(key)
            yield route, integers


def test_out_of_range_integer_segments_do_not_match():
    for route, integers, view in integer_routes():
        for value in UNMATCHED_VALUES:
            url = fill(route, integers, value)
            try:
                match = resolve(url)
            except Resolver404:
                continue
            assert match.func is not view, url


def test_no_integer_route_crashes(signed_in):
    crashes = []
    routes = list(distinct_views(integer_routes()))
    assert len(routes) > 40  # the project's, Wagtail's and viewflow's
    urls = [fill(route, integers, str(MAX_ID)) for route, integers in routes]
    urls += [route.format(id=value) for route in REGEX_ROUTES for value in (str(MAX_ID), HUGE)]
    for url in urls:
        for method in (signed_in.get, signed_in.post):
            status = method(url).status_code
            if status >= 500:
                crashes.append((method.__name__, url, status))
    assert crashes == []


def test_out_of_range_ids_in_project_paths_answer_404(signed_in):
    for url in [
        f"/publishing/notices/{HUGE}/readers/",
        f"/publishing/notices/{JUST_OVER}/readers.xlsx",
        f"/knowledge-center/categories/{HUGE}/feed/",
        f"/workflow/documents/document/{HUGE}/",
        f"/workflow/documents/flows/outgoing/{HUGE}/",
        f"/workflow/documents/flows/outgoing/{HUGE}/chart/",
        f"/stats/units/{HUGE}/",
        f"/stats/units/{JUST_OVER}/figures/logins/",
        f"/stats/bulletins/{HUGE}/pdf/",
        f"/archive/items/{HUGE}/read/",
        f"/archive/files/{JUST_OVER}/",
        f"/archive/requests/{HUGE}/decide/",
        f"/archive/destructions/{HUGE}/decide/",
        f"/archive/catalogue/{HUGE}/",
        f"/archive/catalogue/{JUST_OVER}/print.pdf",
        f"/archive/catalogue/{HUGE}/catalogue.xlsx",
        f"/archive/packages/{HUGE}/download/",
    ]:
        assert signed_in.get(url).status_code == 404, url


def api_integer_parameters(client):
    """(method, path template, parameter name, location) for every integer API parameter."""
    schema = client.get("/api/openapi.json").json()
    for path, operations in schema["paths"].items():
        for method, operation in operations.items():
            for parameter in operation.get("parameters", []):
                types = {parameter["schema"].get("type")} | {
                    option.get("type") for option in parameter["schema"].get("anyOf", [])
                }
                if "integer" in types:
                    yield method, path, parameter["name"], parameter["in"]


def test_no_api_integer_parameter_crashes(signed_in, system_admin):
    admin = Client()
    admin.force_login(system_admin)
    parameters = list(api_integer_parameters(admin))
    assert len(parameters) >= 10
    failures = []
    for method, path, name, location in parameters:
        for value in API_VALUES:
            url = re.sub(r"\{[^}]+\}", "1", path.replace("{" + name + "}", value))
            data = {name: value} if location == "query" else {}
            if method == "get":
                response = signed_in.get(url, data)
            else:
                response = getattr(signed_in, method)(
                    url + ("?" + f"{name}={value}" if data else ""),
                    content_type="application/json",
                )
            content_type = response.get("Content-Type", "")
            if response.status_code >= 500 or not content_type.startswith("application/json"):
                failures.append((method, url, data, response.status_code, content_type))
            if value in (HUGE, JUST_OVER, "-1", "x") and response.status_code not in (404, 422):
                failures.append((method, url, data, response.status_code, "not refused"))
    assert failures == []


@pytest.mark.parametrize(
    "url",
    [
        f"/api/notices/{HUGE}",
        f"/api/news/{HUGE}",
        f"/api/news?column={HUGE}",
        f"/api/knowledge/items/{HUGE}",
        f"/api/knowledge/categories/{HUGE}/items",
        f"/api/documents/tasks?page={HUGE}",
        f"/api/documents/tasks?page_size={HUGE}",
        f"/api/documents/incoming?page={HUGE}",
        f"/api/search?q=x&page={HUGE}",
    ],
)
def test_out_of_range_api_parameters_answer_422(staff_client, url):
    response = staff_client.get(url)
    assert response.status_code == 422
    assert response.json()["detail"]

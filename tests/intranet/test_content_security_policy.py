"""Every page carries a Content-Security-Policy; only the Wagtail admin allows inline code."""

import re
from pathlib import Path

import pytest
from django.conf import settings
from django.urls import reverse

from intranet.csp import WAGTAIL_ADMIN_ALLOWANCES
from tests.factories.documents import OfficeFactory, open_task
from workflow import selectors, services

pytestmark = pytest.mark.django_db

HEADER = "Content-Security-Policy"
PROJECT_APPS = ("intranet", "home", "knowledge", "people", "search", "workflow")
# A <script> element with a body, or an event handler attribute such as onclick=.
INLINE_SCRIPT = re.compile(r"<script(?![^>]*\bsrc=)[^>]*>\s*\S|\son[a-z]+\s*=", re.IGNORECASE)


def directives(response) -> dict[str, list[str]]:
    policy = response[HEADER]
    return {
        name: values
        for name, *values in (part.split() for part in policy.split(";") if part.strip())
    }


def assert_strict(response):
    policy = directives(response)
    assert policy["default-src"] == ["'self'"]
    assert policy["script-src"] == ["'self'"]
    assert "'unsafe-inline'" not in policy["style-src"]
    assert policy["object-src"] == ["'none'"]
    assert policy["frame-ancestors"] == ["'self'"]


def test_the_login_page(client):
    response = client.get(reverse("login"))
    assert response.status_code == 200
    assert_strict(response)


def test_a_project_page(staff_client, portal):
    response = staff_client.get("/")
    assert response.status_code == 200
    assert_strict(response)


def test_a_viewflow_screen(client, portal):
    office = OfficeFactory()
    document = services.document_create(
        user=office.drafter, doc_type="notice", title="关于值班的通知", body="正文", copies=1
    )
    task = open_task(document)
    client.force_login(office.drafter)

    response = client.get(selectors.task_url(task))

    assert response.status_code == 200
    assert "viewflow/js/turbo" in response.content.decode()  # viewflow's own page layout
    assert_strict(response)


def test_the_wagtail_admin_gets_its_allowances_only(client, staff, portal):
    staff.is_superuser = True
    staff.save()
    client.force_login(staff)

    response = client.get(reverse("wagtailadmin_home"))

    assert response.status_code == 200
    policy = directives(response)
    for directive, values in WAGTAIL_ADMIN_ALLOWANCES.items():
        assert policy[directive] == values
    assert policy["object-src"] == ["'none'"]
    assert policy["default-src"] == ["'self'"]


def test_no_project_template_runs_inline_script():
    templates = [
        path
        for app in PROJECT_APPS
        for path in (Path(settings.BASE_DIR) / app).rglob("templates/**/*.html")
    ]
    assert templates
    offenders = [str(path) for path in templates if INLINE_SCRIPT.search(path.read_text())]
    assert offenders == []


# The header is built once per process for responses that change nothing in it.


def test_the_built_header_follows_a_change_of_the_policy(staff_client, portal, settings):
    assert_strict(staff_client.get("/"))
    changed = {"DIRECTIVES": {**settings.CONTENT_SECURITY_POLICY["DIRECTIVES"]}}
    changed["DIRECTIVES"]["img-src"] = ["'self'", "https://images.example"]
    settings.CONTENT_SECURITY_POLICY = changed

    assert directives(staff_client.get("/"))["img-src"] == ["'self'", "https://images.example"]


def test_a_views_own_policy_is_still_built_for_its_response(rf):
    from django.http import HttpResponse

    from intranet.csp import IntranetCSPMiddleware

    def own_policy(request):
        response = HttpResponse()
        response._csp_update = {"img-src": ["https://images.example"]}
        return response

    response = IntranetCSPMiddleware(own_policy)(rf.get("/"))

    assert "https://images.example" in directives(response)["img-src"]

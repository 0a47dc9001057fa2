"""The JSON API at /api/: session-authenticated, with documentation served locally."""

import pytest

pytestmark = pytest.mark.django_db


def test_health_answers_without_login(client):
    response = client.get("/api/health")
    assert response.status_code == 200
    assert response.json() == {"status": "ok"}


def test_me_refuses_anonymous_callers_with_401(client):
    response = client.get("/api/me")
    assert response.status_code == 401


def test_me_describes_the_signed_in_user(staff_client):
    assert staff_client.get("/api/me").json() == {
        "username": "zhangsan",
        "name": "张三",
        "department": "综合办公室",
        "unit": "甲单位",
    }


def test_openapi_docs_are_for_staff_and_load_no_cdn(client, staff):
    staff.is_staff = True
    staff.save()
    client.force_login(staff)
    response = client.get("/api/docs")
    html = response.content.decode()
    assert response.status_code == 200
    assert "/static/ninja/" in html
    assert "cdn" not in html.lower()
    schema = client.get("/api/openapi.json").json()
    assert "/api/me" in schema["paths"]


def test_openapi_docs_are_not_for_ordinary_staff(staff_client):
    response = staff_client.get("/api/docs")
    assert response.status_code == 302
    assert "login" in response["Location"]

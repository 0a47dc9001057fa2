"""Every error of the API answers JSON `{"detail": …}` with its status, in development and in
production alike: callers of the API never parse an HTML error page."""

import pytest
from django.test import Client

from home import api as publishing_api

pytestmark = pytest.mark.django_db

JSON = "application/json; charset=utf-8"


@pytest.fixture(params=[True, False], ids=["development", "production"])
def debug(request, settings):
    settings.DEBUG = request.param
    return request.param


def detail(response, status: int) -> str:
    assert response.status_code == status
    assert response["Content-Type"] == JSON
    return response.json()["detail"]


def test_an_anonymous_caller_gets_401(client, debug):
    assert detail(client.get("/api/me"), 401) == "请登录内网后使用此接口。"


def test_an_unknown_path_gets_404(staff_client, client, debug):
    assert detail(staff_client.get("/api/no-such-thing"), 404) == "未找到。"
    assert detail(client.get("/api/no/such/thing/"), 404) == "未找到。"


def test_a_missing_object_gets_404(staff_client, portal, debug):
    assert detail(staff_client.get("/api/notices/12345"), 404) == "未找到。"
    assert detail(staff_client.get("/api/documents/12345"), 404) == "未找到。"


def test_a_wrong_method_gets_405_with_the_allowed_ones(staff_client, debug):
    response = staff_client.delete("/api/me")
    assert detail(response, 405) == "此处不允许该请求方法。"
    assert response["Allow"] == "GET"


def test_a_malformed_parameter_gets_422(staff_client, portal, debug):
    errors = detail(staff_client.get("/api/news?page=abc"), 422)
    assert errors[0]["loc"] == ["query", "page"]


def test_a_post_without_its_csrf_token_gets_403(staff, debug):
    browser = Client(enforce_csrf_checks=True)
    browser.force_login(staff)
    response = browser.post("/api/knowledge/items/1/reviewed")
    assert detail(response, 403) == "请求被拒绝：请刷新页面后重试。"


def test_a_crash_gets_500_and_is_reported(staff, portal, debug, monkeypatch, caplog):
    def crash(index):
        raise RuntimeError("boom")

    monkeypatch.setattr(publishing_api, "news_queryset", crash)
    reporting = Client()  # re-raises what Django reports as an uncaught exception
    reporting.force_login(staff)
    with pytest.raises(RuntimeError):
        reporting.get("/api/news")
    browser = Client(raise_request_exception=False)
    browser.force_login(staff)
    assert detail(browser.get("/api/news"), 500) == "服务器错误"
    assert "Internal Server Error: /api/news" in caplog.text

"""A write that could not get the database in time tells the user to try again (503), in their
language, instead of a server error; nothing else is hidden behind it."""

import pytest
from django.db import OperationalError
from django.test import Client

from intranet.views import server_error

pytestmark = [pytest.mark.django_db, pytest.mark.urls("tests.intranet.busy_urls")]

BUSY = "系统繁忙"


@pytest.fixture
def browser(staff):
    client = Client(raise_request_exception=False)
    client.force_login(staff)
    return client


@pytest.mark.parametrize("debug", [False, True])
def test_a_locked_database_answers_a_busy_page_to_retry(browser, settings, debug):
    settings.DEBUG = debug
    response = browser.get("/busy/")
    assert response.status_code == 503
    assert response["Retry-After"] == "5"
    page = response.content.decode()
    assert BUSY in page
    assert "请返回，稍等几秒后重试" in page


def test_the_api_answers_json(browser):
    response = browser.get("/api/busy")
    assert response.status_code == 503
    assert response.json() == {"detail": "系统繁忙，本次操作未保存，请重试。"}


def test_a_lock_met_outside_a_view_reaches_the_busy_page_too(rf, staff):
    request = rf.get("/")
    request.user = staff
    try:
        raise OperationalError("database is locked")
    except OperationalError:
        response = server_error(request)
    assert response.status_code == 503
    assert BUSY in response.content.decode()


def test_other_database_errors_stay_server_errors(browser):
    response = browser.get("/broken/")
    assert response.status_code == 500
    assert BUSY not in response.content.decode()

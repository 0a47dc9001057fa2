"""Every page shares the intranet's layout, in Chinese unless the user switches to English."""

import pytest
from django.core.exceptions import PermissionDenied
from django.test import override_settings
from django.urls import reverse
from django.views.defaults import permission_denied

from people.models import Role
from people.services import role_grant

NAVIGATION = ["首页", "新闻中心", "通知公告", "知识中心", "公文办理", "搜索"]


@pytest.mark.django_db
def test_anonymous_visitors_are_sent_to_login(client, portal):
    for url in ["/", "/news/", "/people/profile/", "/workflow/", "/search/?q=x"]:
        response = client.get(url)
        assert response.status_code == 302, url
        assert response["Location"].startswith(reverse("login")), url


@pytest.mark.django_db
def test_home_shows_group_navigation_and_user_in_chinese(staff_client, portal):
    response = staff_client.get("/", HTTP_ACCEPT_LANGUAGE="en-US,en")
    html = response.content.decode()
    assert response.status_code == 200
    assert '<html lang="zh-hans">' in html
    assert "东方重工集团" in html
    assert "协同办公平台" in html
    for label in NAVIGATION:
        assert f">{label}</a>" in html, label
    assert "张三" in html
    assert "您好，张三" in html
    assert "甲单位" in html and "综合办公室" in html
    assert "退出登录" in html and "个人资料" in html
    assert 'data-testid="unread-count">0<' in html


@pytest.mark.django_db
def test_navigation_marks_the_current_section(staff_client, portal):
    html = staff_client.get("/news/").content.decode()
    assert 'class="is-active" aria-current="page">新闻中心</a>' in html
    assert 'class="is-active" aria-current="page">首页</a>' not in html


@pytest.mark.django_db
def test_language_switch_turns_the_interface_english_and_back(staff_client, portal):
    response = staff_client.post(reverse("set_language"), {"language": "en", "next": "/"})
    assert response.status_code == 302
    html = staff_client.get("/").content.decode()
    assert '<html lang="en">' in html
    assert ">News</a>" in html and "Hello, 张三" in html and "Log out" in html

    staff_client.post(reverse("set_language"), {"language": "zh-hans", "next": "/"})
    assert "您好，张三" in staff_client.get("/").content.decode()


@pytest.mark.django_db
def test_login_page_is_chinese_and_signs_in(client, portal, staff, password):
    page = client.get(reverse("login"))
    assert "登录" in page.content.decode()
    response = client.post(reverse("login"), {"username": "zhangsan", "password": password})
    assert response.status_code == 302
    assert client.get("/").status_code == 200


@pytest.mark.django_db
def test_wrong_password_is_refused_with_a_chinese_message(client, portal, staff):
    response = client.post(reverse("login"), {"username": "zhangsan", "password": "wrong"})
    assert response.status_code == 200
    assert "请输入一个正确的" in response.content.decode()


@pytest.mark.django_db
def test_logout_needs_a_post_and_ends_the_session(staff_client, portal):
    assert staff_client.get(reverse("logout")).status_code == 405
    response = staff_client.post(reverse("logout"))
    assert response.status_code == 302
    assert staff_client.get("/").status_code == 302


@pytest.mark.django_db
def test_not_found_page_uses_the_layout_in_chinese(staff_client, portal):
    response = staff_client.get("/no-such-page/")
    html = response.content.decode()
    assert response.status_code == 404
    assert "页面不存在" in html and "东方重工集团" in html and ">新闻中心</a>" in html


@pytest.mark.django_db
def test_forbidden_page_uses_the_layout_in_chinese(rf, staff, portal):
    request = rf.get("/somewhere/")
    request.user = staff
    response = permission_denied(request, PermissionDenied())
    html = response.content.decode()
    assert response.status_code == 403
    assert "无权访问" in html and "东方重工集团" in html and ">公文办理</a>" in html


@pytest.mark.django_db
@override_settings(DEBUG=False)
def test_server_error_page_uses_the_layout_in_chinese(staff, portal, monkeypatch):
    from django.test import Client

    from home.models import HomePage

    def explode(*args, **kwargs):
        raise RuntimeError("boom")

    monkeypatch.setattr(HomePage, "get_context", explode)
    client = Client(raise_request_exception=False)
    client.force_login(staff)
    response = client.get("/")
    html = response.content.decode()
    assert response.status_code == 500
    assert "系统出错了" in html and "东方重工集团" in html


@pytest.mark.django_db
def test_home_is_not_marked_current_on_other_pages(staff_client, portal):
    html = staff_client.get("/people/profile/").content.decode()
    assert 'aria-current="page">首页</a>' not in html
    assert 'aria-current="page">首页</a>' in staff_client.get("/").content.decode()


@pytest.mark.django_db
def test_a_bad_host_gets_the_400_page_not_a_crash(client):
    response = client.get("/", HTTP_HOST="evil.example.com")
    assert response.status_code == 400


def _content_administration_links(client, path: str) -> int:
    page = client.get(path).content.decode()
    return page.count(f'href="{reverse("wagtailadmin_home")}"')


@pytest.mark.django_db
def test_a_column_administrator_gets_content_administration_in_header_and_on_home(
    client, portal, staff, unit_a
):
    role_grant(actor=None, user=staff, role=Role.COLUMN_ADMIN, unit=unit_a)
    client.force_login(staff)

    assert _content_administration_links(client, "/") == 2
    assert _content_administration_links(client, reverse("people:profile")) == 1


@pytest.mark.django_db
def test_an_ordinary_user_gets_content_administration_nowhere(staff_client, portal):
    assert _content_administration_links(staff_client, "/") == 0
    assert _content_administration_links(staff_client, reverse("people:profile")) == 0

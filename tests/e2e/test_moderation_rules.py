"""Who may act on news in Wagtail's admin: in a column shared by units (基层动态) another unit's
editor finds no way to change a unit's news, and a moderator is offered no decision on her own
submission while another moderator approves it."""

import re

import pytest
from playwright.sync_api import expect

from people.models import Role
from people.services import role_grant
from tests.e2e import test_editor_journeys as journeys
from tests.e2e.conftest import E2E
from tests.factories import UserFactory
from tests.factories.publishing import NewsColumnPageFactory, NewsPageFactory

pytestmark = E2E

org = journeys.org  # the small organization those journeys work in
open_action_menu, sign_in = journeys.open_action_menu, journeys.sign_in

CHINESE = re.compile(r"[\u4e00-\u9fff]")


@pytest.fixture
def shared_column(org):
    headquarters, _offices = org
    return NewsColumnPageFactory(title="基层动态", slug="unit-news", owner_unit=headquarters)


def test_another_units_editor_finds_no_way_to_change_a_units_news(
    page, live_server, org, shared_column
):
    _headquarters, offices = org
    unit_a, unit_b = offices["UA"].get_parent(), offices["UB"].get_parent()
    news = NewsPageFactory(parent=shared_column, title="甲单位新闻", owner_unit=unit_a)
    editor_b = UserFactory(username="yibianji", name="乙编辑", department=offices["UB"])
    role_grant(actor=None, user=editor_b, role=Role.COLUMN_ADMIN, unit=unit_b, column=shared_column)
    edit_path = f"/admin/pages/{news.pk}/edit/"

    sign_in(page, live_server.url, editor_b)
    page.goto(f"{live_server.url}/admin/pages/{shared_column.pk}/")
    expect(page.get_by_text("甲单位新闻")).to_be_visible()
    expect(page.locator(f'a[href="{edit_path}"]')).to_have_count(0)
    expect(page.locator(f'a[href="/admin/pages/{news.pk}/delete/"]')).to_have_count(0)
    expect(page.locator(f'a[href="/admin/pages/{news.pk}/unpublish/"]')).to_have_count(0)

    page.goto(f"{live_server.url}{edit_path}")
    expect(page).to_have_url(f"{live_server.url}/admin/")
    expect(page.locator(".messages")).to_contain_text(CHINESE)
    expect(page.locator('button[name="action-publish"]')).to_have_count(0)
    news.refresh_from_db()
    assert news.title == "甲单位新闻"


def test_a_moderator_is_offered_no_decision_on_her_own_submission(
    page, live_server, org, shared_column
):
    headquarters, _offices = org
    submitter, other = (
        UserFactory(username=username, name=name, department=headquarters)
        for username, name in (("shenhe1", "审核一"), ("shenhe2", "审核二"))
    )
    for moderator in (submitter, other):
        role_grant(actor=None, user=moderator, role=Role.COLUMN_ADMIN, unit=headquarters)
    news = NewsPageFactory(parent=shared_column, title="自己提交的新闻", live=False)
    shared_column.get_workflow().start(news, submitter)
    approve = page.locator('button[data-workflow-action-name="approve"]')

    sign_in(page, live_server.url, submitter)
    page.goto(f"{live_server.url}/admin/pages/{news.pk}/edit/")
    open_action_menu(page)
    expect(page.get_by_role("button", name="取消工作流")).to_be_visible()
    expect(approve).to_have_count(0)
    expect(page.locator('button[name="action-publish"]')).to_have_count(0)
    expect(page.locator('button[data-workflow-action-name="reject"]')).to_have_count(0)

    sign_in(page, live_server.url, other)
    page.goto(f"{live_server.url}/admin/pages/{news.pk}/edit/")
    open_action_menu(page)
    approve.and_(page.locator(":not([data-workflow-action-modal-url])")).click()
    expect(page.locator(".messages")).to_contain_text(news.title)
    news.refresh_from_db()
    assert news.live

"""Column editors in Wagtail's admin, on a small organization (no demo data): a notice for chosen
units reaches them and nobody else, and approving submitted news publishes it, every time."""

import re

import pytest
from playwright.sync_api import expect

from home.models import NewsPage, NoticeIndexPage, NoticePage
from people.models import OrgUnit, Role
from people.services import role_grant
from tests.conftest import restore_wagtail_base_rows
from tests.e2e.conftest import E2E, submit_login
from tests.factories import OrgUnitFactory, UserFactory
from tests.factories.people import TEST_PASSWORD
from tests.factories.publishing import NewsColumnPageFactory, NewsPageFactory

pytestmark = E2E


@pytest.fixture
def org(live_server):
    from home.services import portal_ensure, publishing_roots_ensure

    restore_wagtail_base_rows()
    publishing_roots_ensure(portal_ensure(site_name="东方重工集团"))
    headquarters = OrgUnitFactory(
        code="HQ", name="东方重工集团有限公司", kind=OrgUnit.Kind.HEADQUARTERS
    )
    units = {}
    for code, name in (("UA", "甲单位"), ("UB", "乙单位")):
        unit = OrgUnitFactory(parent=headquarters, code=code, name=name, kind=OrgUnit.Kind.UNIT)
        units[code] = OrgUnitFactory(
            parent=unit, code=f"{code}-BGS", name="综合办公室", kind=OrgUnit.Kind.DEPARTMENT
        )
    return headquarters, units


def sign_in(page, base_url, user):
    page.context.clear_cookies()
    submit_login(page, base_url, user.username, TEST_PASSWORD)
    page.wait_for_url(f"{base_url}/")


def open_action_menu(page):
    page.locator("footer .w-dropdown-button .w-dropdown__toggle").click()


def test_a_column_editor_sends_a_notice_to_one_unit_through_the_editor(page, live_server, org):
    headquarters, offices = org
    notices = NoticeIndexPage.objects.get()
    notices.direct_publish = True
    notices.save()
    editor = UserFactory(username="bianji", name="编辑", department=headquarters)
    role_grant(actor=None, user=editor, role=Role.COLUMN_ADMIN, unit=headquarters, column=notices)
    reader = UserFactory(username="jiayuan", name="甲员", department=offices["UA"])
    outsider = UserFactory(username="yiyuan", name="乙员", department=offices["UB"])
    title = "关于甲单位安全检查的通知"

    sign_in(page, live_server.url, editor)
    page.goto(f"{live_server.url}/admin/pages/add/home/noticepage/{notices.pk}/")
    page.locator("#id_title").fill(title)
    page.locator("#id_issuing_department").select_option(label="东方重工集团有限公司")
    page.locator("#id_audience").select_option("chosen")
    page.get_by_label("甲单位 › 综合办公室").check()
    body = page.locator('[data-contentpath="body"] [contenteditable="true"]')
    body.click()
    page.keyboard.type("请于本周完成自查。")
    expect(page.locator("#id_body")).to_have_value(re.compile("本周完成自查"))
    open_action_menu(page)
    page.locator('button[name="action-publish"]').click()

    expect(page.locator(".messages")).to_contain_text(title)
    notice = NoticePage.objects.get(title=title)
    assert notice.live
    assert list(notice.audience_units.all()) == [offices["UA"]]
    page.goto(f"{live_server.url}{notice.url}")
    expect(page.locator("h1")).to_have_text(title)
    expect(page.get_by_test_id("reading-status")).to_be_visible()

    sign_in(page, live_server.url, reader)
    page.goto(f"{live_server.url}{notice.url}")
    expect(page.locator("h1")).to_have_text(title)

    sign_in(page, live_server.url, outsider)
    assert page.goto(f"{live_server.url}{notice.url}").status == 404


def test_approving_submitted_news_publishes_it_three_times_in_a_row(page, live_server, org):
    _headquarters, offices = org
    unit_a = offices["UA"].get_parent()
    column = NewsColumnPageFactory(title="甲单位动态", slug="unit-a-news", owner_unit=unit_a)
    editor = UserFactory(username="bianji", name="编辑", department=offices["UA"])
    role_grant(actor=None, user=editor, role=Role.COLUMN_ADMIN, unit=unit_a, column=column)
    moderator = UserFactory(username="shenhe", name="审核", department=offices["UA"])
    role_grant(actor=None, user=moderator, role=Role.COLUMN_ADMIN, unit=unit_a)
    submitted = []
    for number in range(3):
        news = NewsPageFactory(parent=column, title=f"待审新闻{number}", live=False)
        news.get_latest_revision().user = editor
        column.get_workflow().start(news, editor)
        submitted.append(news)

    sign_in(page, live_server.url, moderator)
    for news in submitted:
        page.goto(f"{live_server.url}/admin/pages/{news.pk}/edit/")
        open_action_menu(page)
        page.locator(
            'button[data-workflow-action-name="approve"]:not([data-workflow-action-modal-url])'
        ).click()
        expect(page.locator(".messages")).to_contain_text(news.title)
        news.refresh_from_db()
        assert news.live
        assert news.current_workflow_state is None
    assert NewsPage.objects.live().count() == 3

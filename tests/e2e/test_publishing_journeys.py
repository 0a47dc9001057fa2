"""A column editor drafts news in Wagtail's admin and submits it; the unit's column administrator
approves it; staff read it on the portal home page."""

import re

import pytest
from playwright.sync_api import expect

from home.models import NewsIndexPage, NewsPage
from people.models import OrgUnit, Role
from people.services import role_grant
from tests.e2e.conftest import E2E, submit_login
from tests.factories import UserFactory
from tests.factories.people import TEST_PASSWORD
from tests.factories.publishing import NewsColumnPageFactory

pytestmark = E2E

NEWS_TITLE = "拖拉机公司新品下线 E2E"
BODY_TEXT = "The tractor company launches a new model."


@pytest.fixture
def column(demo):
    tractor_company = OrgUnit.objects.get(code="TLJ")
    return NewsColumnPageFactory(
        parent=NewsIndexPage.objects.get(),
        title="拖拉机公司快讯",
        slug="tlj-bulletin",
        owner_unit=tractor_company,
    )


@pytest.fixture
def column_editor(column):
    editor = UserFactory(
        username="xiaobian",
        name="肖编",
        department=OrgUnit.objects.get(code="TLJ-BGS"),
    )
    role_grant(
        actor=None, user=editor, role=Role.COLUMN_ADMIN, unit=column.owner_unit, column=column
    )
    return editor


def open_action_menu(page):
    page.locator("footer .w-dropdown-button .w-dropdown__toggle").click()


def test_editor_drafts_and_submits_moderator_approves_staff_read_it(
    page, demo, sign_in, column, column_editor
):
    submit_login(page, demo.url, column_editor.username, TEST_PASSWORD)
    page.wait_for_url(f"{demo.url}/")
    page.goto(f"{demo.url}/admin/pages/add/home/newspage/{column.pk}/")
    page.locator("#id_title").fill(NEWS_TITLE)
    page.locator('[data-contentpath="body"] button.c-sf-add-button').click()
    page.get_by_role("option").first.click()
    paragraph = page.locator('[data-contentpath="body"] [contenteditable="true"]')
    paragraph.click()
    page.keyboard.type(BODY_TEXT)
    # Draftail writes the field's value a moment after the last keystroke.
    expect(page.locator("#body-0-value")).to_have_value(re.compile(BODY_TEXT))
    open_action_menu(page)
    page.locator('button[name="action-submit"]').click()

    expect(page.locator(".messages")).to_contain_text(NEWS_TITLE)
    news = NewsPage.objects.get(title=NEWS_TITLE)
    assert not news.live
    assert news.get_parent().pk == column.pk

    page.context.clear_cookies()
    sign_in("sufang")
    page.goto(f"{demo.url}/admin/pages/{news.pk}/edit/")
    open_action_menu(page)
    page.locator(
        'button[data-workflow-action-name="approve"]:not([data-workflow-action-modal-url])'
    ).click()
    expect(page.locator(".messages")).to_contain_text(NEWS_TITLE)
    news.refresh_from_db()
    assert news.live

    page.context.clear_cookies()
    sign_in("heyan")
    column_section = page.locator("section", has=page.locator(f"#column-{column.pk}"))
    expect(column_section).to_contain_text(NEWS_TITLE)

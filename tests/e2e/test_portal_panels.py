"""The home page's panels, each from its own app: the to-do list and knowledge due for review."""

import re

from playwright.sync_api import expect

from tests.e2e.conftest import E2E

pytestmark = E2E


def test_a_leader_opens_a_waiting_task_from_the_home_page(page, demo, sign_in):
    sign_in("sunhao")

    panel = page.get_by_test_id("portal-pending-tasks")
    expect(panel.get_by_role("heading", name="我的待办")).to_be_visible()
    panel.get_by_role("link", name="关于调整职工住房公积金缴存基数的通知").click()

    expect(page).to_have_url(re.compile(r"/workflow/.+"))
    expect(page.get_by_text("关于调整职工住房公积金缴存基数的通知").first).to_be_visible()


def test_an_owner_follows_an_item_due_for_review_and_others_see_no_such_panel(page, demo, sign_in):
    sign_in("chenjing")

    panel = page.get_by_test_id("knowledge-review-due")
    expect(panel).to_contain_text("公务用车管理办法")
    expect(panel.get_by_role("heading", name="待复审的知识")).to_be_visible()
    expect(panel).to_contain_text("已逾期")
    panel.get_by_role("link", name="公务用车管理办法").click()
    expect(page.get_by_role("heading", name="公务用车管理办法", level=1)).to_be_visible()

    page.context.clear_cookies()
    sign_in("heyan")
    expect(page.get_by_test_id("portal-pending-tasks")).to_be_visible()
    expect(page.get_by_test_id("knowledge-review-due")).to_have_count(0)

"""The message center: a user sees the count on the bell, opens the inbox, opens an item (it
leads to its task and the count drops), and marks everything read."""

import re

from playwright.sync_api import expect

from tests.e2e.conftest import E2E

pytestmark = E2E

TASK_TITLE = "关于调整职工住房公积金缴存基数的通知"


def unread(page) -> int:
    return int(page.get_by_test_id("unread-count").inner_text().rstrip("+"))


def test_a_leader_reads_a_task_from_the_inbox_and_marks_all_read(page, demo, sign_in):
    sign_in("sunhao")
    before = unread(page)
    assert before >= 2  # the waiting task and the group's notices

    page.get_by_test_id("inbox-link").click()
    expect(page.get_by_role("heading", name="消息中心", level=1)).to_be_visible()
    page.get_by_role("link", name="待办公文").click()
    item = page.get_by_test_id("notification").filter(has_text=TASK_TITLE)
    expect(item).to_have_count(1)
    item.get_by_role("link").click()

    expect(page).to_have_url(re.compile(r"/workflow/.+"))
    expect(page.get_by_text(TASK_TITLE).first).to_be_visible()
    expect(page.get_by_test_id("unread-count")).to_have_text(str(before - 1))

    page.get_by_test_id("inbox-link").click()
    page.get_by_role("link", name="未读", exact=True).click()
    expect(page.get_by_test_id("notification").filter(has_text=TASK_TITLE)).to_have_count(0)
    page.get_by_test_id("mark-all-read").click()

    expect(page.locator(".xt-messages")).to_contain_text("标为已读")
    expect(page.get_by_test_id("unread-count")).to_have_text("0")
    expect(page.get_by_test_id("notification").first).to_be_visible()
    expect(page.locator(".xt-inbox__list li.is-unread")).to_have_count(0)


def test_e_mail_settings_are_offered_only_with_smtp_and_saved(page, demo, sign_in, settings):
    settings.EMAIL_HOST = ""
    sign_in("heyan")
    page.get_by_test_id("user-menu").click()
    page.get_by_role("link", name="消息设置").click()
    expect(page.get_by_role("heading", name="消息设置", level=1)).to_be_visible()
    expect(page.get_by_test_id("email-off")).to_contain_text("未配置邮件服务")

    settings.EMAIL_HOST = "smtp.example.invalid"
    page.reload()
    expect(page.get_by_label("超期公文")).to_be_checked()
    page.get_by_label("待办公文").check()
    page.get_by_label("超期公文").uncheck()
    page.get_by_role("button", name="保存").click()

    expect(page.locator(".xt-messages")).to_contain_text("消息设置已保存。")
    expect(page.get_by_label("待办公文")).to_be_checked()
    expect(page.get_by_label("超期公文")).not_to_be_checked()

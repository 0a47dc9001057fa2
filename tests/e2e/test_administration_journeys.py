"""A unit administrator creates an account and resets its password; a permission request is
asked for, approved and seen by the requester."""

import re

from playwright.sync_api import expect

from tests.e2e.conftest import E2E, sign_out, submit_login

pytestmark = E2E

FIRST_PASSWORD = "Chushi-mima-2026"
RESET_PASSWORD = "Chongzhi-mima-2026"


def test_unit_admin_creates_an_account_and_resets_its_password(page, demo, sign_in):
    sign_in("hanmei")
    page.get_by_test_id("user-menu").click()
    page.get_by_role("link", name="系统管理").click()
    expect(page.get_by_role("heading", name="账号管理")).to_be_visible()
    expect(page.get_by_role("cell", name="heyan")).to_be_visible()
    expect(page.get_by_role("cell", name="luohua")).to_have_count(0)  # another unit's account

    page.get_by_role("link", name="新建账号").click()
    page.get_by_label("账号").fill("wangxiao")
    page.get_by_label("姓名").fill("王晓")
    page.get_by_label("部门").select_option(label="　　生产部")
    page.get_by_label("初始密码").fill(FIRST_PASSWORD)
    page.get_by_role("button", name="创建账号").click()
    expect(page.locator(".xt-messages")).to_contain_text("wangxiao")

    page.get_by_label("新密码").fill(RESET_PASSWORD)
    page.get_by_role("button", name="重置密码").click()
    expect(page.locator(".xt-messages")).to_contain_text("密码已重置")
    sign_out(page)

    submit_login(page, demo.url, "wangxiao", FIRST_PASSWORD)
    expect(page.get_by_role("alert")).to_be_visible()
    submit_login(page, demo.url, "wangxiao", RESET_PASSWORD)
    expect(page.get_by_test_id("welcome")).to_contain_text("您好，王晓")


def test_permission_request_is_approved_end_to_end(page, demo, sign_in):
    sign_in("heyan")
    page.get_by_test_id("user-menu").click()
    page.get_by_role("link", name="我的权限申请").click()
    page.get_by_role("link", name="申请权限").click()
    page.get_by_label("角色").select_option(label="栏目管理员")
    page.get_by_label("理由").fill("负责生产部新闻投稿")
    page.get_by_role("button", name="提交申请").click()
    expect(page.locator(".xt-messages")).to_contain_text("已提交")
    expect(page.get_by_role("cell", name="待审批")).to_be_visible()
    sign_out(page)

    sign_in("hanmei")
    page.goto(f"{demo.url}/people/requests/review/")
    request = page.locator("article.xt-request").filter(has_text="何燕")
    request.get_by_label("意见").fill("同意")
    request.get_by_role("button", name="同意", exact=True).click()
    expect(page.locator(".xt-messages")).to_contain_text("已批准")
    sign_out(page)

    sign_in("heyan")
    page.get_by_test_id("inbox-link").click()
    decision = page.get_by_test_id("notification").filter(has_text="栏目管理员")
    expect(decision).to_contain_text("已批准")
    expect(decision).to_contain_text("同意")
    decision.get_by_role("link").click()
    expect(page).to_have_url(re.compile(r"/people/requests/"))
    expect(page.get_by_role("cell", name="已批准")).to_be_visible()
    page.goto(f"{demo.url}/people/profile/")
    expect(page.locator(".xt-profile")).to_contain_text("栏目管理员")

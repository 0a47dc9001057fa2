"""The first journeys: sign in, read the home page in Chinese, switch to English, sign out."""

from playwright.sync_api import expect

from tests.e2e.conftest import E2E, sign_out, submit_login

pytestmark = E2E

NAVIGATION = ["首页", "新闻中心", "通知公告", "知识中心", "公文办理", "搜索"]
NO_HORIZONTAL_SCROLL = "document.documentElement.scrollWidth <= innerWidth"


def test_sign_in_and_see_the_home_page_in_chinese(page, demo, sign_in):
    page.goto(demo.url)
    expect(page).to_have_url(f"{demo.url}/accounts/login/?next=/")
    expect(page.locator("html")).to_have_attribute("lang", "zh-hans")

    sign_in("heyan")

    expect(page.locator(".xt-brand__group")).to_have_text("东方重工集团")
    navigation = page.get_by_role("navigation", name="主导航")
    for label in NAVIGATION:
        expect(navigation.get_by_role("link", name=label, exact=True)).to_be_visible()
    expect(page.get_by_test_id("welcome")).to_contain_text("您好，何燕")
    expect(page.get_by_test_id("welcome")).to_contain_text("东重拖拉机有限公司")
    expect(page.get_by_test_id("user-menu")).to_contain_text("何燕")
    expect(page.get_by_role("heading", name="我的待办")).to_be_visible()


def test_wrong_password_shows_a_message_and_stays_on_login(page, demo):
    submit_login(page, demo.url, "heyan", "not-the-password")
    expect(page.get_by_role("alert")).to_contain_text("请输入一个正确的")
    expect(page).to_have_url(f"{demo.url}/accounts/login/")


def test_switch_to_english_and_back(page, demo, sign_in):
    sign_in("heyan")
    page.get_by_test_id("language-switch").get_by_role("button", name="EN").click()

    expect(page.locator("html")).to_have_attribute("lang", "en")
    navigation = page.get_by_role("navigation", name="Main navigation")
    expect(navigation.get_by_role("link", name="News", exact=True)).to_be_visible()
    expect(page.get_by_test_id("welcome")).to_contain_text("Hello, 何燕")

    page.goto(f"{demo.url}/workflow/")
    expect(page.get_by_role("heading", level=1)).to_have_text("My to-do tasks")

    page.get_by_test_id("language-switch").get_by_role("button", name="中文").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("我的待办")


def test_sign_out_from_the_user_menu(page, demo, sign_in):
    sign_in("hanmei")
    sign_out(page)

    expect(page).to_have_url(f"{demo.url}/accounts/login/")
    page.goto(f"{demo.url}/people/profile/")
    expect(page).to_have_url(f"{demo.url}/accounts/login/?next=/people/profile/")


def test_phone_width_keeps_navigation_and_search_usable(page, demo, sign_in):
    page.set_viewport_size({"width": 390, "height": 844})
    sign_in("heyan")
    expect(page.get_by_role("searchbox", name="搜索", exact=True)).to_be_visible()
    assert page.evaluate(NO_HORIZONTAL_SCROLL), "the home page is wider than the phone"
    page.get_by_role("navigation", name="主导航").get_by_role("link", name="知识中心").click()
    expect(page.get_by_role("heading", name="知识中心", level=1)).to_be_visible()
    assert page.evaluate(NO_HORIZONTAL_SCROLL)

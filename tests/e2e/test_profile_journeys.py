"""Journeys through one's own profile and the staff directory (通讯录)."""

from playwright.sync_api import expect

from tests.e2e.conftest import DEMO_PASSWORD, E2E, sign_out, submit_login

pytestmark = E2E

NEW_PASSWORD = "Hongqi-Qudao-2027"


def test_staff_member_changes_password_and_signs_in_again(page, demo, sign_in):
    sign_in("heyan")
    page.goto(f"{demo.url}/people/profile/")
    page.locator('a[href="/people/profile/password/"]').click()

    page.fill("#id_old_password", DEMO_PASSWORD)
    page.fill("#id_new_password1", NEW_PASSWORD)
    page.fill("#id_new_password2", NEW_PASSWORD)
    page.locator("form.xt-form button[type=submit]").click()

    expect(page).to_have_url(f"{demo.url}/people/profile/")
    expect(page.locator(".xt-message--success")).to_be_visible()
    expect(page.locator(".xt-profile__name")).to_have_text("何燕")

    sign_out(page)
    expect(page).to_have_url(f"{demo.url}/accounts/login/")

    submit_login(page, demo.url, "heyan", DEMO_PASSWORD)
    expect(page.get_by_role("alert")).to_contain_text("请输入一个正确的")
    expect(page).to_have_url(f"{demo.url}/accounts/login/")

    submit_login(page, demo.url, "heyan", NEW_PASSWORD)
    expect(page).to_have_url(f"{demo.url}/")
    expect(page.get_by_test_id("user-menu")).to_contain_text("何燕")


def test_staff_member_finds_a_colleague_by_pinyin_initials(page, demo, sign_in):
    sign_in("heyan")
    page.goto(f"{demo.url}/people/directory/")
    search = page.locator(".xt-directory__people input[name=q]")
    search.fill("mxd")
    search.press("Enter")

    people = page.get_by_test_id("directory-person")
    expect(people).to_have_count(1)
    expect(people.first).to_contain_text("马晓东")
    expect(people.first).to_contain_text("总经理")
    expect(people.first).to_contain_text("综合办公室")


def test_directory_on_a_phone_folds_the_tree_above_the_list(page, demo, sign_in):
    page.set_viewport_size({"width": 390, "height": 844})
    sign_in("heyan")
    page.goto(f"{demo.url}/people/directory/")

    tree = page.locator(".xt-directory__tree")
    expect(tree).not_to_have_attribute("open", "")
    tree.locator("summary").click()
    tree.get_by_role("link", name="东重动力有限公司").click()

    people = page.get_by_test_id("directory-person")
    expect(people.first).to_contain_text("许志勇")
    expect(people).to_have_count(5)  # with the unit's archivist
    no_horizontal_scroll = page.evaluate(
        "document.documentElement.scrollWidth <= document.documentElement.clientWidth"
    )
    assert no_horizontal_scroll


def test_a_wrong_old_password_is_reported_next_to_its_field(page, demo, sign_in):
    sign_in("heyan")
    page.goto(f"{demo.url}/people/profile/password/")

    page.fill("#id_old_password", "not-my-password")
    page.fill("#id_new_password1", NEW_PASSWORD)
    page.fill("#id_new_password2", NEW_PASSWORD)
    page.locator("form.xt-form button[type=submit]").click()

    old_password = page.locator("#id_old_password")
    expect(old_password).to_have_attribute("aria-invalid", "true")
    expect(old_password).to_have_attribute("aria-describedby", "id_old_password_error")
    expect(page.locator("#id_old_password_error")).to_contain_text("旧密码不正确")
    expect(page.locator("#id_new_password1")).to_have_attribute(
        "aria-describedby", "id_new_password1_helptext"
    )

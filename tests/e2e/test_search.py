"""Searching from the header: results with highlights, a kind filter, opening a result."""

import re

from playwright.sync_api import expect

from tests.e2e.conftest import E2E

pytestmark = E2E


def test_search_from_the_header_filter_by_kind_and_open_a_result(page, demo, sign_in):
    sign_in("heyan")
    header_box = page.locator(".xt-search-box input[name=q]")
    header_box.fill("安全")
    header_box.press("Enter")

    expect(page).to_have_url(re.compile(r"/search/\?q="))
    results = page.get_by_test_id("search-result")
    expect(results.first).to_be_visible()
    expect(page.locator(".xt-result mark").first).to_have_text("安全")
    kinds = page.get_by_test_id("kind-facets")
    expect(kinds.locator("[data-kind=news]")).to_be_visible()
    expect(kinds.locator("[data-kind=notice]")).to_be_visible()

    kinds.locator("[data-kind=notice]").click()
    expect(page).to_have_url(re.compile(r"kind=notice"))
    expect(kinds.locator("[data-kind=notice]")).to_have_class(re.compile("is-selected"))
    for kind in results.evaluate_all("items => items.map(item => item.dataset.kind)"):
        assert kind == "notice"

    first = results.first.locator(".xt-result__title")
    title = first.inner_text()
    first.click()
    expect(page).to_have_url(re.compile(r"/notices/"))
    expect(page.get_by_role("heading", level=1)).to_contain_text(title)


def test_nothing_found_says_so(page, demo, sign_in):
    sign_in("heyan")
    page.goto(f"{demo.url}/search/?q=完全不存在的内容xyz")
    expect(page.get_by_test_id("search-empty")).to_be_visible()

"""Usage statistics in the browser: the headquarters' office compares the units, sorts, exports
and generates the month's bulletin; a unit administrator sees only their unit and opens the list
behind a figure. The charts are drawn by the vendored ECharts under the intranet's CSP."""

import re
from datetime import timedelta

from playwright.sync_api import expect

from stats.periods import beijing_today
from stats.services import rollup_range
from tests.e2e.conftest import E2E, sign_out

pytestmark = E2E


def watch_csp(page) -> list[str]:
    refused = []
    page.on(
        "console",
        lambda message: (
            refused.append(message.text) if "Content Security Policy" in message.text else None
        ),
    )
    return refused


def open_stats(page):
    page.get_by_test_id("user-menu").click()
    page.get_by_role("link", name="应用情况统计").click()


def test_the_headquarters_office_compares_units_and_makes_the_bulletin(page, demo, sign_in):
    refused = watch_csp(page)
    sign_in("zhaolei")
    open_stats(page)
    expect(page.get_by_role("heading", name="集团应用情况统计", level=1)).to_be_visible()
    table = page.get_by_test_id("group-table")
    for unit in ("集团总部", "拖拉机公司", "动力公司", "铸锻公司"):
        expect(table.get_by_role("link", name=unit)).to_be_visible()
    # Signing in just now is counted live for the headquarters.
    expect(table.locator('tr[data-unit="HQ"] td[data-column="logins"]')).not_to_have_text("0")
    expect(page.locator("[data-chart] svg").first).to_be_visible()

    table.get_by_role("link", name="登录次数").click()
    expect(page).to_have_url(re.compile(r"sort=logins"))
    first_row = page.get_by_test_id("group-table").locator("tbody tr").first
    expect(first_row).to_have_attribute("data-unit", "HQ")

    with page.expect_download() as download:
        page.get_by_test_id("group-export").click()
    assert download.value.suggested_filename.endswith(".xlsx")

    # The last thirty days rolled up: the headquarters' knowledge item due twenty days ago and
    # still waiting is an overdue review, listed behind the figure.
    today = beijing_today()
    rollup_range(today - timedelta(days=30), today - timedelta(days=1))
    page.goto(f"{demo.url}/stats/group/?period=custom&from={today - timedelta(days=30)}&to={today}")
    overdue = page.locator('tr[data-unit="HQ"] td[data-column="knowledge_reviews_overdue"]')
    expect(overdue).not_to_have_text("0")
    overdue.get_by_role("link").click()
    expect(page.get_by_role("heading", level=1)).to_contain_text("逾期复核")
    expect(page.get_by_test_id("drill-down")).to_contain_text("公务用车管理办法")
    page.goto(f"{demo.url}/stats/group/")

    page.get_by_role("link", name="月度通报").click()
    page.get_by_test_id("bulletin-generate").get_by_role("button", name="生成通报").click()
    expect(page.locator(".xt-messages")).to_contain_text("通报已生成")
    expect(page.get_by_test_id("bulletins").get_by_role("link", name="PDF")).to_have_count(1)
    assert refused == []


def test_a_unit_administrator_sees_their_unit_and_the_list_behind_a_figure(page, demo, sign_in):
    refused = watch_csp(page)
    sign_in("hanmei")
    open_stats(page)
    expect(page.get_by_role("heading", name="东重拖拉机有限公司应用情况统计")).to_be_visible()
    expect(page.locator("[data-chart] svg").first).to_be_visible()
    page.get_by_test_id("unit-figures").locator('[data-column="logins"] a').click()
    expect(page.get_by_test_id("drill-down")).to_contain_text("hanmei")

    page.goto(f"{demo.url}/stats/group/")
    expect(page.get_by_role("heading", level=1)).not_to_have_text("集团应用情况统计")
    sign_out(page)
    assert refused == []

"""The drafter narrows their done list with the filter bar, clears it, and is told when the
period they typed runs backwards."""

from django.urls import reverse
from playwright.sync_api import expect

from tests.e2e.conftest import E2E

pytestmark = E2E

REPORT = "关于2026年度人力资源工作情况的报告"


def test_the_drafter_filters_the_done_list(page, demo, sign_in):
    sign_in("zhouli")
    page.goto(f"{demo.url}{reverse('gongwen:done')}")
    rows = page.get_by_test_id("task-row")
    filters = page.get_by_test_id("task-filters")
    expect(rows.filter(has_text=REPORT)).to_have_count(1)
    everything = rows.count()
    assert everything > 1

    filters.locator("#id_doc_type").select_option("report")
    filters.get_by_role("button", name="筛选").click()

    expect(rows).to_have_count(1)
    expect(rows.first).to_contain_text(REPORT)

    filters.get_by_role("link", name="清除").click()
    expect(rows).to_have_count(everything)

    filters.locator("#id_date_from").fill("2026-06-30")
    filters.locator("#id_date_to").fill("2026-06-01")
    filters.get_by_role("button", name="筛选").click()

    expect(page.locator(".xt-form-error")).to_contain_text("截止日期早于起始日期")
    expect(rows).to_have_count(everything)

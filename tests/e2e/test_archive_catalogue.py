"""The archivist's catalogue in the browser: filters it, opens the printed PDF, downloads the
workbook, and builds the year's transfer package, which downloads and verifies."""

import re

import pytest
from playwright.sync_api import expect

from archive.models import ArchiveClassCode, ArchiveItem, Retention
from archive.package_check import verify_package
from tests.e2e.conftest import E2E, submit_login
from tests.factories import OrgUnitFactory
from tests.factories.archive import archived_item, archivist_of, fonds_of
from tests.factories.people import TEST_PASSWORD

pytestmark = E2E


@pytest.fixture
def archivist(portal, settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path / "media"
    unit = OrgUnitFactory(code="UA", name="甲单位", kind="unit")
    fonds = fonds_of(unit)
    ArchiveClassCode.objects.create(fonds=fonds, code="BGS", name="办公室")
    user = archivist_of(unit, username="dangan", name="档案员甲")
    for number in (1, 2, 3):
        archived_item(fonds, user, number=number, title=f"关于第{number}季度安全生产的通知")
    archived_item(fonds, user, number=1, retention=Retention.PERMANENT, title="年度工作总结")
    ArchiveItem.objects.get(item_number=3).mark_destroyed()
    return user


def test_the_archivist_filters_prints_exports_and_transfers_the_catalogue(
    page, live_server, archivist, tmp_path
):
    submit_login(page, live_server.url, archivist.username, TEST_PASSWORD)
    page.wait_for_url(f"{live_server.url}/")
    page.goto(f"{live_server.url}/archive/catalogue/")
    expect(page.get_by_role("heading", level=1)).to_have_text("甲单位归档文件目录")
    rows = page.get_by_test_id("catalogue-row")
    expect(rows).to_have_count(4)
    expect(rows.first).to_contain_text("Z109-WS·2025-Y-BGS-0001")
    expect(page.get_by_test_id("destroyed-mark")).to_have_count(1)

    filters = page.get_by_test_id("catalogue-filters")
    filters.get_by_label("保管期限").select_option("D30")
    filters.get_by_role("button", name="筛选").click()
    expect(page).to_have_url(re.compile(r"retention=D30"))
    expect(rows).to_have_count(3)

    print_path = page.get_by_test_id("catalogue-print").get_attribute("href")
    printed = page.request.get(f"{live_server.url}{print_path}")
    assert printed.ok and printed.headers["content-type"] == "application/pdf"
    assert printed.body().startswith(b"%PDF")
    with page.expect_popup() as popup:
        page.get_by_test_id("catalogue-print").click()
    expect(popup.value).to_have_url(re.compile(r"print\.pdf\?.*retention=D30"))
    popup.value.close()

    with page.expect_download() as workbook:
        page.get_by_test_id("catalogue-xlsx").click()
    assert workbook.value.suggested_filename == "catalogue-Z109.xlsx"

    page.get_by_test_id("package-export").click()
    expect(page.locator(".xt-messages")).to_contain_text("正在生成 2025 年度的移交包")
    package_row = page.get_by_test_id("package-row")
    expect(package_row).to_contain_text("已完成")
    with page.expect_download() as package:
        package_row.get_by_test_id("package-download").click()
    assert package.value.suggested_filename == "Z109-2025.zip"
    path = tmp_path / "package.zip"
    package.value.save_as(path)
    assert verify_package(path).ok

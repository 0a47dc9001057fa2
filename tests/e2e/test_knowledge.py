"""Knowledge center in Chromium: an editor of 拖拉机公司工艺文件 uploads a new version of a file;
a colleague of the same unit browses the tree, previews the PDF and downloads it; a user of
another unit finds neither the category nor the file."""

from pathlib import Path

import pytest
from playwright.sync_api import expect

from demo import samplefiles
from knowledge.models import KnowledgeFile, KnowledgeFilePage, KnowledgeItemPage
from tests.e2e.conftest import E2E

pytestmark = E2E

NEW_TEXT = "七、新增：装配完成后进行二十分钟路试。"


@pytest.fixture
def process_file(demo):
    item = KnowledgeFilePage.objects.get(slug="assembly-process")
    return item, KnowledgeFile.objects.get(item=item)


def test_editor_uploads_a_version_staff_preview_and_download_other_unit_cannot(
    page, demo, sign_in, process_file, tmp_path
):
    item, file = process_file
    versions_before = file.versions.count()
    pdf = tmp_path / "拖拉机总装工艺规程.pdf"
    pdf.write_bytes(samplefiles.text_pdf("拖拉机总装工艺规程（第三版）", [[NEW_TEXT]]))

    sign_in("sufang")
    page.goto(f"{demo.url}{item.url}")
    page.get_by_test_id("upload-version").click()
    page.locator("#id_file").select_option(str(file.pk))
    page.locator("#id_upload").set_input_files(str(pdf))
    page.locator("#id_change_note").fill("增加路试要求")
    page.get_by_test_id("upload-form").locator('button[type="submit"]').click()
    page.wait_for_url(f"{demo.url}{item.url}")
    file.refresh_from_db()
    assert file.versions.count() == versions_before + 1
    current = file.current_version
    assert current.change_note == "增加路试要求"
    assert NEW_TEXT in current.extracted_text  # extracted after the upload's commit
    expect(page.get_by_test_id("extraction-status")).to_be_visible()

    page.context.clear_cookies()
    sign_in("heyan")
    page.goto(f"{demo.url}/knowledge/")
    tree = page.get_by_test_id("knowledge-tree")
    tree.get_by_role("link", name="拖拉机公司工艺文件").click()
    page.get_by_test_id("knowledge-item").get_by_role("link", name=item.title).click()
    expect(page.get_by_test_id("knowledge-breadcrumb")).to_contain_text("拖拉机公司工艺文件")
    preview = page.get_by_test_id("pdf-preview")
    expect(preview).to_have_attribute("src", f"/knowledge-center/files/{current.pk}/view/")
    with page.expect_download() as download_info:
        page.get_by_test_id("download-current").click()
    download = download_info.value
    assert download.suggested_filename == "拖拉机总装工艺规程.pdf"
    with current.blob.open("rb") as stored:
        assert Path(download.path()).read_bytes() == stored.read()
    assert KnowledgeItemPage.objects.get(pk=item.pk).download_count == 1

    page.context.clear_cookies()
    sign_in("luohua")
    page.goto(f"{demo.url}/knowledge/")
    expect(page.get_by_test_id("knowledge-tree")).not_to_contain_text("拖拉机公司工艺文件")
    expect(page.get_by_test_id("knowledge-tree")).to_contain_text("技术标准")
    assert page.goto(f"{demo.url}{item.url}").status == 404
    for url in (
        f"/knowledge-center/files/{current.pk}/download/",
        f"/knowledge-center/files/{current.pk}/view/",
        f"/api/knowledge/items/{item.pk}",
    ):
        assert page.request.get(f"{demo.url}{url}").status == 404, url

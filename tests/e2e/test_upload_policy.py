"""An editor adding a notice attachment in Wagtail's documents screen is told, in Chinese, why a
program file is refused, and nothing is stored."""

import pytest
from playwright.sync_api import expect
from wagtail.documents import get_document_model

from tests.e2e.conftest import E2E, submit_login
from tests.factories import UserFactory
from tests.factories.people import TEST_PASSWORD

pytestmark = E2E

EXE = b"MZ\x90\x00\x03\x00\x00\x00" + b"\x00" * 200


@pytest.fixture
def editor(portal):
    return UserFactory(username="bianji", name="边记", is_superuser=True, is_staff=True)


def test_a_program_file_is_refused_in_the_documents_screen(page, live_server, editor):
    submit_login(page, live_server.url, editor.username, TEST_PASSWORD)
    page.wait_for_url(f"{live_server.url}/")
    page.goto(f"{live_server.url}/admin/documents/multiple/add/")

    page.locator("#fileupload").set_input_files(
        files=[{"name": "安装程序.exe", "mimeType": "application/octet-stream", "buffer": EXE}]
    )

    refused = page.locator("#upload-list li.upload-failure")
    expect(refused).to_contain_text("此处不接受这种文件类型")
    expect(refused).to_contain_text("PDF")
    assert not get_document_model().objects.exists()

"""Filing in the browser: the unit's archivist opens 档案 → 待归档, files a closed document with the
proposed grouping and lands on the item's page with its archive code (档号)."""

import re

from django.urls import reverse
from playwright.sync_api import expect

from archive.models import ArchiveClassCode, ArchiveItem
from people.models import OrgUnit, Role, User
from tests.e2e.conftest import E2E
from tests.factories.archive import fonds_of
from tests.factories.people import RoleAssignmentFactory
from workflow import services
from workflow.models import OutgoingDocument

pytestmark = E2E

TITLE = "关于开展安全生产大检查的通知"
SHOTS = "var/print-pages"


def test_the_archivist_files_a_closed_document(page, demo, sign_in):
    document = OutgoingDocument.objects.get(title=TITLE)
    clerk = User.objects.get(username="zhaolei")
    if document.status == OutgoingDocument.Status.DISPATCHED:
        services.outgoing_close(document=document, user=clerk)
    unit = document.unit
    RoleAssignmentFactory(user=clerk, role=Role.ARCHIVIST, unit=unit)
    fonds = fonds_of(unit, "Z109")
    departments = OrgUnit.objects.filter(unit=unit, kind=OrgUnit.Kind.DEPARTMENT)
    for n, department in enumerate(departments, 1):
        ArchiveClassCode.objects.get_or_create(
            fonds=fonds, department=department, defaults={"code": f"D{n}", "name": department.name}
        )

    sign_in("zhaolei")
    page.goto(demo.url + "/")
    page.get_by_role("link", name="档案").first.click()
    page.wait_for_url(re.compile(r"/archive/"))
    row = page.get_by_test_id("to-file-row").filter(has_text=TITLE)
    expect(row).to_be_visible()
    page.screenshot(path=f"{SHOTS}/e2e-archive-to-file.png", full_page=True)
    row.get_by_test_id("file-this").click()
    expect(page.get_by_test_id("item-document")).to_have_count(1)
    page.fill("#id_remarks", "年度归档")
    page.screenshot(path=f"{SHOTS}/e2e-archive-file-form.png", full_page=True)
    page.get_by_test_id("file-submit").click()

    item = ArchiveItem.objects.get()
    page.wait_for_url(f"{demo.url}{reverse('archive:item', args=[item.pk])}")
    expect(page.get_by_test_id("archive-code")).to_have_text(item.archive_code)
    assert item.archive_code.startswith("Z109-WS·")
    expect(page.get_by_test_id("item-file")).not_to_have_count(0)
    page.screenshot(path=f"{SHOTS}/e2e-archive-item.png", full_page=True)

"""The electronic exchange in the browser: the headquarters' clerk numbers, typesets, seals
and dispatches a document to two units. 东重拖拉机's clerk finds it in 待签收 and signs for it,
and the unit takes it through every step, circulation included, to the close. 东重动力's clerk
returns it (退文) with a reason; the headquarters' clerk sees both states on the document and
sends it again to 东重动力. Nobody but a receiving unit's clerk sees a delivery."""

import re

from django.urls import reverse
from playwright.sync_api import expect

from people.models import OrgUnit
from tests.e2e.conftest import E2E, SCREENSHOTS, sign_out
from tests.e2e.test_incoming import handle_to_the_close
from tests.e2e.test_outgoing import handle_task
from workflow.models import Delivery, IncomingDocument, OutgoingDocument
from workflow.numbering.models import DocumentPrefix

pytestmark = E2E

TITLE_PATTERN = "年度先进集体和先进个人的决定"


def test_hq_dispatches_a_unit_signs_for_it_another_refuses_and_hq_resends(page, demo, sign_in):
    base = demo.url
    headquarters = OrgUnit.objects.get(code="HQ")
    tractor, power = OrgUnit.objects.get(code="TLJ"), OrgUnit.objects.get(code="DLI")
    prefix = DocumentPrefix.objects.get(unit=headquarters, text="东重")
    document = OutgoingDocument.objects.get(title__contains=TITLE_PATTERN)
    title = document.title

    # The headquarters' clerk numbers and typesets it, the drafter proof-reads, the clerk (the
    # demo's seal keeper too) seals it and sends it.
    sign_in("zhaolei")
    handle_task(page, base, title, lambda p: p.select_option("#id_prefix", str(prefix.pk)))
    handle_task(page, base, title, timeout=60_000)
    sign_out(page)
    sign_in("zhouli")
    handle_task(page, base, title)
    sign_out(page)
    sign_in("zhaolei")
    handle_task(page, base, title, timeout=60_000)
    handle_task(page, base, title)
    sign_out(page)
    assert Delivery.objects.filter(document=document, recipient_unit=tractor).exists()
    assert Delivery.objects.filter(document=document, recipient_unit=power).exists()

    # 东重拖拉机's clerk finds it on the home page and in 待签收, reads it and signs for it.
    sign_in("guoqiang")
    expect(page.get_by_test_id("portal-deliveries")).to_contain_text(title)
    page.goto(f"{base}{reverse('gongwen:deliveries')}")
    page.get_by_test_id("delivery-row").filter(has_text=title).get_by_role("link").click()
    expect(page.get_by_test_id("seal-verdict")).to_be_visible()
    expect(page.get_by_test_id("delivery-attachments")).to_contain_text("检查记录原件")
    page.screenshot(path=SCREENSHOTS / "exchange-delivery.png", full_page=True)
    page.get_by_test_id("sign-for").click()
    page.wait_for_url(re.compile(r"/incoming/registered/\d+/$"))
    incoming = IncomingDocument.objects.get(unit=tractor, source_document=document)
    expect(page.get_by_test_id("incoming-number")).to_have_text(incoming.number_text)
    sign_out(page)

    # 东重拖拉机 takes it through every step, circulation included, to the close.
    handle_to_the_close(page, base, sign_in, title=title, sender=headquarters.name)
    incoming.refresh_from_db()
    assert incoming.status == IncomingDocument.Status.CLOSED
    sign_out(page)

    # 东重动力's clerk returns it: first without a reason (refused, nothing changes), then with one.
    sign_in("tangning")
    page.goto(f"{base}{reverse('gongwen:deliveries')}")
    page.get_by_test_id("delivery-row").filter(has_text=title).get_by_role("link").click()
    page.get_by_test_id("refuse").click()
    expect(page.locator(".xt-field__error")).to_have_count(1)
    page.locator("textarea[name=reason]").fill("非本单位主管事项")
    page.get_by_test_id("refuse").click()
    page.wait_for_url(f"{base}{reverse('gongwen:deliveries')}")
    expect(page.get_by_test_id("delivery-row").filter(has_text=title)).to_have_count(0)
    # the sender's own page stays closed to a recipient
    response = page.goto(f"{base}{reverse('workflow:documents:document', args=[document.pk])}")
    assert response.status == 404
    sign_out(page)

    # The headquarters' clerk sees both states and sends it again to 东重动力.
    sign_in("zhaolei")
    page.goto(f"{base}{reverse('workflow:documents:document', args=[document.pk])}")
    states = page.get_by_test_id("delivery-state")
    expect(states.filter(has_text=tractor.name)).to_have_attribute("data-status", "signed_for")
    expect(states.filter(has_text=tractor.name)).to_contain_text("郭强")
    refused = states.filter(has_text=power.name)
    expect(refused).to_have_attribute("data-status", "refused")
    expect(refused).to_contain_text("非本单位主管事项")
    page.screenshot(path=SCREENSHOTS / "exchange-sender.png", full_page=True)
    refused.get_by_test_id("resend").click()
    expect(page.locator(".xt-message--error")).to_have_count(0)
    expect(
        states.filter(has_text=power.name).and_(page.locator("[data-status=sent]"))
    ).to_have_count(1)
    sign_out(page)

    # 东重动力 has it to sign for again; an employee who is not a receiving clerk never sees it.
    sign_in("tangning")
    page.goto(f"{base}{reverse('gongwen:deliveries')}")
    expect(page.get_by_test_id("delivery-row").filter(has_text=title)).to_have_count(1)
    sign_out(page)
    sign_in("heyan")
    delivery = Delivery.objects.filter(document=document, recipient_unit=tractor).get()
    assert page.goto(f"{base}{reverse('gongwen:delivery', args=[delivery.pk])}").status == 404


def test_a_clerk_registers_a_paper_document_with_its_scan(page, demo, sign_in, tmp_path):
    from weasyprint import HTML

    scan = tmp_path / "来文扫描.pdf"
    scan.write_bytes(HTML(string="<p>关于报送安全生产月活动总结的通知</p>").write_pdf())
    sign_in("guoqiang")
    page.goto(f"{demo.url}{reverse('gongwen:paper_register')}")
    page.fill("#id_title", "关于报送安全生产月活动总结的通知")
    page.fill("#id_sender_name", "市应急管理局")
    page.fill("#id_sender_number", "市应急〔2026〕8号")
    page.fill("#id_copies", "2")
    page.set_input_files("#id_scans", [str(scan)])
    page.fill("#id_paper_attachments", "活动照片（纸质）")
    page.screenshot(path=SCREENSHOTS / "exchange-paper-form.png", full_page=True)
    page.get_by_test_id("paper-submit").click()
    page.wait_for_url(re.compile(r"/incoming/registered/\d+/$"))
    document = IncomingDocument.objects.get(title="关于报送安全生产月活动总结的通知")
    expect(page.get_by_test_id("incoming-number")).to_have_text(document.number_text)
    page.reload()
    expect(page.get_by_test_id("ocr-status")).to_have_attribute("data-status", "done")
    document.refresh_from_db()
    assert "安全生产月" in document.ocr_text.replace(" ", "")

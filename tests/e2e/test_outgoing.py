"""An outgoing document's whole journey at the headquarters, each actor signed in in turn and
finding the task in their to-do list: drafting, department check, office review, one
countersign, sign-off, numbering, red-head typesetting, proof-reading, sealing and dispatch; then
the clerk finds the number in the outgoing register."""

import re

from django.urls import reverse
from playwright.sync_api import expect

from people.models import OrgUnit, User
from tests.e2e.conftest import E2E, sign_out
from workflow.models import DocumentRecipient, OutgoingDocument, TraceEntry
from workflow.numbering.models import DocumentPrefix

pytestmark = E2E

TITLE = "关于开展冬季消防安全检查的通知"


def user(username: str) -> User:
    return User.objects.get(username=username)


def handle_task(page, base_url: str, title: str, fill=None, *, timeout=15_000) -> None:
    """Open the task from the to-do list, fill in the step's choices and approve."""
    page.goto(f"{base_url}{reverse('gongwen:todo')}")
    row = page.get_by_test_id("task-row").filter(has_text=title)
    expect(row).to_have_count(1)
    row.get_by_test_id("task-link").click()
    page.wait_for_url(re.compile(r"/execute/$"))
    if fill is not None:
        fill(page)
    page.locator("textarea[name=opinion]").fill("同意")
    page.locator("button[name=decision][value=approve]").click()
    page.wait_for_url(lambda url: "/execute/" not in url, timeout=timeout)
    expect(page.locator(".xt-message--error, .xt-form-error")).to_have_count(0)


def test_a_document_goes_from_draft_to_dispatch(page, demo, sign_in):
    base = demo.url
    headquarters = OrgUnit.objects.get(code="HQ")
    office = OrgUnit.objects.get(code="HQ-BGS")
    tractor, power = OrgUnit.objects.get(code="TLJ"), OrgUnit.objects.get(code="DLI")
    prefix = DocumentPrefix.objects.get(unit=headquarters, text="东重")

    # The drafter (人力资源部) writes the draft and sends it to her department head.
    sign_in("zhouli")
    page.goto(f"{base}{reverse('gongwen:drafts')}")
    page.get_by_test_id("new-document").click()
    page.select_option("#id_doc_type", "notice")
    page.fill("#id_title", TITLE)
    page.select_option("#id_main_units", [str(tractor.pk), str(power.pk)])
    page.fill("#id_copy_outside", "市消防救援支队")
    page.fill("#id_body", "各单位：\n一、检查范围\n各生产车间、仓库和办公场所。")
    page.fill("#id_copies", "20")
    page.locator("button[name=save]").click()
    page.wait_for_url(re.compile(r"/edit/$"))
    page.goto(f"{base}{reverse('gongwen:drafts')}")
    draft = page.get_by_test_id("draft-row").filter(has_text=TITLE)
    expect(draft).to_have_count(1)
    draft.get_by_test_id("draft-submit").click()
    page.select_option("#id_department_head", str(user("sunhao").pk))
    page.locator("button[name=decision][value=approve]").click()
    page.wait_for_url(lambda url: "/execute/" not in url)
    page.goto(f"{base}{reverse('gongwen:drafts')}")
    expect(page.get_by_test_id("draft-row").filter(has_text=TITLE)).to_have_count(0)
    sign_out(page)

    # The head of 人力资源部 checks and chooses the office verifier.
    sign_in("sunhao")
    handle_task(
        page, base, TITLE, lambda p: p.select_option("#id_verifier", str(user("liuyang").pk))
    )
    sign_out(page)

    # The office verifier asks 办公室 to countersign and 王军 to sign.
    def review(p):
        p.select_option("#id_first_signer", str(user("wangjun").pk))
        p.locator(f"input[name=countersign_departments][value='{office.pk}']").check()

    sign_in("liuyang")
    handle_task(page, base, TITLE, review)
    sign_out(page)

    # 王军 countersigns for 办公室, then signs the document off and picks the clerk.
    sign_in("wangjun")
    handle_task(page, base, TITLE)
    handle_task(page, base, TITLE, lambda p: p.select_option("#id_clerk", str(user("zhaolei").pk)))
    sign_out(page)

    # The document clerk numbers it and typesets it with the red head.
    sign_in("zhaolei")
    handle_task(page, base, TITLE, lambda p: p.select_option("#id_prefix", str(prefix.pk)))
    handle_task(page, base, TITLE, timeout=60_000)
    sign_out(page)

    # The drafter proof-reads the typeset document.
    sign_in("zhouli")
    handle_task(page, base, TITLE)
    sign_out(page)

    # The clerk, who keeps the seal, seals and dispatches it, and finds it in the unit's
    # outgoing register.
    sign_in("zhaolei")
    handle_task(page, base, TITLE, timeout=60_000)
    handle_task(page, base, TITLE)
    page.goto(f"{base}{reverse('gongwen:register', args=[headquarters.pk])}")
    row = page.get_by_test_id("register-row").filter(has_text=TITLE)
    expect(row).to_have_count(1)
    document = OutgoingDocument.objects.get(title=TITLE)
    expect(row.get_by_test_id("register-number")).to_contain_text(document.number_text)
    expect(row).to_contain_text("市消防救援支队")
    page.goto(f"{base}{reverse('gongwen:done')}")
    expect(page.get_by_test_id("task-row").filter(has_text=TITLE)).to_have_count(4)

    assert document.status == OutgoingDocument.Status.DISPATCHED
    assert re.fullmatch(r"东重〔\d{4}〕\d+号", document.number_text)
    assert document.final_pdf_sha256
    assert set(document.recipients.values_list("status", flat=True)) == {
        DocumentRecipient.DispatchStatus.SENT
    }
    steps = list(
        TraceEntry.objects.filter(document=document)
        .exclude(action__in=[TraceEntry.Action.OPEN, TraceEntry.Action.CREATE, "edit"])
        .values_list("step", "actor__username")
    )
    assert steps == [
        ("draft", "zhouli"),
        ("check", "sunhao"),
        ("verify", "liuyang"),
        ("countersign", "wangjun"),
        ("sign_off", "wangjun"),
        ("numbering", "zhaolei"),
        ("red_head", "zhaolei"),
        ("proofread", "zhouli"),
        ("seal", "zhaolei"),
        ("dispatch", "zhaolei"),
    ]

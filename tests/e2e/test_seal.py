"""The seal step in the browser: a document clerk who does not keep the seal is refused, the
headquarters' seal keeper seals, the clerk dispatches, and the downloaded PDF verifies offline
with `manage.py verify_pdf`."""

import re

from django.core.management import call_command
from django.urls import reverse
from playwright.sync_api import expect
from viewflow.workflow.models import Task

from people.models import OrgUnit, Role, User
from people.services import role_grant
from tests.e2e.conftest import E2E, sign_out
from workflow import services
from workflow.models import OutgoingDocument, TraceEntry
from workflow.numbering.models import DocumentPrefix

pytestmark = E2E

TITLE = "关于做好冬季防寒防冻工作的通知"


def open_task(document) -> Task:
    return (
        Task.objects.filter(
            process_id=document.process.pk, flow_task_type="HUMAN", status__in=["NEW", "ASSIGNED"]
        )
        .order_by("pk")
        .first()
    )


def document_at_the_seal_step() -> OutgoingDocument:
    people = {user.username: user for user in User.objects.all()}
    headquarters = OrgUnit.objects.get(code="HQ")
    document = services.document_create(
        user=people["zhouli"],
        doc_type="notice",
        title=TITLE,
        body="<p>各单位：</p><p>一、防寒防冻</p><p>做好管道保温。</p>",
        main_recipients=[OrgUnit.objects.get(code="TLJ")],
    )
    choices = {
        "draft": {"department_head": people["sunhao"]},
        "check": {"verifier": people["liuyang"]},
        "verify": {"signers": [people["wangjun"]]},
        "sign_off": {"clerk": people["zhaolei"]},
        "numbering": {"prefix": DocumentPrefix.objects.get(unit=headquarters, text="东重")},
    }
    while (task := open_task(document)).flow_task.name != "seal":
        step = task.flow_task.name
        services.STEP_ACTIONS[step](task=task, user=task.owner, **choices.get(step, {}))
    return document


def press_seal(page, base_url: str) -> None:
    page.goto(f"{base_url}{reverse('gongwen:todo')}")
    row = page.get_by_test_id("task-row").filter(has_text=TITLE)
    expect(row).to_have_count(1)
    row.get_by_test_id("task-link").click()
    page.wait_for_url(re.compile(r"/execute/$"))
    page.locator("button[name=decision][value=approve]").click()


def test_only_the_seal_keeper_seals_and_the_dispatched_pdf_verifies(
    page, demo, sign_in, tmp_path, capsys
):
    base = demo.url
    headquarters = OrgUnit.objects.get(code="HQ")
    clerk = User.objects.get(username="chenjing")
    role_grant(actor=None, user=clerk, role=Role.FILE_CLERK, unit=headquarters)
    document = document_at_the_seal_step()
    seal_task = open_task(document)
    assert seal_task.owner.username == "zhaolei"

    # A document clerk who is not a seal keeper, handed the task, is refused; nothing changes.
    services.task_reassign(
        task=seal_task, user=User.objects.get(username="liuyang"), to_user=clerk, reason="顶岗"
    )
    sign_in("chenjing")
    press_seal(page, base)
    expect(page.locator(".xt-form-error")).to_contain_text("印章保管人")
    page.screenshot(path=tmp_path / "refused.png", full_page=True)
    sign_out(page)
    assert not TraceEntry.objects.filter(document=document, action="seal").exists()

    # The process administrator hands it back; the keeper seals it, then dispatches it.
    services.task_reassign(
        task=open_task(document),
        user=User.objects.get(username="liuyang"),
        to_user=User.objects.get(username="zhaolei"),
        reason="交回用印",
    )
    sign_in("zhaolei")
    press_seal(page, base)
    page.wait_for_url(lambda url: "/execute/" not in url, timeout=60_000)
    expect(page.locator(".xt-message--error, .xt-form-error")).to_have_count(0)
    press_seal(page, base)  # the dispatch task, the same button
    page.wait_for_url(lambda url: "/execute/" not in url)
    document.refresh_from_db()
    assert document.status == OutgoingDocument.Status.DISPATCHED

    download = page.request.get(
        f"{base}{reverse('workflow:documents:pdf_download', args=[document.pk])}"
    )
    assert download.ok
    path = tmp_path / "sealed.pdf"
    path.write_bytes(download.body())
    call_command("verify_pdf", str(path))
    assert "东方重工集团有限公司" in capsys.readouterr().out
    seal = TraceEntry.objects.get(document=document, action="seal")
    assert seal.actor.username == "zhaolei" and seal.extra["serial"]

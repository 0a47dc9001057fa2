"""An employee of another unit who guesses the address of a document, its task, its flow graph
or viewflow's generic task screens meets the 404 page and changes nothing; the people handling
the document still find the processing screen, the processing form and the flow graph."""

import re

from django.urls import reverse
from playwright.sync_api import expect

from tests.e2e.conftest import E2E, sign_out
from tests.factories.documents import open_task
from workflow import selectors
from workflow.models import OutgoingDocument, TraceEntry

pytestmark = E2E

TITLE = "关于调整职工住房公积金缴存基数的通知"  # waits at the department check of 孙浩 (HQ)


def test_a_guessed_document_address_of_another_unit_answers_404(page, demo, sign_in):
    base = demo.url
    document = OutgoingDocument.objects.get(title=TITLE)
    task = open_task(document)
    state = (task.owner_id, task.status)
    process_pk = document.process.pk
    guesses = [
        reverse("workflow:documents:document", args=[document.pk]),
        selectors.task_url(task),
        reverse("workflow:documents:flows:outgoing:process_chart", args=[process_pk]),
        reverse("workflow:documents:flows:outgoing:process_detail", args=[process_pk]),
        "/workflow/documents/inbox/",
        "/workflow/documents/queue/",
        f"/workflow/documents/flows/outgoing/{process_pk}/check/{task.pk}/detail/",
    ]
    entries = TraceEntry.objects.filter(document=document).count()

    # 何燕 of 东重拖拉机 tries the addresses of a headquarters document.
    sign_in("heyan")
    for url in guesses:
        response = page.goto(f"{base}{url}")
        assert response.status == 404, url
        expect(page.get_by_role("heading", name="页面不存在")).to_be_visible()
        expect(page.get_by_text(TITLE)).to_have_count(0)
    sign_out(page)

    task.refresh_from_db()
    assert task.owner.username == "sunhao" and (task.owner_id, task.status) == state
    assert TraceEntry.objects.filter(document=document).count() == entries

    # 周丽, who drafted it, reads the processing form; she may withdraw it until 孙浩 opens it.
    sign_in("zhouli")
    page.goto(f"{base}{reverse('workflow:documents:document', args=[document.pk])}")
    expect(page.get_by_text(TITLE).first).to_be_visible()
    expect(page.get_by_role("button", name="撤回")).to_be_visible()
    sign_out(page)

    # 孙浩, whose task it is, opens it from his to-do list and finds the flow graph in Chinese.
    sign_in("sunhao")
    page.goto(f"{base}{reverse('gongwen:todo')}")
    row = page.get_by_test_id("task-row").filter(has_text=TITLE)
    row.get_by_test_id("task-link").click()
    page.wait_for_url(re.compile(r"/execute/$"))
    expect(page.locator("h1.xt-workbench__title")).to_contain_text(TITLE)
    chart = page.get_by_role("link", name="流程图")
    expect(chart).to_have_count(1)
    response = page.goto(f"{base}{chart.get_attribute('href')}")
    assert response.status == 200
    expect(page.locator("svg")).to_contain_text("核稿后流转")
    page.go_back()

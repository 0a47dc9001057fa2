"""The portal home's pending-task block and the header badge show real document tasks."""

from datetime import timedelta

from django.urls import reverse
from django.utils import timezone

from tests.factories.documents import act, draft_document, open_task
from tests.factories.incoming import register_incoming
from workflow import selectors
from workflow.models import Document
from workflow.services.circulation import circulate


def test_the_portal_home_counts_and_lists_the_task_waiting_for_the_user(
    portal, office, at_step, client_for
):
    at_step("check", title="关于召开安全例会的通知")

    response = client_for(office.production_head).get("/")

    html = response.content.decode()
    assert 'data-testid="unread-count">1<' in html
    block = html[html.index('id="todo-heading"') :]
    assert block.count('data-testid="pending-task"') == 1
    assert "关于召开安全例会的通知" in block


def test_the_portal_home_shows_nothing_of_others(portal, office, at_step, client_for):
    at_step("check")

    response = client_for(office.outsider).get("/")

    html = response.content.decode()
    assert 'data-testid="unread-count">0<' in html
    assert 'data-testid="pending-task"' not in html
    assert 'data-testid="portal-pending-tasks"' in html


def test_a_new_task_shows_on_the_cached_portal_at_once(portal, office, at_step, client_for):
    client = client_for(office.production_head)
    assert 'data-testid="pending-task"' not in client.get("/").content.decode()

    at_step("check", title="关于召开安全例会的通知")

    assert "关于召开安全例会的通知" in client.get("/").content.decode()


def test_a_retitled_document_shows_its_new_title_on_the_portal(portal, office, at_step, client_for):
    document = at_step("check", title="关于召开安全例会的通知")
    client = client_for(office.production_head)
    assert "关于召开安全例会的通知" in client.get("/").content.decode()

    document.title = "关于召开安全生产例会的通知"
    document.save()

    assert "关于召开安全生产例会的通知" in client.get("/").content.decode()


def test_the_pending_rows_carry_the_document_title_and_the_task_screen(office, at_step):
    document = at_step("check", title="关于召开安全例会的通知")
    task = open_task(document)
    for n in range(6):
        draft_document(office, title=f"草稿{n}")

    (row,) = selectors.pending_tasks_for(office.production_head, limit=5)
    drafter_rows = selectors.pending_tasks_for(office.drafter, limit=5)

    assert row.document.title == "关于召开安全例会的通知"
    assert row.url == reverse(
        "workflow:documents:flows:outgoing:check:execute", args=[task.process_id, task.pk]
    )
    assert drafter_rows == []  # a draft is the drafter's work in hand, not a task


def test_the_block_counts_tasks_apart_from_drafts_and_circulation(
    portal, office, at_step, client_for
):
    draft_document(office, title="仍在起草的通知")
    checking = at_step("check", title="关于召开安全例会的通知")
    Document.objects.filter(pk=checking.pk).update(
        deadline=timezone.localdate() - timedelta(days=1)
    )
    act(checking, office)  # at the office verifier now, overdue
    circulate(register_incoming(office), readers=[office.verifier], by=office.clerk)

    html = client_for(office.verifier).get("/").content.decode()
    block = html[html.index('id="todo-heading"') :]
    assert "待办 1" in block and "超期 1" in block and "待阅 1" in block
    assert block.count('data-testid="pending-task"') == 1
    assert 'data-testid="pending-overdue"' in block
    assert block.count('data-testid="pending-reading"') == 1

    drafter_html = client_for(office.drafter).get("/").content.decode()
    assert 'data-testid="unread-count">0<' in drafter_html  # the draft told nobody
    assert "仍在起草的通知" not in drafter_html[drafter_html.index('id="todo-heading"') :]


def test_the_to_do_list_tells_tasks_from_readings(office, at_step, client_for):
    at_step("check", title="关于召开安全例会的通知")
    circulate(register_incoming(office), readers=[office.production_head], by=office.clerk)

    response = client_for(office.production_head).get(reverse("gongwen:todo"))

    html = response.content.decode()
    assert html.count('data-testid="task-row"') == 1
    assert html.count('data-testid="to-read-row"') == 1
    assert "待阅" in html and 'data-testid="task-due"' in html

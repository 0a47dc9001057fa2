"""The portal home's pending-task block and the header badge show real document tasks."""

from django.urls import reverse

from tests.factories.documents import draft_document, open_task
from workflow import selectors


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
    assert len(drafter_rows) == 5

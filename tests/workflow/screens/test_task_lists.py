"""My to-do (待办), done (已办) and drafts lists: each person sees their own tasks and nothing of
anyone else's, filtered, paged, with urgency badges and overdue rows."""

from datetime import timedelta

import pytest
from django.db import transaction
from django.urls import reverse
from django.utils import timezone
from viewflow.workflow.models import Task

from tests.factories.documents import act, draft_document, open_task
from workflow import registers, services, trace
from workflow.flows import OutgoingFlow
from workflow.models import DocumentType, OutgoingDocument, TraceEntry, Urgency

from .conftest import arrived_days_ago

TODO = reverse("gongwen:todo")
DONE = reverse("gongwen:done")
DRAFTS = reverse("gongwen:drafts")


def rows(response) -> list[int]:
    """The task ids listed, in order."""
    return [row.task.pk for row in response.context["rows"]]


def titles(response) -> list[str]:
    return [row.document.title for row in response.context["rows"]]


def test_the_department_head_sees_the_document_waiting_for_their_check(office, at_step, client_for):
    document = at_step("check", title="关于召开安全例会的通知")
    task = open_task(document)

    response = client_for(office.production_head).get(TODO)

    assert response.status_code == 200
    assert rows(response) == [task.pk]
    html = response.content.decode()
    assert "关于召开安全例会的通知" in html
    assert (
        reverse("workflow:documents:flows:outgoing:check:execute", args=[task.process_id, task.pk])
        in html
    )


def test_nobody_else_sees_a_task_that_is_not_theirs(office, other_office, at_step, client_for):
    at_step("check")
    draft_document(other_office, title="乙单位的通知")

    for person in (
        office.outsider,
        office.verifier,
        office.leader,
        office.clerk,
        office.process_admin,
        other_office.production_head,
        other_office.clerk,
    ):
        response = client_for(person).get(TODO)
        assert rows(response) == [], person
    assert titles(client_for(other_office.drafter).get(TODO)) == ["乙单位的通知"]


def test_the_deputy_of_an_absent_leader_sees_the_leaders_task_on_their_behalf(
    office, at_step, client_for
):
    document = at_step("sign_off")
    today = timezone.localdate()
    services.delegation_create(
        user=office.leader,
        leader=office.leader,
        deputy=office.second_leader,
        starts_on=today,
        ends_on=today + timedelta(days=3),
    )

    response = client_for(office.second_leader).get(TODO)

    assert rows(response) == [open_task(document).pk]
    assert response.context["rows"][0].on_behalf_of == office.leader
    assert "马总" in response.content.decode()
    assert rows(client_for(office.finance_head).get(TODO)) == []


def test_an_expired_delegation_no_longer_shows_the_leaders_tasks(office, at_step, client_for):
    at_step("sign_off")
    today = timezone.localdate()
    services.delegation_create(
        user=office.leader,
        leader=office.leader,
        deputy=office.second_leader,
        starts_on=today - timedelta(days=5),
        ends_on=today - timedelta(days=1),
    )

    assert rows(client_for(office.second_leader).get(TODO)) == []


def test_done_lists_what_the_user_handled_and_nothing_of_others(office, at_step, client_for):
    document = at_step("sign_off")

    head_done = client_for(office.production_head).get(DONE)
    assert titles(head_done) == [document.title]
    assert [row.task.flow_task.name for row in head_done.context["rows"]] == ["check"]
    assert rows(client_for(office.leader).get(DONE)) == []
    assert rows(client_for(office.outsider).get(DONE)) == []
    # The drafter submitted the draft: that is their done task, and the check is not theirs.
    drafter_done = client_for(office.drafter).get(DONE)
    assert [row.task.flow_task.name for row in drafter_done.context["rows"]] == ["draft"]


def test_a_done_task_links_to_the_documents_processing_form(office, at_step, client_for):
    document = at_step("verify")

    response = client_for(office.production_head).get(DONE)

    row = response.context["rows"][0]
    assert row.finished_at is not None
    assert row.url == reverse("workflow:documents:document", args=[document.pk])


@pytest.mark.parametrize(
    ("query", "expected"),
    [
        ({"doc_type": DocumentType.REPORT}, ["年度安全工作报告"]),
        ({"urgency": Urgency.VERY_URGENT}, ["防汛紧急通知"]),
        ({"urgency": "normal"}, ["年度安全工作报告", "关于开展安全生产大检查的通知"]),
        ({"step": "sign_off"}, ["关于开展安全生产大检查的通知"]),
        ({"step": "check"}, ["年度安全工作报告", "防汛紧急通知"]),
    ],
)
def test_the_to_do_list_filters(office, at_step, client_for, query, expected):
    report = at_step("check", title="年度安全工作报告", doc_type=DocumentType.REPORT)
    flood = at_step("check", title="防汛紧急通知", urgency=Urgency.VERY_URGENT)
    # A second step in the head's list: a sign-off handed to them.
    notice = at_step("sign_off")
    Task.objects.filter(pk=open_task(notice).pk).update(owner=office.production_head)
    arrived_days_ago(report, 0.3)
    arrived_days_ago(flood, 0.2)

    response = client_for(office.production_head).get(TODO, query)

    assert sorted(titles(response)) == sorted(expected)


def test_the_to_do_list_filters_by_arrival_date(office, at_step, client_for):
    old = at_step("check", title="上月的通知")
    arrived_days_ago(old, 40)
    at_step("check", title="今天的通知")
    today = timezone.localdate()
    head = client_for(office.production_head)

    recent = head.get(TODO, {"date_from": (today - timedelta(days=7)).isoformat()})
    earlier = head.get(TODO, {"date_to": (today - timedelta(days=30)).isoformat()})
    both = head.get(
        TODO, {"date_from": (today - timedelta(days=41)).isoformat(), "date_to": today.isoformat()}
    )

    assert titles(recent) == ["今天的通知"]
    assert titles(earlier) == ["上月的通知"]
    assert sorted(titles(both)) == ["上月的通知", "今天的通知"]


@pytest.mark.parametrize("url", [TODO, DONE, "/api/documents/tasks"])
def test_a_period_at_the_ends_of_the_calendar_lists_everything(office, at_step, client_for, url):
    at_step("check", title="今天的通知")
    head = client_for(office.production_head)

    response = head.get(url, {"date_from": "0001-01-01", "date_to": "9999-12-31"})

    assert response.status_code == 200
    if url == TODO:
        assert titles(response) == ["今天的通知"]
    assert head.get(url, {"date_to": "0001-01-01"}).status_code == 200


def test_a_reversed_period_is_explained_and_ignored(office, at_step, client_for):
    at_step("check")
    today = timezone.localdate()

    response = client_for(office.production_head).get(
        TODO, {"date_from": today.isoformat(), "date_to": (today - timedelta(days=3)).isoformat()}
    )

    assert len(rows(response)) == 1
    assert response.context["form"].non_field_errors()


def test_overdue_tasks_are_highlighted_according_to_urgency(office, at_step, client_for):
    very_urgent = at_step("check", title="特急的通知", urgency=Urgency.VERY_URGENT)
    urgent = at_step("check", title="加急的通知", urgency=Urgency.URGENT)
    normal = at_step("check", title="平件的通知")
    for document in (very_urgent, urgent, normal):
        arrived_days_ago(document, 2)

    response = client_for(office.production_head).get(TODO)

    overdue = {row.document.title: row.is_overdue for row in response.context["rows"]}
    assert overdue == {"特急的通知": True, "加急的通知": False, "平件的通知": False}
    html = response.content.decode()
    assert html.count('class="is-overdue"') == 1
    assert "xt-badge-label xt-badge-label--urgent" in html  # the red 特急 badge
    assert 'class="xt-badge-label" data-testid="urgency"' in html  # the orange 加急 badge
    only_overdue = client_for(office.production_head).get(TODO, {"overdue": "on"})
    assert titles(only_overdue) == ["特急的通知"]


def test_the_due_days_follow_the_setting(office, at_step, client_for, settings):
    settings.WORKFLOW_TASK_DAYS = {"": 1}
    arrived_days_ago(at_step("check"), 2)

    response = client_for(office.production_head).get(TODO)

    assert response.context["rows"][0].is_overdue


def test_the_oldest_task_comes_first_and_the_list_is_paged(office, client_for):
    documents = [draft_document(office, title=f"草稿{n:02d}") for n in range(23)]
    for age, document in enumerate(reversed(documents)):
        arrived_days_ago(document, age / 100)
    drafter = client_for(office.drafter)

    first = drafter.get(TODO)
    second = drafter.get(TODO, {"page": 2})

    assert titles(first) == [f"草稿{n:02d}" for n in range(20)]
    assert titles(second) == ["草稿20", "草稿21", "草稿22"]
    assert first.context["page_obj"].paginator.count == 23


def test_filters_are_kept_when_paging(office, client_for):
    for n in range(22):
        draft_document(office, title=f"报告{n}", doc_type=DocumentType.REPORT)

    response = client_for(office.drafter).get(TODO, {"doc_type": "report"})

    assert "doc_type=report&amp;page=2" in response.content.decode()


def test_the_to_do_list_reads_a_bounded_number_of_queries(
    office, client_for, django_assert_max_num_queries
):
    drafter = client_for(office.drafter)
    draft_document(office)
    with django_assert_max_num_queries(15) as few:
        drafter.get(TODO)
    for n in range(19):
        draft_document(office, title=f"第{n}号草稿", urgency=Urgency.URGENT)

    with django_assert_max_num_queries(len(few.captured_queries)):
        response = drafter.get(TODO)

    assert len(rows(response)) == 20


def test_the_done_list_reads_a_bounded_number_of_queries(
    office, at_step, client_for, django_assert_max_num_queries
):
    at_step("check")
    head = client_for(office.production_head)
    with django_assert_max_num_queries(15) as few:
        head.get(DONE)
    for _n in range(10):
        at_step("verify")

    with django_assert_max_num_queries(len(few.captured_queries)):
        response = head.get(DONE)

    assert len(rows(response)) == 10


def test_the_done_list_pages_merge_own_tasks_and_tasks_done_for_others_in_finish_order(
    office, at_step
):
    """Pages read each part of the history by its own index; merged, every slice (from either
    end) is the slice of the whole list in finish order, a task done for someone else
    included."""
    signed = at_step("numbering")
    for _n in range(3):
        at_step("check")
    own = Task.objects.filter(owner=office.drafter, status="DONE")
    for hours, task in enumerate(own.order_by("pk")):
        Task.objects.filter(pk=task.pk).update(finished=timezone.now() - timedelta(hours=hours))
    for_another = Task.objects.get(process=signed.process, flow_task=OutgoingFlow.sign_off)
    Task.objects.filter(pk=for_another.pk).update(finished=timezone.now() - timedelta(minutes=90))
    with transaction.atomic():
        trace.append(
            signed,
            step="sign_off",
            action=TraceEntry.Action.SIGN_OFF,
            actor=office.drafter,
            on_behalf_of=office.leader,
            task=for_another,
        )

    whole = list(registers.done_list(office.drafter))
    pages = registers.DoneTaskPages(office.drafter)

    assert for_another in whole and pages.count() == len(whole) == own.count() + 1
    assert whole.index(for_another) == 2
    for start in range(len(whole)):
        for stop in range(start, len(whole) + 2):
            assert pages[start:stop] == whole[start:stop], (start, stop)
    signing = registers.DoneTaskPages(
        office.drafter, narrow=lambda tasks: registers.tasks_at_step(tasks, "sign_off")
    )
    assert signing[0:20] == [for_another] and signing.count() == 1


# Drafts ----------------------------------------------------------------------------------


def test_my_drafts_lists_unsubmitted_and_returned_documents_only(office, at_step, client_for):
    unsent = draft_document(office, title="尚未提交的通知")
    at_step("check", title="已提交的通知")
    returned = at_step("check", title="被退回的通知")
    services.task_return(
        task=open_task(returned), user=office.production_head, to_step="draft", reason="请修改"
    )

    response = client_for(office.drafter).get(DRAFTS)

    listed = {document.title: document for document, _task in response.context["drafts"]}
    assert set(listed) == {"尚未提交的通知", "被退回的通知"}
    html = response.content.decode()
    assert reverse("workflow:documents:document_edit", args=[unsent.pk]) in html
    assert reverse("gongwen:draft_discard", args=[unsent.pk]) in html
    # A returned document went through other hands: it is edited, not deleted.
    assert reverse("gongwen:draft_discard", args=[returned.pk]) not in html


def test_nobody_else_sees_my_drafts(office, other_office, client_for):
    draft_document(office, title="我的草稿")

    for person in (
        office.production_head,
        office.clerk,
        office.process_admin,
        other_office.drafter,
    ):
        response = client_for(person).get(DRAFTS)
        assert response.context["drafts"] == [], person


def test_the_drafter_deletes_a_draft_and_it_is_traced(office, client_for):
    document = draft_document(office)

    response = client_for(office.drafter).post(reverse("gongwen:draft_discard", args=[document.pk]))

    assert response.status_code == 302
    document.refresh_from_db()
    assert document.status == OutgoingDocument.Status.CANCELLED
    assert TraceEntry.objects.filter(document=document, action=TraceEntry.Action.CANCEL).exists()
    assert client_for(office.drafter).get(DRAFTS).context["drafts"] == []


def test_nobody_else_deletes_a_draft(office, other_office, at_step, client_for):
    document = draft_document(office)
    returned = at_step("check")
    services.task_return(
        task=open_task(returned), user=office.production_head, to_step="draft", reason="请修改"
    )

    for person in (office.production_head, office.process_admin, other_office.drafter):
        response = client_for(person).post(reverse("gongwen:draft_discard", args=[document.pk]))
        assert response.status_code == 404, person
    returned_response = client_for(office.drafter).post(
        reverse("gongwen:draft_discard", args=[returned.pk])
    )
    assert returned_response.status_code == 404
    document.refresh_from_db()
    returned.refresh_from_db()
    assert document.status == OutgoingDocument.Status.DRAFT
    assert returned.status == OutgoingDocument.Status.IN_PROGRESS


def test_the_lists_need_a_signed_in_user(client):
    for url in (TODO, DONE, DRAFTS):
        response = client.get(url)
        assert response.status_code == 302
        assert "/accounts/login/" in response["Location"]


def test_the_tabs_offer_the_register_and_administration_only_to_those_who_may(office, client_for):
    ordinary = client_for(office.drafter).get(TODO).content.decode()
    clerk = client_for(office.clerk).get(TODO).content.decode()
    admin = client_for(office.process_admin).get(TODO).content.decode()

    assert reverse("gongwen:register_index") not in ordinary
    assert reverse("gongwen:process_admin") not in ordinary
    assert reverse("gongwen:register_index") in clerk
    assert reverse("gongwen:process_admin") not in clerk
    assert reverse("gongwen:process_admin") in admin


def test_a_handled_task_leaves_the_to_do_list(office, at_step, client_for):
    document = at_step("check")
    head = client_for(office.production_head)
    assert len(rows(head.get(TODO))) == 1

    act(document, office)

    assert rows(head.get(TODO)) == []
    assert len(rows(head.get(DONE))) == 1

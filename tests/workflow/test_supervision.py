"""Urging and supervision (催办/督办): the unit's office urges a task's owner; a leader of the
unit puts a document under supervision and the lead department reports progress until it
closes; the office's dashboard lists what is overdue, due soon or supervised, and exports it.
Nobody else may do or see any of it, and bad input changes nothing."""

from datetime import timedelta
from io import BytesIO

import pytest
from django.core.exceptions import PermissionDenied
from django.test import Client
from django.urls import reverse
from django.utils import timezone
from openpyxl import load_workbook

from notifications.models import Notification
from tests.factories.documents import OfficeFactory, act, advance, draft_document, open_task
from workflow.models import Document, Supervision, TraceEntry
from workflow.services import DocumentError
from workflow.services import supervision as services


@pytest.fixture
def checking(office):
    """A document at the production head's check, due yesterday."""
    document = draft_document(office, title="关于报送安全隐患排查情况的通知")
    act(document, office)
    Document.objects.filter(pk=document.pk).update(
        deadline=timezone.localdate() - timedelta(days=1)
    )
    document.refresh_from_db()
    return document


@pytest.fixture
def other_office(office):
    return OfficeFactory(code="UB", name="乙单位", parent=office.unit.get_parent())


@pytest.fixture
def client_for():
    def signed_in(user) -> Client:
        client = Client()
        client.force_login(user)
        return client

    return signed_in


def traced(document, action):
    return TraceEntry.objects.filter(document=document, action=action)


# 催办 ---------------------------------------------------------------------------------------


def test_the_clerk_urges_the_owner_each_time(office, checking):
    task = open_task(checking)
    services.task_urge(task=task, user=office.clerk, message="请今天下班前办理")
    services.task_urge(task=task, user=office.process_admin)

    first, _second = traced(checking, TraceEntry.Action.URGE)
    assert (first.actor, first.task_id, first.opinion) == (
        office.clerk,
        task.pk,
        "请今天下班前办理",
    )
    assert first.next_users == [office.production_head.get_full_name()]
    urges = Notification.objects.filter(kind="workflow.urge")
    assert list(urges.values_list("recipient_id", flat=True)) == [office.production_head.pk] * 2
    assert urges.first().title == "催办：核稿 ·《关于报送安全隐患排查情况的通知》"


@pytest.mark.parametrize("who", ["outsider", "drafter", "leader", "other_clerk"])
def test_nobody_else_urges(office, other_office, checking, who):
    user = other_office.clerk if who == "other_clerk" else getattr(office, who)
    with pytest.raises(PermissionDenied):
        services.task_urge(task=open_task(checking), user=user)
    assert not traced(checking, TraceEntry.Action.URGE).exists()


def test_a_handled_task_or_a_long_message_is_refused(office, checking):
    task = open_task(checking)
    with pytest.raises(DocumentError):
        services.task_urge(task=task, user=office.clerk, message="催" * 301)
    act(checking, office)
    with pytest.raises(DocumentError):
        services.task_urge(task=task, user=office.clerk)
    assert not traced(checking, TraceEntry.Action.URGE).exists()
    assert not Notification.objects.filter(kind="workflow.urge").exists()


def test_the_urge_screen(office, other_office, checking, client_for):
    task = open_task(checking)
    url = reverse("gongwen:task_urge", args=[task.pk])
    assert client_for(office.outsider).get(url).status_code == 404
    assert client_for(other_office.clerk).post(url, {"message": "x"}).status_code == 404

    clerk = client_for(office.clerk)
    assert clerk.get(url).status_code == 200
    response = clerk.post(url, {"message": "催" * 301})
    assert response.status_code == 400
    response = clerk.post(url, {"message": "请尽快办理"})
    assert response.status_code == 302
    assert traced(checking, TraceEntry.Action.URGE).get().opinion == "请尽快办理"


# 督办 and progress --------------------------------------------------------------------------


def test_a_leader_supervises_and_the_lead_department_reports(office, checking):
    services.supervision_start(document=checking, user=office.leader, instruction="每周报进展")

    watch = Supervision.objects.get(document=checking)
    assert watch.started_by == office.leader
    entry = traced(checking, TraceEntry.Action.SUPERVISE).get()
    assert (entry.actor, entry.opinion) == (office.leader, "每周报进展")
    assert Notification.objects.get(kind="workflow.supervision").recipient == office.production_head

    # The outgoing document's lead department is its drafting department (生产部).
    services.supervision_progress(document=checking, user=office.drafter, progress="已排查两处")
    watch.refresh_from_db()
    assert watch.last_progress == "已排查两处" and watch.last_progress_at is not None
    assert traced(checking, TraceEntry.Action.PROGRESS).get().actor == office.drafter
    told = Notification.objects.filter(kind="workflow.supervision", recipient=office.leader)
    assert told.get().title == "督办进展：关于报送安全隐患排查情况的通知"


@pytest.mark.parametrize("who", ["drafter", "clerk", "verifier", "other_leader"])
def test_only_a_leader_of_the_unit_supervises(office, other_office, checking, who):
    user = other_office.leader if who == "other_leader" else getattr(office, who)
    with pytest.raises(PermissionDenied):
        services.supervision_start(document=checking, user=user)
    assert not Supervision.objects.exists()


def test_supervising_twice_is_refused(office, checking):
    services.supervision_start(document=checking, user=office.leader)
    with pytest.raises(DocumentError):
        services.supervision_start(document=checking, user=office.second_leader)
    assert traced(checking, TraceEntry.Action.SUPERVISE).count() == 1


def test_progress_only_from_the_lead_department_and_not_empty(office, checking):
    with pytest.raises(PermissionDenied):  # not supervised yet
        services.supervision_progress(document=checking, user=office.drafter, progress="x")
    services.supervision_start(document=checking, user=office.leader)
    for user in (office.finance_head, office.clerk, office.leader):
        with pytest.raises(PermissionDenied):
            services.supervision_progress(document=checking, user=user, progress="x")
    with pytest.raises(DocumentError):
        services.supervision_progress(document=checking, user=office.drafter, progress="  ")
    assert not traced(checking, TraceEntry.Action.PROGRESS).exists()
    assert Supervision.objects.get().last_progress == ""


def test_the_document_page_offers_what_each_may_do(office, client_for):
    checking = draft_document(office, title="关于报送安全隐患排查情况的通知")
    advance(checking, office, until="sign_off")  # the leader now holds it
    page = reverse("workflow:documents:document", args=[checking.pk])
    leader_page = client_for(office.leader).get(page).content.decode()
    assert 'data-testid="supervise"' in leader_page
    clerk_page = client_for(office.clerk).get(page).content.decode()
    assert 'data-testid="supervise"' not in clerk_page and 'data-testid="urge"' in clerk_page

    supervise = reverse("gongwen:document_supervise", args=[checking.pk])
    assert client_for(office.clerk).post(supervise).status_code == 404
    assert client_for(office.leader).post(supervise, {"instruction": "抓紧"}).status_code == 302
    assert client_for(office.leader).post(supervise, {}).status_code == 400  # already supervised

    progress = reverse("gongwen:supervision_progress", args=[checking.pk])
    assert client_for(office.finance_head).get(progress).status_code == 404
    assert client_for(office.leader).get(progress).status_code == 404
    assert client_for(office.drafter).post(progress, {"progress": ""}).status_code == 400
    assert client_for(office.drafter).post(progress, {"progress": "已完成八成"}).status_code == 302
    page = client_for(office.clerk).get(page).content.decode()
    assert "已完成八成" in page


# The dashboard -------------------------------------------------------------------------------


@pytest.fixture
def watched(office, checking):
    """Three documents: one overdue (checking), one due tomorrow, one supervised without a
    deadline; and one without either, which the dashboard leaves out."""
    due_soon = draft_document(office, title="明日到期的请示")
    act(due_soon, office)
    act(due_soon, office)  # at the office review (韩审核)
    Document.objects.filter(pk=due_soon.pk).update(
        deadline=timezone.localdate() + timedelta(days=1)
    )
    supervised = draft_document(office, title="督办中的报告")
    act(supervised, office)
    services.supervision_start(document=supervised, user=office.leader)
    draft_document(office, title="无时限的函")
    return {"overdue": checking, "due_soon": due_soon, "supervised": supervised}


def titles(response):
    return sorted(row.document.title for row in response.context["rows"])


def test_the_dashboard_filters(office, watched, client_for, django_assert_max_num_queries):
    url = reverse("gongwen:supervision", args=[office.unit.pk])
    clerk = client_for(office.clerk)
    with django_assert_max_num_queries(15):
        response = clerk.get(url)
    assert titles(response) == sorted(
        ["关于报送安全隐患排查情况的通知", "明日到期的请示", "督办中的报告"]
    )
    assert titles(clerk.get(url, {"state": "due_soon"})) == ["明日到期的请示"]
    assert titles(clerk.get(url, {"state": "overdue"})) == ["关于报送安全隐患排查情况的通知"]
    assert titles(clerk.get(url, {"state": "supervised"})) == ["督办中的报告"]
    assert titles(clerk.get(url, {"step": "verify"})) == ["明日到期的请示"]
    assert titles(clerk.get(url, {"department": office.office.pk})) == ["明日到期的请示"]
    assert clerk.get(url, {"step": "nonsense", "department": "x"}).status_code == 200


@pytest.mark.parametrize("who", ["outsider", "leader", "drafter", "other_clerk"])
def test_the_dashboard_is_the_office_s(office, other_office, watched, client_for, who):
    user = other_office.clerk if who == "other_clerk" else getattr(office, who)
    for name in ("gongwen:supervision", "gongwen:supervision_export"):
        assert client_for(user).get(reverse(name, args=[office.unit.pk])).status_code == 403
    assert (
        client_for(office.process_admin)
        .get(reverse("gongwen:supervision", args=[office.unit.pk]))
        .status_code
        == 200
    )


def test_the_dashboard_exports_what_it_shows_formulas_as_text(office, watched, client_for):
    Document.objects.filter(pk=watched["overdue"].pk).update(title='=HYPERLINK("x")')
    response = client_for(office.clerk).get(
        reverse("gongwen:supervision_export", args=[office.unit.pk]), {"state": "overdue"}
    )
    assert response["Content-Type"].startswith("application/vnd.openxmlformats")
    sheet = load_workbook(BytesIO(response.content)).active
    assert sheet["A1"].value == f"甲单位超期与督办公文（{timezone.localdate().isoformat()}）"
    assert [cell.value for cell in sheet[3]][1:4] == ['=HYPERLINK("x")', "核稿", "周部长"]
    assert sheet["B3"].data_type == "s"
    assert sheet["G3"].value == "是"
    assert sheet.max_row == 3

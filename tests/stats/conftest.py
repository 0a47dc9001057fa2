"""A constructed month of usage in unit UA (and a quiet unit UB), every figure with a known answer.

Day D is 2026-03-10 in Beijing. The tasks' times are set after the fact (viewflow's own rows);
trace entries are written at chosen instants by patching the clock the trace reads.
"""

from datetime import date, datetime, timedelta
from unittest import mock

import pytest
from axes.models import AccessLog

from people.models import Role
from stats.periods import BEIJING
from tests.factories import RoleAssignmentFactory, UserFactory
from tests.factories.documents import OfficeFactory, act, advance, draft_document, open_task
from workflow import services, trace
from workflow.models import Document, TraceEntry

D = date(2026, 3, 10)
HOUR = 3600


def at(day: date, hour: int, minute: int = 0, second: int = 0) -> datetime:
    return datetime(day.year, day.month, day.day, hour, minute, second, tzinfo=BEIJING)


def on_clock(moment: datetime):
    return mock.patch("django.utils.timezone.now", return_value=moment)


def finish(task, created: datetime, hours: float):
    type(task).objects.filter(pk=task.pk).update(
        created=created, finished=created + timedelta(hours=hours)
    )


def done_tasks_of(document):
    from viewflow.workflow.models import Task

    return list(
        Task.objects.filter(
            process_id=document.process.pk, flow_task_type="HUMAN", status="DONE"
        ).order_by("pk")
    )


@pytest.fixture(autouse=True)
def _media(settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path / "media"


@pytest.fixture
def ua():
    return OfficeFactory(code="UA", name="甲单位")


@pytest.fixture
def ub(ua):
    return OfficeFactory(code="UB", name="乙单位", parent=ua.unit.get_parent())


@pytest.fixture
def hq_office(ua):
    headquarters = ua.unit.get_parent()
    secretary = UserFactory(username="hq-secretary", name="总部秘书", department=None)
    RoleAssignmentFactory(user=secretary, role=Role.SECRETARY, unit=headquarters)
    return secretary


@pytest.fixture
def returned_document(ua):
    """Drafted (1 h), returned at check (2 h), drafted again (3 h), checked (4 h): four tasks
    done on D, the deadline D so none is late."""
    document = draft_document(ua, title="退回重办的文件")
    act(document, ua)  # draft → check
    check = open_task(document)
    services.task_return(task=check, user=check.owner, to_step="draft", reason="请修改")
    act(document, ua)  # draft again
    act(document, ua)  # check again → verify
    tasks = done_tasks_of(document)
    assert [t.flow_task.name for t in tasks] == ["draft", "check", "draft", "check"]
    for task, hours in zip(tasks, [1, 2, 3, 4], strict=True):
        finish(task, at(D, 8), hours)
    Document.objects.filter(pk=document.pk).update(deadline=D)
    return document


@pytest.fixture
def delegated_document(ua):
    """Signed off by the deputy on the leader's behalf: one sign-off task (5 h, finished on D,
    deadline the day before, so late), plus its draft, check and verify tasks moved to D-1."""
    document = draft_document(ua, title="委托签发的文件")
    advance(document, ua, until="sign_off")
    services.delegation_create(
        user=ua.leader,
        leader=ua.leader,
        deputy=ua.second_leader,
        starts_on=date.today() - timedelta(days=1),
        ends_on=date.today() + timedelta(days=1),
    )
    task = open_task(document)
    services.sign_off_approve(task=task, user=ua.second_leader, clerk=ua.clerk)
    earlier, sign_off = done_tasks_of(document)[:-1], done_tasks_of(document)[-1]
    for task in earlier:
        finish(task, at(D - timedelta(days=1), 9), 1)
    finish(sign_off, at(D, 9), 5)
    Document.objects.filter(pk=document.pk).update(deadline=D - timedelta(days=1))
    return document


@pytest.fixture
def cancelled_document(ua):
    """Cancelled on D at 10:00 while its check task was open: the cancelled task is no step
    handled; its draft task (done) is moved to D-2."""
    document = draft_document(ua, title="撤销的文件")
    act(document, ua)
    with on_clock(at(D, 10)):
        services.process_cancel(document=document, user=ua.process_admin, reason="不再需要")
    (draft,) = done_tasks_of(document)
    finish(draft, at(D - timedelta(days=2), 9), 1)
    return document


@pytest.fixture
def exchanged_documents(ua):
    """Two dispatches and one registration in the trace on D, one dispatch just after D ends."""
    first = draft_document(ua, title="发出一")
    second = draft_document(ua, title="发出二")
    with on_clock(at(D, 9)):
        trace.append(first, step="dispatch", action=TraceEntry.Action.DISPATCH, actor=ua.clerk)
    with on_clock(at(D, 23, 59, 59)):
        trace.append(second, step="dispatch", action=TraceEntry.Action.DISPATCH, actor=ua.clerk)
        trace.append(first, step="register", action=TraceEntry.Action.REGISTER, actor=ua.clerk)
    with on_clock(at(D + timedelta(days=1), 0, 0, 1)):
        trace.append(second, step="dispatch", action=TraceEntry.Action.DISPATCH, actor=ua.clerk)
    return first, second


@pytest.fixture
def logins(ua):
    """UA: the drafter twice and the clerk once on D, the leader just before and just after D."""

    def login(user, moment):
        entry = AccessLog.objects.create(username=user.username, ip_address="10.0.0.1")
        AccessLog.objects.filter(pk=entry.pk).update(attempt_time=moment)  # auto_now_add

    login(ua.drafter, at(D, 0, 0, 0))
    login(ua.drafter, at(D, 18))
    login(ua.clerk, at(D, 23, 59, 59))
    login(ua.leader, at(D - timedelta(days=1), 23, 59, 59))
    login(ua.leader, at(D + timedelta(days=1), 0, 0, 0))


@pytest.fixture
def reviews(portal, ua, ub):
    """Knowledge reviews around day D, marked through the knowledge service on a chosen clock.

    UA: "准时" due D, reviewed at D 23:59:59 (on time); "迟到" due D, reviewed at D+1 00:00:00
    (late: overdue on D); "提前" due D+30, reviewed on D (on time); "未审" due D, never reviewed
    (overdue on D); "作废" due D but superseded (not due); "旧记录" reviewed on D before due dates
    were kept. UB: "乙未审" due D, never reviewed."""
    from knowledge.models import KnowledgeItemPage, KnowledgeReview
    from knowledge.services import item_mark_reviewed
    from tests.factories.knowledge import KnowledgeArticlePageFactory

    def item(title, unit, due):
        page = KnowledgeArticlePageFactory(
            title=title, owner_unit=unit, responsible=ua.clerk if unit == ua.office else ub.clerk
        )
        KnowledgeItemPage.objects.filter(pk=page.pk).update(review_date=due)
        page.refresh_from_db()
        return page

    def review(page, moment):
        with on_clock(moment):
            item_mark_reviewed(item=page, user=ua.clerk)

    review(item("准时", ua.office, D), at(D, 23, 59, 59))
    review(item("迟到", ua.office, D), at(D + timedelta(days=1), 0, 0, 0))
    review(item("提前", ua.office, D + timedelta(days=30)), at(D, 9))
    item("未审", ua.office, D)
    successor = item("新版", ua.office, D + timedelta(days=200))
    KnowledgeItemPage.objects.filter(pk=item("作废", ua.office, D).pk).update(
        validity=KnowledgeItemPage.Validity.SUPERSEDED, superseded_by=successor
    )
    legacy = item("旧记录", ua.office, D + timedelta(days=100))
    KnowledgeReview.objects.create(item=legacy, due_date=None, reviewed_at=at(D, 10))
    item("乙未审", ub.office, D)

"""The figures of one Beijing day, per unit, read from the apps' own records.

- logins: django-axes' access log (one row per successful sign-in), by the account's unit;
- documents: the workflow trace (dispatch, registration, cancellation) by the document's unit;
- steps: viewflow's human tasks that were done (not cancelled) that day, joined to the trace for
  their document and step; a task's duration runs from its creation to its completion;
- notices: published that day by the issuing department's unit, with their audience and the
  read receipts of their first seven days;
- knowledge: items first published or reviewed that day, by the owning unit; reviews done by
  their due date, and reviews that fell due that day and were not done by its end;
- searches: the search app's query log, by the searcher's unit.

A "unit" is always the headquarters or the second-level unit a node belongs to (`OrgUnit.unit`).
"""

from collections import defaultdict
from dataclasses import dataclass, field
from datetime import date, timedelta

from axes.models import AccessLog
from django.db.models import Count, OuterRef, Q, Subquery
from viewflow.workflow.models import Task
from viewflow.workflow.status import STATUS

from home.models import NoticePage, NoticeReadReceipt
from home.notice_stats import notice_audience
from knowledge.models import KnowledgeItemPage, KnowledgeReview
from people.models import OrgUnit, User
from search.models import QueryLogEntry
from workflow.models import TraceEntry

from .models import Figure
from .periods import beijing_day, beijing_today, day_bounds

READ_WINDOW = timedelta(days=7)
DOCUMENT_ACTIONS = {
    TraceEntry.Action.DISPATCH: Figure.DOCUMENTS_SENT,
    TraceEntry.Action.REGISTER: Figure.DOCUMENTS_RECEIVED,
    TraceEntry.Action.CANCEL: Figure.DOCUMENTS_CANCELLED,
}


@dataclass
class DayFigures:
    day: date
    values: dict[tuple[int, str], int] = field(default_factory=lambda: defaultdict(int))
    active_users: set[tuple[int, int]] = field(default_factory=set)
    durations: dict[tuple[int, str, str], list[int]] = field(
        default_factory=lambda: defaultdict(list)
    )

    def add(self, unit_id: int | None, figure: str, amount: int = 1) -> None:
        if unit_id is not None and amount:
            self.values[unit_id, figure] += amount


def day_figures(day: date) -> DayFigures:
    start, end = day_bounds(day)
    figures = DayFigures(day)
    _logins(figures, start, end)
    _documents(figures, start, end)
    _steps(figures, start, end)
    _notices(figures, start, end)
    _knowledge(figures, start, end)
    _searches(figures, start, end)
    return figures


def _logins(figures: DayFigures, start, end) -> None:
    per_username = dict(
        AccessLog.objects.filter(attempt_time__gte=start, attempt_time__lt=end)
        .values_list("username")
        .annotate(count=Count("pk"))
    )
    accounts = User.objects.filter(
        username__in=list(per_username), department__isnull=False
    ).values_list("username", "pk", "department__unit_id")
    for username, user_id, unit_id in accounts:
        figures.add(unit_id, Figure.LOGINS, per_username[username])
        if unit_id is not None:
            figures.active_users.add((unit_id, user_id))


def _documents(figures: DayFigures, start, end) -> None:
    rows = (
        TraceEntry.objects.filter(
            created_at__gte=start, created_at__lt=end, action__in=list(DOCUMENT_ACTIONS)
        )
        .values_list("action", "document__unit__unit_id")
        .annotate(documents=Count("document", distinct=True))
    )
    for action, unit_id, documents in rows:
        figures.add(unit_id, DOCUMENT_ACTIONS[action], documents)


def done_tasks(start, end):
    """The human tasks done in [start, end), each annotated from its first trace entry with its
    document, step, unit, flow (the document's kind) and deadline."""
    entry = TraceEntry.objects.filter(task=OuterRef("pk")).order_by("pk")

    def first(name):
        return Subquery(entry.values(name)[:1])

    return (
        Task.objects.filter(
            flow_task_type="HUMAN", status=STATUS.DONE, finished__gte=start, finished__lt=end
        )
        .annotate(
            document_id=first("document_id"),
            step=first("step"),
            unit_id=first("document__unit__unit_id"),
            flow=first("document__kind"),
            deadline=first("document__deadline"),
        )
        .filter(document_id__isnull=False, unit_id__isnull=False)
    )


def is_overdue(finished, deadline) -> bool:
    """Done on a Beijing day after the document's deadline."""
    return deadline is not None and beijing_day(finished) > deadline


def _steps(figures: DayFigures, start, end) -> None:
    tasks = done_tasks(start, end).values_list(
        "created", "finished", "unit_id", "flow", "step", "deadline"
    )
    for created, finished, unit_id, flow, step, deadline in tasks:
        figures.add(unit_id, Figure.TASKS_FINISHED)
        if is_overdue(finished, deadline):
            figures.add(unit_id, Figure.TASKS_OVERDUE)
        seconds = max(0, round((finished - created).total_seconds()))
        figures.durations[unit_id, flow, step].append(seconds)


def _notices(figures: DayFigures, start, end) -> None:
    notices = NoticePage.objects.filter(
        first_published_at__gte=start, first_published_at__lt=end, issuing_department__isnull=False
    ).select_related("issuing_department")
    for notice in notices:
        unit_id = notice.issuing_department.unit_id
        figures.add(unit_id, Figure.NOTICES_PUBLISHED)
        figures.add(unit_id, Figure.NOTICE_AUDIENCE, notice_audience(notice).count())
        reads = NoticeReadReceipt.objects.filter(
            notice=notice, read_at__lt=notice.first_published_at + READ_WINDOW
        ).count()
        figures.add(unit_id, Figure.NOTICE_READS, reads)


def _knowledge(figures: DayFigures, start, end) -> None:
    day = figures.day
    for unit_id, added in (
        KnowledgeItemPage.objects.filter(first_published_at__gte=start, first_published_at__lt=end)
        .values_list("owner_unit__unit_id")
        .annotate(added=Count("pk"))
    ):
        figures.add(unit_id, Figure.KNOWLEDGE_ADDED, added)
    for unit_id, reviewed, on_time in (
        KnowledgeReview.objects.filter(reviewed_at__gte=start, reviewed_at__lt=end)
        .values_list("item__owner_unit__unit_id")
        .annotate(reviewed=Count("pk"), on_time=Count("pk", filter=Q(due_date__gte=day)))
    ):
        figures.add(unit_id, Figure.KNOWLEDGE_REVIEWED, reviewed)
        figures.add(unit_id, Figure.KNOWLEDGE_REVIEWED_ON_TIME, on_time)
    for unit_id, *_rest in overdue_reviews(day, day):
        figures.add(unit_id, Figure.KNOWLEDGE_REVIEWS_OVERDUE)


def overdue_reviews(first: date, last: date, unit_id: int | None = None) -> list[tuple]:
    """The reviews that fell due on a Beijing day of [first, last] and were not done by its end:
    those done later (recorded with their due date) and, once the day is over, the items in force
    still waiting. Rows (unit_id, due date, title, reviewed at or None), the latest due first."""
    of_unit = {} if unit_id is None else {"item__owner_unit__unit_id": unit_id}
    recorded = KnowledgeReview.objects.filter(
        due_date__gte=first, due_date__lte=last, reviewed_at__gte=day_bounds(first)[1], **of_unit
    ).values_list("item__owner_unit__unit_id", "due_date", "item__title", "reviewed_at")
    rows = [row for row in recorded if beijing_day(row[3]) > row[1]]
    over = min(last, beijing_today() - timedelta(days=1))
    if first <= over:
        waiting = KnowledgeItemPage.objects.live().filter(
            review_date__gte=first,
            review_date__lte=over,
            validity=KnowledgeItemPage.Validity.EFFECTIVE,
            **({} if unit_id is None else {"owner_unit__unit_id": unit_id}),
        )
        rows += [
            (*row, None)
            for row in waiting.values_list("owner_unit__unit_id", "review_date", "title")
        ]
    return sorted(rows, key=lambda row: (row[1], row[2]), reverse=True)


def _searches(figures: DayFigures, start, end) -> None:
    unit_ids = dict(OrgUnit.objects.filter(unit_id__isnull=False).values_list("code", "unit_id"))
    rows = (
        QueryLogEntry.objects.filter(searched_at__gte=start, searched_at__lt=end)
        .values_list("unit")
        .annotate(searches=Count("pk"), without=Count("pk", filter=Q(results=0)))
    )
    for code, searches, without in rows:
        unit_id = unit_ids.get(code)
        figures.add(unit_id, Figure.SEARCHES, searches)
        figures.add(unit_id, Figure.SEARCHES_WITHOUT_RESULTS, without)

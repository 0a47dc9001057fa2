"""What the statistics screens read: per-unit figures of a period from the rollup, with today's
figures computed live and added, and the lists behind each figure."""

import math
from collections import defaultdict
from dataclasses import dataclass, field
from datetime import date, timedelta

from axes.models import AccessLog
from django.core.cache import cache
from django.db.models import Count, F, OuterRef, Q, Subquery, Sum
from django.utils.translation import gettext_lazy as _

from home.models import NoticePage
from knowledge.models import KnowledgeItemPage, KnowledgeReview
from people.models import OrgUnit, User
from search.models import QueryLogEntry, ZeroResultSearch
from workflow.models import Document, TraceEntry
from workflow.steps import step_title

from .models import (
    FIGURE_KEYS,
    ActiveUserMonth,
    Figure,
    RolledDay,
    StepTurnaroundDay,
    UnitDayFigure,
)
from .periods import Period, beijing_day, beijing_today, month_period
from .sources import (
    DOCUMENT_ACTIONS,
    READ_WINDOW,
    day_figures,
    done_tasks,
    is_overdue,
    overdue_reviews,
)

LIVE_CACHE_SECONDS = 60
DRILL_DOWN_LIMIT = 500
TOP_QUERIES = 5

# The bulletin's score: each part is a share between 0 and 1; a part with nothing to measure in
# the period (no accounts, no notices, no steps, no searches) is left out and the weights of the
# others scaled up to 100 (docs/stats.md).
SCORE_WEIGHTS = {
    "active_share": 40,
    "read_rate": 25,
    "on_time_share": 25,
    "search_success": 10,
}


def p90(durations: list[int]) -> int | None:
    """The 90th percentile by the nearest-rank method (the smallest value ≥ 90 % of them)."""
    if not durations:
        return None
    ordered = sorted(durations)
    return ordered[math.ceil(0.9 * len(ordered)) - 1]


def _ratio(part: int, whole: int) -> float | None:
    return part / whole if whole else None


@dataclass
class UnitFigures:
    unit: OrgUnit
    accounts: int = 0
    values: dict[str, int] = field(default_factory=lambda: defaultdict(int))
    active_users: int = 0
    steps_timed: int = 0
    total_seconds: int = 0
    # Each task's duration: read for one unit's view only (the group view needs the sums).
    durations: list[int] | None = None

    def __getattr__(self, name):
        if name in FIGURE_KEYS:
            return self.values[name]
        raise AttributeError(name)

    @property
    def active_share(self) -> float | None:
        return _ratio(self.active_users, self.accounts)

    @property
    def read_rate(self) -> float | None:
        return _ratio(self.values[Figure.NOTICE_READS], self.values[Figure.NOTICE_AUDIENCE])

    @property
    def overdue_share(self) -> float | None:
        return _ratio(self.values[Figure.TASKS_OVERDUE], self.values[Figure.TASKS_FINISHED])

    @property
    def on_time_share(self) -> float | None:
        share = self.overdue_share
        return None if share is None else 1 - share

    @property
    def zero_share(self) -> float | None:
        return _ratio(self.values[Figure.SEARCHES_WITHOUT_RESULTS], self.values[Figure.SEARCHES])

    @property
    def search_success(self) -> float | None:
        share = self.zero_share
        return None if share is None else 1 - share

    @property
    def average_turnaround(self) -> float | None:
        return self.total_seconds / self.steps_timed if self.steps_timed else None

    @property
    def p90_turnaround(self) -> int | None:
        return p90(self.durations or [])

    def add_durations(self, durations: list[int]) -> None:
        self.steps_timed += len(durations)
        self.total_seconds += sum(durations)
        if self.durations is not None:
            self.durations.extend(durations)

    @property
    def score(self) -> float:
        parts = {name: getattr(self, name) for name in SCORE_WEIGHTS}
        weights = {name: w for name, w in SCORE_WEIGHTS.items() if parts[name] is not None}
        if not weights:
            return 0.0
        total = sum(weights[name] * parts[name] for name in weights)
        return round(100 * total / sum(weights.values()), 1)


def stats_units():
    """The headquarters and the second-level units, in the organization's order."""
    return OrgUnit.objects.filter(
        kind__in=[OrgUnit.Kind.HEADQUARTERS, OrgUnit.Kind.UNIT], is_active=True
    ).order_by("path")


def headquarters() -> OrgUnit | None:
    return OrgUnit.objects.filter(kind=OrgUnit.Kind.HEADQUARTERS).order_by("path").first()


def live_today() -> dict:
    """Today's figures from the sources, cached for a minute (plain data, so it pickles)."""
    today = beijing_today()
    key = f"stats:live:{today.isoformat()}"
    live = cache.get(key)
    if live is None:
        figures = day_figures(today)
        live = {
            "day": today,
            "values": dict(figures.values),
            "active_users": sorted(figures.active_users),
            "durations": {k: list(v) for k, v in figures.durations.items()},
        }
        cache.set(key, live, LIVE_CACHE_SECONDS)
    return live


def rolled_up_until():
    return RolledDay.objects.order_by("-day").values_list("day", flat=True).first()


def _rollup_days(period: Period, today):
    """The part of the period read from the rollup: every day before today."""
    return {"day__gte": period.start, "day__lte": min(period.end, today - timedelta(days=1))}


def period_figures(period: Period, units=None, *, with_durations=False) -> list[UnitFigures]:
    """Each unit's figures over the period, in the organization's order; `with_durations` reads
    every task's duration too, for the 90th percentile."""
    units = list(stats_units() if units is None else units)
    by_id = {unit.pk: UnitFigures(unit, durations=[] if with_durations else None) for unit in units}
    today = beijing_today()
    in_rollup = _rollup_days(period, today)
    for unit_id, accounts in (
        User.objects.filter(is_active=True, department__unit_id__in=by_id)
        .values_list("department__unit_id")
        .annotate(accounts=Count("pk"))
    ):
        by_id[unit_id].accounts = accounts
    for unit_id, figure, value in (
        UnitDayFigure.objects.filter(unit_id__in=by_id, **in_rollup)
        .values_list("unit_id", "figure")
        .annotate(total=Sum("value"))
    ):
        by_id[unit_id].values[figure] += value
    turnarounds = StepTurnaroundDay.objects.filter(unit_id__in=by_id, **in_rollup)
    if with_durations:
        for unit_id, durations in turnarounds.values_list("unit_id", "durations"):
            by_id[unit_id].add_durations(durations)
    else:
        for unit_id, count, total in turnarounds.values_list("unit_id").annotate(
            Sum("count"), Sum("total_seconds")
        ):
            by_id[unit_id].steps_timed += count
            by_id[unit_id].total_seconds += total
    active_before = _active_in(in_rollup["day__gte"], in_rollup["day__lte"])
    for unit_id, active in (
        active_before.filter(unit_id__in=by_id)
        .values_list("unit_id")
        .annotate(users=Count("user_id", distinct=True))
    ):
        by_id[unit_id].active_users = active
    if period.start <= today <= period.end:
        _add_live(by_id, active_before, live_today())
    return [by_id[unit.pk] for unit in units]


def _days_bits(first: date, last: date) -> int:
    """The bits of `ActiveUserMonth.days` for the days first…last of one month."""
    return (1 << last.day) - (1 << (first.day - 1))


def _active_in(first: date, last: date):
    """The `ActiveUserMonth` rows of the users active on a day of [first, last]."""
    if first > last:
        return ActiveUserMonth.objects.none()
    first_month, last_month = first.replace(day=1), last.replace(day=1)
    if first_month == last_month:
        return ActiveUserMonth.objects.alias(
            in_period=F("days").bitand(_days_bits(first, last))
        ).filter(month=first_month, in_period__gt=0)
    first_month_end = month_period(first.year, first.month).end
    return ActiveUserMonth.objects.alias(
        in_first=F("days").bitand(_days_bits(first, first_month_end)),
        in_last=F("days").bitand(_days_bits(last_month, last)),
    ).filter(
        Q(month__gt=first_month, month__lt=last_month)
        | Q(month=first_month, in_first__gt=0)
        | Q(month=last_month, in_last__gt=0)
    )


def _add_live(by_id: dict, active_before, live: dict) -> None:
    for (unit_id, figure), value in live["values"].items():
        if unit_id in by_id:
            by_id[unit_id].values[figure] += value
    for (unit_id, _flow, _step), durations in live["durations"].items():
        if unit_id in by_id:
            by_id[unit_id].add_durations(durations)
    today_users = {(u, user) for u, user in live["active_users"] if u in by_id}
    seen_before = set(
        active_before.filter(user_id__in={user for _u, user in today_users}).values_list(
            "unit_id", "user_id"
        )
    )
    for unit_id, _user in today_users - seen_before:
        by_id[unit_id].active_users += 1


@dataclass(frozen=True)
class StepTurnaround:
    flow: str
    step: str
    title: str
    count: int
    average: float
    p90: int


def step_turnarounds(unit: OrgUnit, period: Period) -> list[StepTurnaround]:
    """Per flow and step: how many tasks were done in the period, their mean and p90 duration."""
    today = beijing_today()
    merged: dict[tuple[str, str], list[int]] = defaultdict(list)
    for flow, step, durations in StepTurnaroundDay.objects.filter(
        unit=unit, **_rollup_days(period, today)
    ).values_list("flow", "step", "durations"):
        merged[flow, step].extend(durations)
    if period.start <= today <= period.end:
        for (unit_id, flow, step), durations in live_today()["durations"].items():
            if unit_id == unit.pk:
                merged[flow, step].extend(durations)
    return [
        StepTurnaround(
            flow=flow,
            step=step,
            title=str(step_title(step)),
            count=len(durations),
            average=sum(durations) / len(durations),
            p90=p90(durations),
        )
        for (flow, step), durations in sorted(merged.items())
    ]


def top_queries_without_results(unit: OrgUnit, period: Period) -> list[tuple[str, int]]:
    """The unit's searches that found nothing most often in the period."""
    return list(
        ZeroResultSearch.objects.filter(unit=unit.code, day__gte=period.start, day__lte=period.end)
        .values_list("query")
        .annotate(total=Sum("count"))
        .order_by("-total", "query")[:TOP_QUERIES]
    )


# Drill-down: the records behind a figure, read from the sources for the unit and period.

DRILL_DOWNS = {
    Figure.LOGINS: (_("Time"), _("Account"), _("Name")),
    Figure.DOCUMENTS_SENT: (_("Time"), _("Document"), _("By")),
    Figure.DOCUMENTS_RECEIVED: (_("Time"), _("Document"), _("By")),
    Figure.DOCUMENTS_CANCELLED: (_("Time"), _("Document"), _("By")),
    Figure.TASKS_FINISHED: (_("Finished"), _("Document"), _("Step"), _("Hours")),
    Figure.TASKS_OVERDUE: (_("Finished"), _("Document"), _("Step"), _("Deadline")),
    Figure.NOTICES_PUBLISHED: (_("Published"), _("Notice"), _("Read within a week")),
    Figure.KNOWLEDGE_ADDED: (_("Published"), _("Item")),
    Figure.KNOWLEDGE_REVIEWED: (_("Reviewed"), _("Item"), _("Due for review"), _("By")),
    Figure.KNOWLEDGE_REVIEWED_ON_TIME: (_("Reviewed"), _("Item"), _("Due for review"), _("By")),
    Figure.KNOWLEDGE_REVIEWS_OVERDUE: (_("Due for review"), _("Item"), _("Reviewed")),
    Figure.SEARCHES: (_("Time"), _("Query"), _("Results")),
    Figure.SEARCHES_WITHOUT_RESULTS: (_("Time"), _("Query"), _("Results")),
}


def drill_down(unit: OrgUnit, figure: str, period: Period) -> list[tuple]:
    """The rows behind `figure` of `unit` in the period (the first DRILL_DOWN_LIMIT)."""
    start, end = period.bounds
    return list(_DRILL_DOWN_READERS[figure](unit, start, end)[:DRILL_DOWN_LIMIT])


def _logins(unit, start, end):
    names = dict(User.objects.filter(department__unit=unit).values_list("username", "name"))
    rows = (
        AccessLog.objects.filter(
            attempt_time__gte=start, attempt_time__lt=end, username__in=list(names)
        )
        .order_by("-attempt_time")
        .values_list("attempt_time", "username")[:DRILL_DOWN_LIMIT]
    )
    return [(at, username, names[username]) for at, username in rows]


def _documents(action):
    def read(unit, start, end):
        return (
            TraceEntry.objects.filter(
                created_at__gte=start,
                created_at__lt=end,
                action=action,
                document__unit__unit=unit,
            )
            .order_by("-created_at", "-pk")
            .values_list("created_at", "document__title", "actor_name")
        )

    return read


def _tasks(overdue: bool):
    def read(unit, start, end):
        tasks = (
            done_tasks(start, end)
            .filter(unit_id=unit.pk)
            .annotate(
                title=Subquery(
                    Document.objects.filter(pk=OuterRef("document_id")).values("title")[:1]
                )
            )
            .order_by("-finished", "-pk")
            .values_list("finished", "created", "title", "step", "deadline")
        )
        rows = []
        for finished, created, title, step, deadline in tasks.iterator():
            if overdue and not is_overdue(finished, deadline):
                continue
            hours = round((finished - created).total_seconds() / 3600, 1)
            rows.append((finished, title, str(step_title(step)), deadline if overdue else hours))
            if len(rows) >= DRILL_DOWN_LIMIT:
                break
        return rows

    return read


def _notices(unit, start, end):
    first_week = Q(receipts__read_at__lt=F("first_published_at") + READ_WINDOW)
    return (
        NoticePage.objects.filter(
            first_published_at__gte=start,
            first_published_at__lt=end,
            issuing_department__unit=unit,
        )
        .annotate(reads=Count("receipts", filter=first_week))
        .order_by("-first_published_at")
        .values_list("first_published_at", "title", "reads")
    )


def _knowledge_added(unit, start, end):
    return (
        KnowledgeItemPage.objects.filter(
            first_published_at__gte=start, first_published_at__lt=end, owner_unit__unit=unit
        )
        .order_by("-first_published_at")
        .values_list("first_published_at", "title")
    )


def _knowledge_reviews(on_time: bool):
    def read(unit, start, end):
        reviews = KnowledgeReview.objects.filter(
            reviewed_at__gte=start, reviewed_at__lt=end, item__owner_unit__unit=unit
        )
        if on_time:
            reviews = reviews.filter(due_date__gte=beijing_day(start))
        rows = reviews.order_by("-reviewed_at", "-pk").values_list(
            "reviewed_at", "item__title", "due_date", "reviewed_by__name"
        )
        if not on_time:
            return rows
        return [row for row in rows.iterator() if beijing_day(row[0]) <= row[2]]

    return read


def _knowledge_overdue(unit, start, end):
    rows = overdue_reviews(beijing_day(start), beijing_day(end) - timedelta(days=1), unit.pk)
    return [(due, title, reviewed_at) for _unit, due, title, reviewed_at in rows]


def _searches(without_results: bool):
    def read(unit, start, end):
        rows = QueryLogEntry.objects.filter(
            searched_at__gte=start, searched_at__lt=end, unit=unit.code
        )
        if without_results:
            rows = rows.filter(results=0)
        return rows.order_by("-searched_at", "-pk").values_list("searched_at", "query", "results")

    return read


_DOCUMENT_FIGURES = {figure: action for action, figure in DOCUMENT_ACTIONS.items()}
_DRILL_DOWN_READERS = {
    Figure.LOGINS: _logins,
    **{figure: _documents(action) for figure, action in _DOCUMENT_FIGURES.items()},
    Figure.TASKS_FINISHED: _tasks(overdue=False),
    Figure.TASKS_OVERDUE: _tasks(overdue=True),
    Figure.NOTICES_PUBLISHED: _notices,
    Figure.KNOWLEDGE_ADDED: _knowledge_added,
    Figure.KNOWLEDGE_REVIEWED: _knowledge_reviews(on_time=False),
    Figure.KNOWLEDGE_REVIEWED_ON_TIME: _knowledge_reviews(on_time=True),
    Figure.KNOWLEDGE_REVIEWS_OVERDUE: _knowledge_overdue,
    Figure.SEARCHES: _searches(without_results=False),
    Figure.SEARCHES_WITHOUT_RESULTS: _searches(without_results=True),
}


@dataclass
class DayRow:
    day: object
    values: dict[str, int]

    def __getattr__(self, name):
        if name in FIGURE_KEYS:
            return self.values.get(name, 0)
        raise AttributeError(name)


def daily_figures(unit: OrgUnit, period: Period) -> list[DayRow]:
    """The unit's figures day by day over the period (today's live)."""
    today = beijing_today()
    rows = {day: DayRow(day, {}) for day in period.days() if day <= today}
    for day, figure, value in UnitDayFigure.objects.filter(
        unit=unit, **_rollup_days(period, today)
    ).values_list("day", "figure", "value"):
        rows[day].values[figure] = value
    if today in rows:
        for (unit_id, figure), value in live_today()["values"].items():
            if unit_id == unit.pk:
                rows[today].values[figure] = value
    return list(rows.values())

"""The columns of the statistics tables, shared by the screens, exports and the bulletin."""

from dataclasses import dataclass

from django.utils.translation import gettext_lazy as _

from .models import FIGURE_KEYS, Figure

COUNT, SHARE, HOURS, SCORE = "count", "share", "hours", "score"


@dataclass(frozen=True)
class Column:
    key: str
    label: str
    kind: str = COUNT

    def value(self, row):
        """The cell's value as exported: counts, shares in per cent, durations in hours."""
        raw = getattr(row, self.key)
        if raw is None:
            return None
        if self.kind == SHARE:
            return round(100 * raw, 1)
        if self.kind == HOURS:
            return round(raw / 3600, 1)
        return raw

    def display(self, row) -> str:
        value = self.value(row)
        if value is None:
            return "—"
        if self.kind == SHARE:
            return f"{value:.1f}%"
        if self.kind == HOURS:
            return f"{value:.1f}"
        return str(value)

    @property
    def drills_down(self) -> bool:
        return self.key in FIGURE_KEYS


UNIT_COLUMNS = [
    Column("accounts", _("Active accounts")),
    Column(Figure.LOGINS, _("Logins")),
    Column("active_users", _("Active users")),
    Column("active_share", _("Active share"), SHARE),
    Column(Figure.DOCUMENTS_SENT, _("Documents sent")),
    Column(Figure.DOCUMENTS_RECEIVED, _("Documents received")),
    Column(Figure.DOCUMENTS_CANCELLED, _("Documents cancelled")),
    Column(Figure.TASKS_FINISHED, _("Steps handled")),
    Column(Figure.TASKS_OVERDUE, _("Overdue steps")),
    Column("overdue_share", _("Overdue share"), SHARE),
    Column("average_turnaround", _("Mean hours per step"), HOURS),
    Column("p90_turnaround", _("P90 hours per step"), HOURS),
    Column(Figure.NOTICES_PUBLISHED, _("Notices published")),
    Column("read_rate", _("Notice read rate"), SHARE),
    Column(Figure.KNOWLEDGE_ADDED, _("Knowledge items added")),
    Column(Figure.KNOWLEDGE_REVIEWED, _("Knowledge items reviewed")),
    Column(Figure.KNOWLEDGE_REVIEWED_ON_TIME, _("Knowledge reviews on time")),
    Column(Figure.KNOWLEDGE_REVIEWS_OVERDUE, _("Overdue knowledge reviews")),
    Column(Figure.SEARCHES, _("Searches")),
    Column(Figure.SEARCHES_WITHOUT_RESULTS, _("Searches without results")),
    Column("zero_share", _("Share without results"), SHARE),
    Column("score", _("Score"), SCORE),
]
COLUMNS_BY_KEY = {column.key: column for column in UNIT_COLUMNS}
# The group view leaves out the percentile: it would need every task's duration of every unit.
GROUP_COLUMNS = [column for column in UNIT_COLUMNS if column.key != "p90_turnaround"]


def sorted_rows(rows, key: str, descending: bool):
    """Rows sorted on a column; units without a value for it come last either way."""
    column = COLUMNS_BY_KEY[key]
    present = [row for row in rows if column.value(row) is not None]
    missing = [row for row in rows if column.value(row) is None]
    return sorted(present, key=column.value, reverse=descending) + missing

"""The monthly bulletin (应用情况通报): the units ranked on the score, as a PDF.

Laid out like the red-head documents (WeasyPrint, the same font stacks), with the charts drawn
as inline SVG, so nothing is fetched and nothing beyond WeasyPrint is needed.
"""

from django.template.loader import render_to_string
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from core.pdf import font_configuration
from workflow.redhead.services import font_stacks

from .selectors import SCORE_WEIGHTS, period_figures
from .svg import bar_chart
from .tables import COLUMNS_BY_KEY

SCORE_PART_LABELS = {
    "active_share": gettext_lazy("Share of accounts that signed in"),
    "read_rate": gettext_lazy("Notice read rate in the first week"),
    "on_time_share": gettext_lazy("Share of steps handled by the deadline"),
    "search_success": gettext_lazy("Share of searches that found something"),
}
RANKING_COLUMNS = [
    "score",
    "active_share",
    "read_rate",
    "overdue_share",
    "zero_share",
    "logins",
    "documents_sent",
    "documents_received",
    "tasks_finished",
]
KNOWLEDGE_COLUMNS = [
    "knowledge_added",
    "knowledge_reviewed",
    "knowledge_reviewed_on_time",
    "knowledge_reviews_overdue",
]


def ranked(period):
    """The units by score, best first (ties in the organization's order)."""
    rows = period_figures(period)
    return sorted(rows, key=lambda row: -row.score)


def bulletin_html(period) -> str:
    rows = ranked(period)
    columns = [COLUMNS_BY_KEY[key] for key in RANKING_COLUMNS]
    return render_to_string(
        "stats/bulletin.html",
        {
            "period": period,
            "rows": [
                (rank, row, [column.display(row) for column in columns])
                for rank, row in enumerate(rows, 1)
            ],
            "columns": columns,
            "knowledge_columns": [COLUMNS_BY_KEY[key] for key in KNOWLEDGE_COLUMNS],
            "knowledge_rows": [
                (row, [COLUMNS_BY_KEY[key].display(row) for key in KNOWLEDGE_COLUMNS])
                for row in rows
            ],
            "weights": [
                (SCORE_PART_LABELS[name], weight) for name, weight in SCORE_WEIGHTS.items()
            ],
            "score_chart": bar_chart([(row.unit.display_name, row.score) for row in rows]),
            "active_chart": bar_chart(
                [
                    (
                        row.unit.display_name,
                        None if row.active_share is None else 100 * row.active_share,
                    )
                    for row in rows
                ],
                suffix="%",
            ),
            "fonts": font_stacks(),
            "generated_at": timezone.localtime(),
            "title": _("Usage of the intranet in %(month)s") % {"month": period.label},
        },
    )


def bulletin_pdf(period) -> bytes:
    # Imported here: WeasyPrint is heavy to import and only the rendering needs it.
    from weasyprint import HTML
    from weasyprint.urls import URLFetcher

    no_fetching = URLFetcher(allowed_protocols=frozenset())
    return HTML(string=bulletin_html(period), url_fetcher=no_fetching).write_pdf(
        font_config=font_configuration()
    )

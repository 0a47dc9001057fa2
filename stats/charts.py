"""What each chart of the screens draws, with the table shown beside it (same figures)."""

from django.utils.translation import gettext as _

from .models import Figure
from .tables import COLUMNS_BY_KEY


def _chart(key, title, categories, series, unit=""):
    """`series` is [(name, values)]; the table beside the chart has one row per category."""
    return {
        "id": f"chart-{key}",
        "data_id": f"chart-{key}-data",
        "title": title,
        "spec": {
            "type": "bar",
            "categories": categories,
            "series": [{"name": name, "data": data} for name, data in series],
            "unit": unit,
        },
        "headings": ["", *[name for name, _data in series]],
        "rows": [
            [category, *["—" if data[i] is None else data[i] for _name, data in series]]
            for i, category in enumerate(categories)
        ],
    }


def group_charts(rows) -> list[dict]:
    names = [row.unit.display_name for row in rows]

    def series(key):
        column = COLUMNS_BY_KEY[key]
        return str(column.label), [column.value(row) for row in rows]

    return [
        _chart("score", _("Score"), names, [series("score")]),
        _chart(
            "shares",
            _("Active share, notice read rate and overdue share (%)"),
            names,
            [series("active_share"), series("read_rate"), series("overdue_share")],
            "%",
        ),
        _chart(
            "documents",
            _("Documents"),
            names,
            [series(Figure.DOCUMENTS_SENT), series(Figure.DOCUMENTS_RECEIVED)],
        ),
    ]


def unit_charts(daily, steps) -> list[dict]:
    days = [f"{row.day:%m-%d}" for row in daily]
    return [
        _chart(
            "daily",
            _("Logins and steps handled per day"),
            days,
            [
                (str(Figure.LOGINS.label), [row.logins for row in daily]),
                (str(Figure.TASKS_FINISHED.label), [row.tasks_finished for row in daily]),
            ],
        ),
        _chart(
            "steps",
            _("Hours per step (mean and P90)"),
            [step.title for step in steps],
            [
                (_("Mean"), [round(step.average / 3600, 1) for step in steps]),
                ("P90", [round(step.p90 / 3600, 1) for step in steps]),
            ],
            _("hours"),
        ),
    ]

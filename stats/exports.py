"""The XLSX exports of the statistics, saved through the project's formula-safe helper."""

from django.utils.translation import gettext as _
from openpyxl import Workbook

from core.xlsx import workbook_bytes

from .models import Figure
from .tables import GROUP_COLUMNS


def _sheet(workbook, title, headings, rows, first=False):
    sheet = workbook.active if first else workbook.create_sheet()
    sheet.title = title[:31]
    sheet.append([str(heading) for heading in headings])
    for row in rows:
        sheet.append([_cell(value) for value in row])
    return sheet


def _cell(value):
    if hasattr(value, "tzinfo") and value.tzinfo is not None:
        return value.replace(tzinfo=None)
    return value


def group_workbook(period, rows) -> bytes:
    workbook = Workbook()
    _sheet(
        workbook,
        period.label,
        [_("Unit"), *[column.label for column in GROUP_COLUMNS]],
        [[row.unit.name, *[column.value(row) for column in GROUP_COLUMNS]] for row in rows],
        first=True,
    )
    return workbook_bytes(workbook)


def unit_workbook(unit, period, daily, steps) -> bytes:
    workbook = Workbook()
    figures = list(Figure)
    _sheet(
        workbook,
        _("Per day"),
        [_("Day"), *[figure.label for figure in figures]],
        [[row.day, *[getattr(row, figure.value) for figure in figures]] for row in daily],
        first=True,
    )
    _sheet(
        workbook,
        _("Per step"),
        [_("Flow"), _("Step"), _("Steps handled"), _("Mean hours"), _("P90 hours")],
        [
            [
                step.flow,
                step.title,
                step.count,
                round(step.average / 3600, 2),
                round(step.p90 / 3600, 2),
            ]
            for step in steps
        ],
    )
    return workbook_bytes(workbook)


def list_workbook(title, headings, rows) -> bytes:
    workbook = Workbook()
    _sheet(workbook, str(title), headings, rows, first=True)
    return workbook_bytes(workbook)

"""A titled table as an XLSX workbook, in the look of the outgoing register's export, saved
through `core.xlsx` so no cell a user typed can become a formula."""

from datetime import date

from openpyxl import Workbook
from openpyxl.styles import Alignment, Font, PatternFill
from openpyxl.utils import get_column_letter

from core.xlsx import workbook_bytes

HEADER_FILL = PatternFill("solid", fgColor="E8F0FB")


def table_xlsx(*, sheet_title: str, heading: str, columns: list[tuple[str, int]], rows) -> bytes:
    """`columns`: (header, width) pairs; `rows`: lists of cell values (dates shown as dates)."""
    workbook = Workbook()
    sheet = workbook.active
    sheet.title = sheet_title[:31]
    sheet.append([heading])
    sheet["A1"].font = Font(bold=True, size=14)
    sheet.append([title for title, _width in columns])
    for column, (_title, width) in enumerate(columns, 1):
        cell = sheet.cell(row=2, column=column)
        cell.font = Font(bold=True)
        cell.fill = HEADER_FILL
        cell.alignment = Alignment(horizontal="center", vertical="center")
        sheet.column_dimensions[get_column_letter(column)].width = width
    sheet.freeze_panes = "A3"
    for values in rows:
        sheet.append(values)
        for cell in sheet[sheet.max_row]:
            if isinstance(cell.value, date):
                cell.number_format = "yyyy-mm-dd"
    return workbook_bytes(workbook)

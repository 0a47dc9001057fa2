"""Writing XLSX exports that a spreadsheet can never run.

A cell whose text starts with `=`, `+`, `-`, `@`, a tab or a carriage return is read by Excel,
WPS and LibreOffice as a formula (`=HYPERLINK(…)`, `=cmd|…`): document titles and names typed by
users must never become one. `workbook_bytes` is the only way our exports save a workbook: it
stores every such cell, and any formula openpyxl was given, as text with Excel's quote prefix
(so editing the cell keeps it text), then saves.
"""

from io import BytesIO

from openpyxl import Workbook

FORMULA_TRIGGERS = ("=", "+", "-", "@", "\t", "\r")
CONTENT_TYPE = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"


def as_text_if_formula(cell) -> None:
    value = cell.value
    if cell.data_type == "f" or (isinstance(value, str) and value.startswith(FORMULA_TRIGGERS)):
        text = value if isinstance(value, str) else str(getattr(value, "text", value))
        cell.value = text
        cell.data_type = "s"
        cell.quotePrefix = True


def workbook_bytes(workbook: Workbook) -> bytes:
    """The workbook saved as XLSX, with no cell a spreadsheet would evaluate."""
    for sheet in workbook.worksheets:
        for row in sheet.iter_rows():
            for cell in row:
                as_text_if_formula(cell)
    content = BytesIO()
    workbook.save(content)
    return content.getvalue()

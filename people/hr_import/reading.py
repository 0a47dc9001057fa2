"""Reading an HR export: the file (CSV or XLSX) into rows keyed by the template's columns, and the
template itself."""

import csv
import io
from collections.abc import Iterable, Iterator
from pathlib import Path
from typing import Any

from django.core.exceptions import ValidationError
from django.core.files.base import ContentFile
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from core.spreadsheets import xlsx_rows
from core.uploads import HR_IMPORT, XLSX, check_upload, decode_text
from core.xlsx import workbook_bytes

# A header row may carry columns of its own beyond the template's; cells further right are not read.
MAX_COLUMNS = 64
MAX_ROWS = 100_000

COLUMNS = (
    "employee_no",
    "name",
    "gender",
    "unit_code",
    "department_code",
    "position",
    "mobile",
    "email",
    "entry_date",
    "status",
)
CHINESE_HEADERS = {
    "employee_no": "工号",
    "name": "姓名",
    "gender": "性别",
    "unit_code": "单位编码",
    "department_code": "部门编码",
    "position": "职务",
    "mobile": "手机",
    "email": "电子邮箱",
    "entry_date": "入职日期",
    "status": "状态",
}
COLUMN_LABELS = {
    "employee_no": gettext_lazy("Employee number"),
    "name": gettext_lazy("Full name"),
    "gender": gettext_lazy("Gender"),
    "unit_code": gettext_lazy("Unit code"),
    "department_code": gettext_lazy("Department code"),
    "position": gettext_lazy("Position"),
    "mobile": gettext_lazy("Mobile"),
    "email": gettext_lazy("Email"),
    "entry_date": gettext_lazy("Entry date"),
    "status": gettext_lazy("Status"),
}
TEMPLATE_EXAMPLE_ROW = (
    "E0001",
    "张三",
    "男",
    "HQ",
    "HQ-BGS",
    "科员",
    "13800000000",
    "zhangsan@example.com",
    "2024-07-01",
    "在职",
)

Row = tuple[int, dict[str, Any]]


def read_rows(file_name: str, content: bytes) -> list[Row]:
    """The data rows of an HR export as (spreadsheet row number, {column: raw value})."""
    kind = check_upload(ContentFile(content, name=Path(file_name).name), HR_IMPORT)
    table = _xlsx_rows(content) if kind == XLSX else _csv_rows(content)
    return _rows_by_header(table)


def cell_text(value: Any) -> str:
    if value is None:
        return ""
    if isinstance(value, float) and value.is_integer():
        value = int(value)  # Excel stores numbers typed as 10001 as 10001.0
    return str(value).strip()


def _xlsx_rows(content: bytes) -> Iterator[tuple[int, tuple[Any, ...]]]:
    for _sheet, number, cells in xlsx_rows(
        io.BytesIO(content), max_columns=MAX_COLUMNS, first_sheet_only=True
    ):
        yield number, cells


def _csv_rows(content: bytes) -> Iterator[tuple[int, list[str]]]:
    text = decode_text(content)
    if text is None:
        raise ValidationError(
            _("The file is not a CSV text file in UTF-8 or GB18030 encoding."), code="format"
        )
    return enumerate(csv.reader(io.StringIO(text, newline="")), start=1)


def _rows_by_header(table: Iterable[tuple[int, Iterable[Any]]]) -> list[Row]:
    header_aliases = {alias: column for column, alias in CHINESE_HEADERS.items()}
    header_aliases.update({column: column for column in COLUMNS})
    rows = iter(table)
    _header_number, header = next(rows, (1, None))
    if header is None:
        raise ValidationError(_("The file is empty."), code="empty")
    positions: dict[str, int] = {}
    for position, cell in enumerate(header):
        column = header_aliases.get(cell_text(cell).lower())
        if column and column not in positions:
            positions[column] = position
    missing = [column for column in COLUMNS if column not in positions]
    if missing:
        raise ValidationError(
            _("The first row must hold the template's column headers; missing: %(columns)s.")
            % {"columns": "、".join(CHINESE_HEADERS[column] for column in missing)},
            code="header",
        )
    data = []
    for row_number, cells in rows:
        if len(data) >= MAX_ROWS:
            raise ValidationError(
                _("The file has more than %(limit)s data rows; split it.") % {"limit": MAX_ROWS},
                code="too_large",
            )
        cells = tuple(cells)
        values = {
            column: cells[position] if position < len(cells) else None
            for column, position in positions.items()
        }
        if any(cell_text(value) for value in values.values()):
            data.append((row_number, values))
    if not data:
        raise ValidationError(_("The file has no data rows."), code="empty")
    return data


def template_csv() -> bytes:
    buffer = io.StringIO(newline="")
    writer = csv.writer(buffer)
    writer.writerow([CHINESE_HEADERS[column] for column in COLUMNS])
    writer.writerow(TEMPLATE_EXAMPLE_ROW)
    # The byte-order mark makes Excel open the file as UTF-8 instead of the system code page.
    return buffer.getvalue().encode("utf-8-sig")


def template_xlsx() -> bytes:
    import openpyxl

    workbook = openpyxl.Workbook()
    sheet = workbook.active
    sheet.title = "人员"
    sheet.append([CHINESE_HEADERS[column] for column in COLUMNS])
    sheet.append(TEMPLATE_EXAMPLE_ROW)
    # Text format keeps Excel from turning employee numbers like 00123 into 123.
    for column_cells in sheet.iter_cols(min_row=2, max_row=2):
        for cell in column_cells:
            cell.number_format = "@"
    return workbook_bytes(workbook)

"""Reading XLSX workbooks by the rows they really hold.

openpyxl's read-only mode trusts the sheet's declared `<dimension>`: a sheet declaring
A1:XFD1048576 makes every row 16,384 cells wide and adds empty rows up to row 1,048,576. We forget
the declaration (`reset_dimensions`) and cut each row at `max_columns`, so the work follows the
cells in the file, whose size the upload policy's archive check has already bounded.
"""

from collections.abc import Iterator
from typing import Any

from django.utils.translation import gettext as _

from .uploads import UploadRefused, check_archive


def xlsx_rows(
    source, *, max_columns: int, first_sheet_only: bool = False
) -> Iterator[tuple[str, int, tuple[Any, ...]]]:
    """(sheet title, row number, cell values) for each row holding at least one value.

    `source` is a path or a binary file object. Raises `UploadRefused` for a bomb or a file
    openpyxl cannot open."""
    from openpyxl import load_workbook

    check_archive(source)
    try:
        workbook = load_workbook(source, read_only=True, data_only=True)
    except Exception as error:  # openpyxl raises many kinds for a damaged or foreign archive
        raise UploadRefused(
            _("The file is not a readable XLSX workbook."), code="damaged"
        ) from error
    try:
        sheets = workbook.worksheets[:1] if first_sheet_only else workbook.worksheets
        for sheet in sheets:
            sheet.reset_dimensions()
            for number, row in enumerate(
                sheet.iter_rows(min_row=1, max_col=max_columns, values_only=True), start=1
            ):
                if any(value is not None and value != "" for value in row):
                    yield sheet.title, number, row
    finally:
        workbook.close()

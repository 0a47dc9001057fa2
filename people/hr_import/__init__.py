"""Accounts from the HR system: read the HR export (CSV or XLSX), check every row, apply it.

A file is all or nothing: if any row has an error, nothing is imported and the result lists every
error with its row number (the row as a spreadsheet shows it, the header being row 1). A dry run
checks and reports the same way without writing. Rows that match their account already are not
written at all, so importing the same file twice changes nothing the second time.

`reading` turns the file into rows and builds the template, `checking` finds every row's errors,
`applying` writes the accounts; the names below are what the rest of the project uses.
"""

from .applying import ImportResult, RowOutcome, import_users
from .checking import RowError
from .reading import CHINESE_HEADERS, COLUMNS, read_rows, template_csv, template_xlsx

__all__ = [
    "CHINESE_HEADERS",
    "COLUMNS",
    "ImportResult",
    "RowError",
    "RowOutcome",
    "import_users",
    "read_rows",
    "template_csv",
    "template_xlsx",
]

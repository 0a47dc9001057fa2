"""Hostile and ordinary files built on the fly: decompression bombs, lying spreadsheets."""

import functools
import io
import os
import re
import zipfile

import docx
import openpyxl

MB = 2**20


def docx_file(paragraphs=("正文",)) -> bytes:
    document = docx.Document()
    for text in paragraphs:
        document.add_paragraph(text)
    buffer = io.BytesIO()
    document.save(buffer)
    return buffer.getvalue()


def _rewritten(archive_bytes: bytes, replace: dict[str, bytes], add=None) -> bytes:
    source = zipfile.ZipFile(io.BytesIO(archive_bytes))
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w", zipfile.ZIP_DEFLATED, compresslevel=9) as target:
        for info in source.infolist():
            target.writestr(info.filename, replace.get(info.filename, source.read(info.filename)))
        for name, content in (add or {}).items():
            target.writestr(name, content)
    return buffer.getvalue()


@functools.cache
def docx_bomb(expanded_bytes: int = 60 * MB, noise_bytes: int = 150_000) -> bytes:
    """A well-formed DOCX of about 200 KB whose body expands to `expanded_bytes`: one paragraph
    of padding, plus a part of incompressible noise so the file has an ordinary size."""
    plain = docx_file(["炸弹"])
    body = zipfile.ZipFile(io.BytesIO(plain)).read("word/document.xml").decode()
    padding = "<w:p><w:r><w:t>" + "A" * expanded_bytes + "</w:t></w:r></w:p>"
    body = body.replace("<w:body>", "<w:body>" + padding, 1)
    noise = os.urandom(noise_bytes // 4 * 3).hex()[:noise_bytes].encode()
    return _rewritten(
        plain, {"word/document.xml": body.encode()}, add={"word/media/noise.bin": noise}
    )


def xlsx_file(rows: list[list]) -> bytes:
    workbook = openpyxl.Workbook()
    for row in rows:
        workbook.active.append(row)
    buffer = io.BytesIO()
    workbook.save(buffer)
    return buffer.getvalue()


def xlsx_declaring(rows: list[list], dimension: str = "A1:XFD1048576") -> bytes:
    """A workbook whose first sheet declares a `<dimension>` far larger than its cells."""
    plain = xlsx_file(rows)
    sheet = zipfile.ZipFile(io.BytesIO(plain)).read("xl/worksheets/sheet1.xml").decode()
    sheet = re.sub(r'<dimension ref="[^"]*"\s*/>', f'<dimension ref="{dimension}"/>', sheet)
    return _rewritten(plain, {"xl/worksheets/sheet1.xml": sheet.encode()})


@functools.cache
def xlsx_bomb(expanded_bytes: int = 60 * MB) -> bytes:
    """A workbook whose sheet pads out to `expanded_bytes`."""
    plain = xlsx_file([["a"]])
    sheet = zipfile.ZipFile(io.BytesIO(plain)).read("xl/worksheets/sheet1.xml").decode()
    sheet = sheet.replace("</worksheet>", "<!--" + "A" * expanded_bytes + "--></worksheet>")
    return _rewritten(plain, {"xl/worksheets/sheet1.xml": sheet.encode()})

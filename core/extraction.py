"""Text out of uploaded files, for search and for document bodies.

PDF text comes from poppler's `pdftotext`, page by page; a page without a text layer (a scan) is
rasterised with `pdftoppm` and read by Tesseract (chi_sim+eng), as are images. DOCX is read with
python-docx (paragraphs and tables), XLSX by its real rows (every sheet's cell values), TXT as
UTF-8 or GB18030. Legacy DOC/XLS have no extractor. Zip-based files pass the upload policy's bomb
check again before parsing (files stored before the policy existed), and the text is cut at
`max_text_chars()` so one file cannot bloat the database or the search index.

Extraction is slow (OCR takes seconds a page): call it outside any database transaction.
"""

import shutil
import subprocess
import tempfile
import zipfile
from dataclasses import dataclass
from pathlib import Path

from django.conf import settings
from django.utils.translation import gettext as _

from .spreadsheets import xlsx_rows
from .uploads import DOCX, JPEG, PDF, PNG, TXT, XLSX, UploadRefused, check_archive, decode_text


def unexpected_failure() -> str:
    """What a reader is told when text extraction broke in a way nobody planned for: the fault
    itself goes to the log, since it may carry paths and tool output nobody should see."""
    return _(
        "The text could not be read because of an unexpected fault. Try again; if it happens "
        "again, tell the system administrator."
    )


OCR_LANGUAGES = "chi_sim+eng"
# Scans are rasterised at their own resolution (resampling blurs strokes), within these bounds.
OCR_DPI_DEFAULT = 300
OCR_DPI_RANGE = (150, 400)
COMMAND_TIMEOUT = 300
# A page with fewer visible characters than this is treated as a scan.
MIN_TEXT_LAYER_CHARS = 10
DEFAULT_MAX_TEXT_CHARS = 500_000
# Columns past this are not read: no real sheet of ours is wider, and a row padded to Excel's
# 16,384 columns costs time without adding text.
MAX_SHEET_COLUMNS = 256


class ExtractionError(Exception):
    """Text could not be extracted; the message is shown to the editor."""


@dataclass(frozen=True)
class Extracted:
    text: str
    pages: int = 1
    ocr_pages: int = 0


def max_text_chars() -> int:
    return getattr(settings, "EXTRACTED_TEXT_MAX_CHARS", DEFAULT_MAX_TEXT_CHARS)


def cap_text(text: str) -> str:
    return text[: max_text_chars()]


def extract(path: Path, content_type: str) -> Extracted:
    extractors = {
        PDF.content_type: extract_pdf,
        DOCX.content_type: extract_docx,
        XLSX.content_type: extract_xlsx,
        TXT.content_type: extract_txt,
        PNG.content_type: extract_image,
        JPEG.content_type: extract_image,
    }
    extractor = extractors.get(content_type)
    if extractor is None:
        raise ExtractionError(_("Text cannot be extracted from this file type."))
    result = extractor(Path(path))
    return Extracted(cap_text(result.text), pages=result.pages, ocr_pages=result.ocr_pages)


def extract_stored(stored_file, suffix: str, content_type: str) -> Extracted:
    """`extract` of a file in storage (local or object storage): the extractors are
    command-line programs, so they read a local copy."""
    with tempfile.TemporaryDirectory() as workdir:
        path = Path(workdir) / f"content{suffix.lower()}"
        with stored_file.open("rb") as source, path.open("wb") as target:
            shutil.copyfileobj(source, target)
        return extract(path, content_type)


def _run(command: list[str]) -> bytes:
    try:
        completed = subprocess.run(
            command, capture_output=True, timeout=COMMAND_TIMEOUT, check=False
        )
    except FileNotFoundError as error:
        raise ExtractionError(
            _("The program %(name)s is not installed.") % {"name": command[0]}
        ) from error
    except subprocess.TimeoutExpired as error:
        raise ExtractionError(_("%(name)s took too long.") % {"name": command[0]}) from error
    if completed.returncode != 0:
        detail = completed.stderr.decode("utf-8", "replace").strip().splitlines()
        raise ExtractionError(
            _("%(name)s failed: %(detail)s")
            % {"name": command[0], "detail": detail[-1] if detail else completed.returncode}
        )
    return completed.stdout


def extract_pdf(path: Path) -> Extracted:
    output = _run(["pdftotext", "-enc", "UTF-8", "-layout", str(path), "-"])
    # pdftotext ends every page with a form feed.
    pages = output.decode("utf-8", "replace").split("\f")
    if pages and not pages[-1].strip():
        pages.pop()
    texts, ocr_pages = [], 0
    for number, text in enumerate(pages, start=1):
        if len("".join(text.split())) < MIN_TEXT_LAYER_CHARS:
            text = ocr_pdf_page(path, number)
            ocr_pages += 1
        texts.append(_tidy(text))
    return Extracted("\n\n".join(t for t in texts if t), pages=len(pages), ocr_pages=ocr_pages)


def ocr_pdf_page(path: Path, number: int) -> str:
    with tempfile.TemporaryDirectory() as workdir:
        prefix = Path(workdir) / "page"
        _run(
            [
                "pdftoppm",
                "-r",
                str(scan_resolution(path, number)),
                "-f",
                str(number),
                "-l",
                str(number),
                "-gray",
                "-png",
                "-singlefile",
                str(path),
                str(prefix),
            ]
        )
        return ocr_image(prefix.with_suffix(".png"))


def scan_resolution(path: Path, number: int) -> int:
    """The resolution of the largest image on the page, as `pdfimages -list` reports it."""
    listing = _run(["pdfimages", "-list", "-f", str(number), "-l", str(number), str(path)])
    best = None
    for line in listing.decode("utf-8", "replace").splitlines()[2:]:
        columns = line.split()
        if len(columns) >= 14 and columns[12].isdigit():
            pixels = int(columns[3]) * int(columns[4])
            if best is None or pixels > best[0]:
                best = (pixels, int(columns[12]))
    if best is None:
        return OCR_DPI_DEFAULT
    low, high = OCR_DPI_RANGE
    return min(max(best[1], low), high)


def ocr_image(path: Path) -> str:
    output = _run(["tesseract", str(path), "stdout", "-l", OCR_LANGUAGES, "--psm", "3"])
    return _join_cjk(output.decode("utf-8", "replace"))


def extract_image(path: Path) -> Extracted:
    return Extracted(_tidy(ocr_image(path)), pages=1, ocr_pages=1)


def extract_docx(path: Path) -> Extracted:
    return Extracted(_tidy("\n".join(docx_lines(path, with_tables=True))))


def docx_lines(source, *, with_tables: bool = False) -> list[str]:
    """The paragraphs of a DOCX file (and its tables' rows, tab-separated), checked for bombs
    first. `source` is a path or a binary file object."""
    import docx
    from docx.opc.exceptions import PackageNotFoundError

    try:
        check_archive(source)
        document = docx.Document(source if hasattr(source, "read") else str(source))
    except UploadRefused as refusal:
        raise ExtractionError(refusal.messages[0]) from refusal
    except (PackageNotFoundError, KeyError, ValueError, SyntaxError, zipfile.BadZipFile) as error:
        raise ExtractionError(
            _("The Word file cannot be read: %(error)s") % {"error": error}
        ) from error
    lines = [paragraph.text for paragraph in document.paragraphs]
    if with_tables:
        for table in document.tables:
            for row in table.rows:
                lines.append("\t".join(cell.text for cell in row.cells))
    return lines


def extract_xlsx(path: Path) -> Extracted:
    lines, sheets, length, limit = [], [], 0, max_text_chars()
    try:
        for title, _number, row in xlsx_rows(path, max_columns=MAX_SHEET_COLUMNS):
            if title not in sheets:
                sheets.append(title)
                lines.append(title)
            line = "\t".join(str(value) for value in row if value is not None)
            lines.append(line)
            length += len(line) + 1
            if length > limit:
                break
    except UploadRefused as refusal:
        raise ExtractionError(
            _("The Excel file cannot be read: %(error)s") % {"error": refusal.messages[0]}
        ) from refusal
    return Extracted(_tidy("\n".join(lines)), pages=max(len(sheets), 1))


def extract_txt(path: Path) -> Extracted:
    text = decode_text(path.read_bytes())
    if text is None:
        raise ExtractionError(_("The text is neither UTF-8 nor GB18030."))
    return Extracted(_tidy(text))


def _tidy(text: str) -> str:
    lines = (line.strip() for line in text.replace("\r\n", "\n").split("\n"))
    return "\n".join(line for line in lines if line)


def _join_cjk(text: str) -> str:
    """Tesseract puts spaces between Chinese characters; words are not separated by spaces in
    Chinese, so they go, while spaces between Latin words stay."""
    result = []
    for index, char in enumerate(text):
        if char == " " and 0 < index < len(text) - 1:
            before, after = text[index - 1], text[index + 1]
            if _is_cjk(before) or _is_cjk(after):
                continue
        result.append(char)
    return "".join(result)


def _is_cjk(char: str) -> bool:
    return "\u3000" <= char <= "\u9fff" or "\uff00" <= char <= "\uffef"

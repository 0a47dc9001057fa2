"""The preservation copy of an item: its main PDF with the archive stamp (归档章) on the first
page, converted to PDF/A-2b by Ghostscript.

The stamp is DA/T 22-2015's: two rows of three cells, 15 × 8 mm each, framed in red; 全宗号, 年度
and 件号 above, 机构(问题), 保管期限 and 页数 below. It goes to the top right of the first page,
at the first place (from the top, then leftwards) where it covers no text, line or image of the
page; a page with no such place refuses the filing rather than hide content.
"""

import glob
import io
import shutil
import subprocess
import tempfile
from dataclasses import dataclass
from pathlib import Path

from django.template.loader import render_to_string
from django.utils.translation import gettext as _

from workflow.redhead.services import font_stacks, render_html_pdf

from .errors import ArchiveError

MM = 72 / 25.4
STAMP_WIDTH = 45 * MM
STAMP_HEIGHT = 16 * MM
# Distance kept from the page's edges and, around the stamp, from anything printed.
EDGE = 8 * MM
CLEARANCE = 1.5 * MM
STEP = 2 * MM
GHOSTSCRIPT_SECONDS = 120


@dataclass(frozen=True)
class StampCells:
    fonds_code: str
    year: int
    item_number: int
    class_code: str
    retention: str
    pages: int


@dataclass(frozen=True)
class Box:
    """A rectangle in PDF points, measured from the page's top-left corner."""

    x0: float
    top: float
    x1: float
    bottom: float

    def overlaps(self, other: "Box") -> bool:
        return not (
            self.x1 <= other.x0
            or other.x1 <= self.x0
            or self.bottom <= other.top
            or other.bottom <= self.top
        )


def stamp_pdf(cells: StampCells) -> bytes:
    """The stamp alone, as a one-page PDF exactly its size."""
    html = render_to_string("archive/stamp.html", {"cells": cells, "fonts": font_stacks()})
    return render_html_pdf(html)


def printed_boxes(pdf: bytes) -> tuple[tuple[float, float], list[Box]]:
    """The first page's size and the boxes of everything printed on it (characters, lines,
    rectangles, curves and images)."""
    import pdfplumber

    with pdfplumber.open(io.BytesIO(pdf)) as document:
        page = document.pages[0]
        size = (float(page.width), float(page.height))
        boxes = [
            Box(obj["x0"], obj["top"], obj["x1"], obj["bottom"])
            for kind in ("chars", "lines", "rects", "curves", "images")
            for obj in getattr(page, kind)
        ]
        # A page-sized fill (the background a renderer paints) covers nothing readable.
        half_page = size[0] * size[1] / 2
        return size, [b for b in boxes if (b.x1 - b.x0) * (b.bottom - b.top) < half_page]


def free_spot(size: tuple[float, float], printed: list[Box]) -> Box | None:
    """The stamp's place: the highest, then rightmost, position that keeps clear of `printed`."""
    width, height = size
    top = EDGE
    while top + STAMP_HEIGHT <= height - EDGE:
        x0 = width - EDGE - STAMP_WIDTH
        while x0 >= EDGE:
            spot = Box(x0, top, x0 + STAMP_WIDTH, top + STAMP_HEIGHT)
            padded = Box(
                spot.x0 - CLEARANCE,
                spot.top - CLEARANCE,
                spot.x1 + CLEARANCE,
                spot.bottom + CLEARANCE,
            )
            if not any(padded.overlaps(box) for box in printed):
                return spot
            x0 -= STEP
        top += STEP
    return None


def stamped(pdf: bytes, cells: StampCells) -> tuple[bytes, Box]:
    """`pdf` with the stamp on its first page, and where it was put."""
    from pypdf import PdfReader, PdfWriter, Transformation

    size, printed = printed_boxes(pdf)
    spot = free_spot(size, printed)
    if spot is None:
        raise ArchiveError(
            _("The first page has no free space for the archive stamp; nothing was filed.")
        )
    writer = PdfWriter(clone_from=PdfReader(io.BytesIO(pdf)))
    page = writer.pages[0]
    left, bottom = float(page.mediabox.left), float(page.mediabox.bottom)
    stamp_page = PdfReader(io.BytesIO(stamp_pdf(cells))).pages[0]
    page.merge_transformed_page(
        stamp_page,
        Transformation().translate(left + spot.x0, bottom + size[1] - spot.bottom),
    )
    out = io.BytesIO()
    writer.write(out)
    return out.getvalue(), spot


def page_count(pdf: bytes) -> int:
    from pypdf import PdfReader

    return len(PdfReader(io.BytesIO(pdf)).pages)


def _srgb_profile() -> str:
    found = sorted(glob.glob("/usr/share/ghostscript/*/iccprofiles/default_rgb.icc"))
    if not found or shutil.which("gs") is None:
        raise ArchiveError(
            _("Ghostscript is not installed: the PDF/A copy cannot be made; nothing was filed.")
        )
    return found[-1]


def _pdf_text_string(text: str) -> str:
    """`text` as a PostScript hex string in UTF-16 with its byte-order mark."""
    return "<FEFF" + text.encode("utf-16-be").hex().upper() + ">"


def to_pdfa(pdf: bytes, title: str) -> bytes:
    """`pdf` as PDF/A-2b: fonts embedded, colours in sRGB with its output intent."""
    profile = _srgb_profile()
    definition = (
        Path(__file__)
        .with_name("pdfa_def.ps")
        .read_text()
        .replace("(srgb.icc)", f"({profile})")
        .replace("(Title)", _pdf_text_string(title))
    )
    with tempfile.TemporaryDirectory(prefix="archive-pdfa-") as folder:
        source, target, setup = (Path(folder) / name for name in ("in.pdf", "out.pdf", "a.ps"))
        source.write_bytes(pdf)
        setup.write_text(definition)
        command = [
            "gs",
            "-q",
            "-dPDFA=2",
            "-dBATCH",
            "-dNOPAUSE",
            "-dSAFER",
            f"--permit-file-read={profile}",
            "-sDEVICE=pdfwrite",
            "-sColorConversionStrategy=RGB",
            "-dPDFACompatibilityPolicy=1",
            f"-sOutputFile={target}",
            str(setup),
            str(source),
        ]
        result = subprocess.run(
            command, capture_output=True, timeout=GHOSTSCRIPT_SECONDS, check=False
        )
        if result.returncode != 0 or not target.exists():
            raise ArchiveError(_("The PDF could not be converted to PDF/A; nothing was filed."))
        return target.read_bytes()

"""Real files generated locally, for the demo, the tests and the benchmark: text PDFs (WeasyPrint),
Word and Excel files, and scans (Chinese text drawn onto an image with Pillow, saved as a PNG or as
a PDF without a text layer) so that OCR has something to read."""

import io
import logging
from html import escape
from pathlib import Path

# WeasyPrint reports every rendering step at INFO.
logging.getLogger("weasyprint.progress").setLevel(logging.WARNING)

CJK_FONT_CANDIDATES = (
    "/usr/share/fonts/opentype/noto/NotoSansCJK-Regular.ttc",
    "/usr/share/fonts/opentype/noto/NotoSerifCJK-Regular.ttc",
    "/usr/share/fonts/truetype/wqy/wqy-microhei.ttc",
)
SCAN_WIDTH, SCAN_HEIGHT = 1654, 2339  # A4 at 200 dpi
SCAN_DPI = 200


def cjk_font_path() -> str:
    for candidate in CJK_FONT_CANDIDATES:
        if Path(candidate).exists():
            return candidate
    raise FileNotFoundError("No CJK font found: install fonts-noto-cjk.")


def text_pdf(title: str, pages: list[list[str]]) -> bytes:
    """A PDF with a text layer; each inner list is one page of paragraphs."""
    from weasyprint import HTML

    sections = []
    for number, paragraphs in enumerate(pages):
        heading = f"<h1>{escape(title)}</h1>" if number == 0 else ""
        body = "".join(f"<p>{escape(paragraph)}</p>" for paragraph in paragraphs)
        sections.append(f'<section class="page">{heading}{body}</section>')
    html = (
        "<html><head><meta charset='utf-8'><style>"
        "@page { size: A4; margin: 25mm 20mm; }"
        "body { font-family: 'Noto Sans CJK SC', sans-serif; font-size: 12pt; line-height: 1.7; }"
        "h1 { font-size: 18pt; text-align: center; }"
        ".page + .page { break-before: page; }"
        "</style></head><body>" + "".join(sections) + "</body></html>"
    )
    return HTML(string=html).write_pdf()


def docx_file(title: str, paragraphs: list[str], table: list[list[str]] | None = None) -> bytes:
    import docx

    document = docx.Document()
    document.add_heading(title, level=1)
    for paragraph in paragraphs:
        document.add_paragraph(paragraph)
    if table:
        grid = document.add_table(rows=len(table), cols=len(table[0]))
        for row, values in zip(grid.rows, table, strict=True):
            for cell, value in zip(row.cells, values, strict=True):
                cell.text = value
    buffer = io.BytesIO()
    document.save(buffer)
    return buffer.getvalue()


def xlsx_file(sheets: dict[str, list[list]]) -> bytes:
    from openpyxl import Workbook

    workbook = Workbook()
    workbook.remove(workbook.active)
    for name, rows in sheets.items():
        sheet = workbook.create_sheet(name)
        for row in rows:
            sheet.append(row)
    buffer = io.BytesIO()
    workbook.save(buffer)
    return buffer.getvalue()


def scan_image(lines: list[str], *, font_size: int = 44):
    """A white A4 page (200 dpi) with the lines printed in black, like a clean scan."""
    from PIL import Image, ImageDraw, ImageFont

    image = Image.new("L", (SCAN_WIDTH, SCAN_HEIGHT), color=255)
    draw = ImageDraw.Draw(image)
    font = ImageFont.truetype(cjk_font_path(), font_size, index=2)  # the SC face of the collection
    y = 160
    for line in lines:
        draw.text((140, y), line, fill=0, font=font)
        y += int(font_size * 1.9)
    return image


def scanned_pdf(pages: list[list[str]]) -> bytes:
    """A PDF of page images only: no text layer, as a scanner produces."""
    images = [scan_image(lines) for lines in pages]
    buffer = io.BytesIO()
    images[0].save(
        buffer, format="PDF", save_all=True, append_images=images[1:], resolution=SCAN_DPI
    )
    return buffer.getvalue()


def scan_png(lines: list[str]) -> bytes:
    buffer = io.BytesIO()
    scan_image(lines).save(buffer, format="PNG")
    return buffer.getvalue()

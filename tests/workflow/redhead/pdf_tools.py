"""Sample documents and reading rendered PDFs back with poppler (pdftotext, pdfinfo, pdftoppm)."""

import subprocess
from pathlib import Path

from workflow.redhead.services import RedheadContent, body_html_from_text

SAMPLE_PARAGRAPH = (
    "为深入贯彻集团安全生产工作部署，切实消除各类安全隐患，经研究，决定在全集团范围内"
    "开展安全生产大检查，请各单位认真组织，按时完成自查和整改工作。"
)


def notice(paragraphs: int = 3, **changes) -> RedheadContent:
    """A downward notice of the group with every element filled in."""
    fields = {
        "issuer_mark": "东方重工集团文件",
        "doc_number": "东重办〔2026〕15号",
        "title": "关于开展安全生产大检查的通知",
        "main_recipients": ["集团总部各部门", "各二级单位", "各控股公司"],
        "body_html": "<p>一、检查范围</p>"
        + body_html_from_text("\n".join([SAMPLE_PARAGRAPH] * paragraphs)),
        "attachments": ["安全生产大检查自查表", "隐患整改台账"],
        "signature_unit": "东方重工集团有限公司",
        "date_text": "2026年11月25日",
        "remarks": "联系人：王明，电话：12345678",
        "copy_recipients": ["集团领导", "集团纪委", "集团工会"],
        "printing_unit": "东方重工集团办公室",
        "print_date_text": "2026年11月26日",
        "copies": 30,
    }
    return RedheadContent(**{**fields, **changes})


def pdf_text(pdf: bytes, tmp_path: Path) -> str:
    path = tmp_path / "document.pdf"
    path.write_bytes(pdf)
    return subprocess.run(
        ["pdftotext", "-enc", "UTF-8", str(path), "-"],
        check=True,
        capture_output=True,
        text=True,
    ).stdout


def pdf_pages_text(pdf: bytes, tmp_path: Path) -> list[str]:
    """The text of each page (pdftotext separates pages with a form feed)."""
    return pdf_text(pdf, tmp_path).split("\f")[:-1]


def pdf_info(pdf: bytes, tmp_path: Path) -> str:
    path = tmp_path / "info.pdf"
    path.write_bytes(pdf)
    return subprocess.run(
        ["pdfinfo", "-box", "-f", "1", "-l", "999", str(path)],
        check=True,
        capture_output=True,
        text=True,
    ).stdout


def page_png(pdf: bytes, directory: Path, page: int = 1, dpi: int = 50) -> Path:
    """Page `page` of the PDF as a PNG (what a reader sees), via pdftoppm."""
    source = directory / "page.pdf"
    source.write_bytes(pdf)
    stem = directory / f"page-{page}"
    pages = ["-f", str(page), "-l", str(page), "-singlefile"]
    subprocess.run(["pdftoppm", "-png", "-r", str(dpi), *pages, str(source), str(stem)], check=True)
    return stem.with_suffix(".png")


def red_rows(png: Path) -> list[int]:
    """The pixel rows holding clearly red pixels (the issuer mark and the red rule)."""
    from PIL import Image

    image = Image.open(png).convert("RGB")
    width, height = image.size
    pixels = image.load()
    return [
        y
        for y in range(height)
        if any(
            red > 180 and green < 90 and blue < 90
            for red, green, blue in (pixels[x, y] for x in range(width))
        )
    ]


def embedded_fonts(pdf: bytes, tmp_path: Path) -> dict[str, bool]:
    """The fonts `pdffonts` lists, without the subset prefix, each with whether it is embedded."""
    path = tmp_path / "fonts.pdf"
    path.write_bytes(pdf)
    listing = subprocess.run(
        ["pdffonts", str(path)], check=True, capture_output=True, text=True
    ).stdout
    fonts = {}
    for line in listing.splitlines()[2:]:
        columns = line.split()
        name = columns[0].split("+", 1)[-1]
        embedded = columns[-5] == "yes"
        fonts[name] = fonts.get(name, True) and embedded
    return fonts


def runs_by_font(pdf: bytes, page: int = 1) -> list[tuple[str, str]]:
    """The text of a page as (font without subset prefix, text) runs, line by line."""
    import io

    import pdfplumber

    with pdfplumber.open(io.BytesIO(pdf)) as document:
        runs: list[tuple[str, str]] = []
        for line in document.pages[page - 1].extract_text_lines(return_chars=True):
            for index, char in enumerate(line["chars"]):
                font = char["fontname"].split("+", 1)[-1]
                if index and runs[-1][0] == font:
                    runs[-1] = (font, runs[-1][1] + char["text"])
                else:
                    runs.append((font, char["text"]))
    return runs

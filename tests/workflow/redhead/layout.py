"""Where the elements of a rendered document sit, in millimetres from the page's top left edge,
read back with pdfplumber: the golden layouts of test_layout.py are written in these terms."""

import io

import pdfplumber

POINT_MM = 25.4 / 72


def measured(pdf: bytes, texts: dict[str, str]) -> dict[str, float]:
    """For each name in `texts`, the top of the first occurrence (on any page; the last one
    for names starting with "last_") of the given text, as "name" (mm), its left and right
    edges as "name.left" and "name.right" and its page as "name.page". Also "red_rules": the
    tops of the long red rules of page one, "page_number": the top and left of page one's
    number (if any), and "pages"."""
    result: dict[str, float] = {}
    with pdfplumber.open(io.BytesIO(pdf)) as document:
        result["pages"] = len(document.pages)
        for name, text in texts.items():
            matches = (
                (number, match)
                for number, page in enumerate(document.pages)
                for match in page.search(text, regex=False)
            )
            # "last_…" names measure the last occurrence (the last body line).
            found = (
                next(iter(reversed(list(matches))), None)
                if name.startswith("last_")
                else next(matches, None)
            )
            assert found is not None, f"{name}: {text!r} is not printed"
            number, match = found
            result[name] = _mm(match["top"])
            result[f"{name}.left"] = _mm(match["x0"])
            result[f"{name}.right"] = _mm(match["x1"])
            result[f"{name}.page"] = number + 1
        first = document.pages[0]
        lines = first.extract_text_lines()
        red = [
            shape
            for shape in first.rects + first.lines
            if _is_red(shape.get("non_stroking_color")) or _is_red(shape.get("stroking_color"))
        ]
        result["red_rules"] = sorted({_mm(shape["top"]) for shape in red if shape["width"] > 300})
        numbers = [line for line in lines if line["text"].startswith("—")]
        if numbers:
            result["page_number"] = _mm(numbers[0]["top"])
            result["page_number.left"] = _mm(numbers[0]["x0"])
    return result


def _mm(points: float) -> float:
    return round(points * POINT_MM, 1)


def _is_red(colour) -> bool:
    return bool(colour) and len(colour) == 3 and colour[0] > 0.8 and max(colour[1:]) < 0.2

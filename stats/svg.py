"""Small horizontal bar charts as SVG, for the bulletin PDF (WeasyPrint draws inline SVG)."""

from django.utils.html import escape
from django.utils.safestring import SafeString, mark_safe

ROW_HEIGHT = 26
LABEL_WIDTH = 150
BAR_WIDTH = 300
VALUE_WIDTH = 60


def bar_chart(
    items: list[tuple[str, float | None]], *, maximum: float = 100, suffix=""
) -> SafeString:
    """One bar per (label, value); a missing value draws no bar and shows a dash."""
    width = LABEL_WIDTH + BAR_WIDTH + VALUE_WIDTH
    height = ROW_HEIGHT * max(len(items), 1) + 4
    parts = [
        f'<svg xmlns="http://www.w3.org/2000/svg" width="{width}" height="{height}" '
        f'viewBox="0 0 {width} {height}" font-size="12">'
    ]
    for index, (label, value) in enumerate(items):
        y = index * ROW_HEIGHT + 2
        middle = y + ROW_HEIGHT / 2 + 4
        parts.append(
            f'<text x="{LABEL_WIDTH - 8}" y="{middle}" text-anchor="end">{escape(label)}</text>'
        )
        if value is None:
            parts.append(f'<text x="{LABEL_WIDTH + 4}" y="{middle}">—</text>')
            continue
        length = 0 if maximum <= 0 else max(0.0, min(1.0, value / maximum)) * BAR_WIDTH
        parts.append(
            f'<rect x="{LABEL_WIDTH}" y="{y + 4}" width="{length:.1f}" '
            f'height="{ROW_HEIGHT - 8}" fill="#c0392b"/>'
        )
        value_x = LABEL_WIDTH + length + 4
        parts.append(f'<text x="{value_x:.1f}" y="{middle}">{value:.1f}{escape(suffix)}</text>')
    parts.append("</svg>")
    return mark_safe("".join(parts))  # every text is escaped above

"""Safe highlighting: the text is escaped first, then the query's words are wrapped in <mark>."""

import re

from django.utils.html import escape
from django.utils.safestring import SafeString, mark_safe

SNIPPET_CHARS = 160


def _pattern(terms: list[str]) -> re.Pattern | None:
    terms = [t for t in terms if t]
    if not terms:
        return None
    return re.compile("|".join(re.escape(t) for t in sorted(terms, key=len, reverse=True)), re.I)


def mark(text: str, terms: list[str]) -> SafeString:
    pattern = _pattern(terms)
    if pattern is None:
        return escape(text)
    parts, position = [], 0
    for match in pattern.finditer(text):
        parts.append(escape(text[position : match.start()]))
        parts.append(f"<mark>{escape(match.group(0))}</mark>")
        position = match.end()
    parts.append(escape(text[position:]))
    return mark_safe("".join(parts))


def snippet(text: str, terms: list[str], length: int = SNIPPET_CHARS) -> SafeString:
    """A window of the text around the first match, marked; the start of the text if none."""
    text = " ".join((text or "").split())
    pattern = _pattern(terms)
    found = pattern.search(text) if pattern else None
    start = max(0, found.start() - length // 4) if found else 0
    window = text[start : start + length]
    prefix = "…" if start > 0 else ""
    suffix = "…" if start + length < len(text) else ""
    return mark_safe(prefix + mark(window, terms) + suffix)


# Elasticsearch marks highlighted words with these private-use characters, so that a fragment can
# be escaped as plain text and the markers turned into <mark> afterwards; indexed text never holds
# them.
MARK_START = "\ue000"
MARK_END = "\ue001"


def strip_markers(value: str) -> str:
    return value.replace(MARK_START, "").replace(MARK_END, "")


def from_marked_fragments(fragments: list[str]) -> SafeString:
    """Elasticsearch fragments with marker characters, escaped and marked here."""
    parts = []
    for fragment in fragments:
        escaped = str(escape(strip_markers_outside(fragment)))
        parts.append(escaped.replace(MARK_START, "<mark>").replace(MARK_END, "</mark>"))
    return mark_safe(" … ".join(parts))


def strip_markers_outside(fragment: str) -> str:
    """Drop unbalanced markers so every <mark> is closed."""
    balanced, open_mark = [], False
    for char in fragment:
        if char == MARK_START:
            if open_mark:
                continue
            open_mark = True
        elif char == MARK_END:
            if not open_mark:
                continue
            open_mark = False
        balanced.append(char)
    if open_mark:
        balanced.append(MARK_END)
    return "".join(balanced)

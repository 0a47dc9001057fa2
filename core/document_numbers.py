"""Document numbers (发文字号, 收文编号, 来文字号) compared however they were typed.

People type 东重〔2026〕7号 as 东重[2026]7号, 东重(2026)7号, 东重（2026）7号, 东重2026-7 or
东重 2026 7; an incoming register in the year-serial format prints 2026-0037. All of them
reduce to one key, the printed form with hexagonal brackets and no leading zeros (东重〔2026〕7号),
which the search indexes beside the number as typed and looks up for the query. A bare serial
(7号, 第7号) names a number only within a unit, so it is keyed with the unit: `serial_key`.
"""

import re
import unicodedata

OPENING = r"\[\(〔【〖《<{"
CLOSING = r"\]\)〕】〗》>}"
SEPARATOR = r"\s\-—–/._·"

FULL_NUMBER = re.compile(
    rf"^(?P<prefix>[^\d{OPENING}{CLOSING}{SEPARATOR}]*?)[{SEPARATOR}]*"
    rf"(?:[{OPENING}][{SEPARATOR}]*(?P<bracketed>\d{{4}})[{SEPARATOR}]*[{CLOSING}]"
    rf"|(?P<year>\d{{4}})(?:年|[{SEPARATOR}]+))"
    rf"[{SEPARATOR}]*第?(?P<serial>\d{{1,7}})[{SEPARATOR}]*号?$"
)
BARE_SERIAL = re.compile(r"^第?\s*(?P<serial>\d{1,7})\s*号$")


def _clean(value: str) -> str:
    """Full-width forms made half-width (（ → (, ［ → [, ２ → 2), surrounding space dropped."""
    return unicodedata.normalize("NFKC", value or "").strip().lower()


def number_key(value: str) -> str:
    """The one form of a full document number (prefix, year and serial), or "" for anything
    that is not one."""
    match = FULL_NUMBER.match(_clean(value))
    if not match:
        return ""
    year = match["bracketed"] or match["year"]
    return f"{match['prefix']}〔{year}〕{int(match['serial'])}号"


def serial_of(value: str) -> int | None:
    """The serial of a full number or of a bare one (7号, 第7号); None for anything else."""
    cleaned = _clean(value)
    match = FULL_NUMBER.match(cleaned) or BARE_SERIAL.match(cleaned)
    return int(match["serial"]) if match else None


def is_bare_serial(value: str) -> bool:
    """True for 7号 or 第7号: a number that means something only within the searcher's unit."""
    return bool(BARE_SERIAL.match(_clean(value)))


def serial_key(unit_code: str, serial: int) -> str:
    return f"{unit_code}#{serial}号"

"""Periods of days in Beijing time: a day, a month, a year or a custom range (inclusive)."""

import calendar
from dataclasses import dataclass
from datetime import date, datetime, time, timedelta
from zoneinfo import ZoneInfo

from django.utils import timezone
from django.utils.translation import gettext as _

BEIJING = ZoneInfo("Asia/Shanghai")
EARLIEST_YEAR = 2000
LONGEST_CUSTOM_DAYS = 3 * 366


class PeriodError(ValueError):
    """A period the user asked for that cannot be read; the message is translated."""


def beijing_today() -> date:
    return timezone.now().astimezone(BEIJING).date()


def day_bounds(day: date) -> tuple[datetime, datetime]:
    """The instants a Beijing day starts and ends (the end excluded)."""
    start = datetime.combine(day, time.min, tzinfo=BEIJING)
    return start, start + timedelta(days=1)


def beijing_day(moment: datetime) -> date:
    return moment.astimezone(BEIJING).date()


@dataclass(frozen=True)
class Period:
    kind: str
    start: date
    end: date

    KINDS = ("day", "month", "year", "custom")

    @property
    def bounds(self) -> tuple[datetime, datetime]:
        return day_bounds(self.start)[0], day_bounds(self.end)[1]

    @property
    def label(self) -> str:
        if self.kind == "day":
            return self.start.isoformat()
        if self.kind == "month":
            return f"{self.start:%Y-%m}"
        if self.kind == "year":
            return f"{self.start:%Y}"
        return f"{self.start.isoformat()} – {self.end.isoformat()}"

    @property
    def query(self) -> dict[str, str]:
        """The GET parameters that name this period."""
        if self.kind == "day":
            return {"period": "day", "date": self.start.isoformat()}
        if self.kind == "month":
            return {"period": "month", "month": f"{self.start:%Y-%m}"}
        if self.kind == "year":
            return {"period": "year", "year": f"{self.start:%Y}"}
        return {"period": "custom", "from": self.start.isoformat(), "to": self.end.isoformat()}

    def days(self) -> list[date]:
        return [self.start + timedelta(days=n) for n in range((self.end - self.start).days + 1)]


def month_period(year: int, month: int) -> Period:
    last = calendar.monthrange(year, month)[1]
    return Period("month", date(year, month, 1), date(year, month, last))


def current_month() -> Period:
    today = beijing_today()
    return month_period(today.year, today.month)


def previous_month(today: date | None = None) -> Period:
    first = (today or beijing_today()).replace(day=1)
    last_month = first - timedelta(days=1)
    return month_period(last_month.year, last_month.month)


def _date(text: str) -> date:
    try:
        value = date.fromisoformat(text.strip())
    except (ValueError, AttributeError):
        raise PeriodError(_("Enter dates as YYYY-MM-DD.")) from None
    if value.year < EARLIEST_YEAR or value > beijing_today() + timedelta(days=366):
        raise PeriodError(_("The date is out of range."))
    return value


def period_from_params(params) -> Period:
    """The period a screen's GET parameters name; the current month when none is named."""
    kind = params.get("period") or "month"
    if kind not in Period.KINDS:
        raise PeriodError(_("Choose a day, a month, a year or a custom period."))
    if kind == "day":
        day = _date(params.get("date", ""))
        return Period("day", day, day)
    if kind == "month":
        text = params.get("month") or f"{beijing_today():%Y-%m}"
        first = _date(f"{text}-01")
        return month_period(first.year, first.month)
    if kind == "year":
        text = (params.get("year") or f"{beijing_today():%Y}").strip()
        first = _date(f"{text}-01-01") if text.isdigit() and len(text) == 4 else _date("")
        return Period("year", first, date(first.year, 12, 31))
    start, end = _date(params.get("from", "")), _date(params.get("to", ""))
    if end < start:
        raise PeriodError(_("The period ends before it starts."))
    if (end - start).days >= LONGEST_CUSTOM_DAYS:
        raise PeriodError(_("A custom period may span three years at most."))
    return Period("custom", start, end)

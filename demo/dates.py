"""Demo texts that fit the day the demo is loaded.

A text in the data files is either a string or one string per season (`spring`, `summer`,
`autumn`, `winter`, by the load day's month). Strings name dates relative to the load day and the
periods around it:

- `{date+12}` / `{date-3}`: that day as 12月8日; `{fulldate-20}`: as 2026年11月9日;
- `{year}`, `{last_year}`, `{next_year}`; `{month}` (this month's number);
- `{season}` (春季…); `{quarter}` (this quarter, 第四季度); `{next_quarter}` with
  `{next_quarter_year}`; `{closing_year}`: the year whose annual summaries are being written
  (this year from October, the last one before).
"""

import re
from dataclasses import dataclass
from datetime import date, timedelta

SEASONS = {
    12: "winter", 1: "winter", 2: "winter",
    3: "spring", 4: "spring", 5: "spring",
    6: "summer", 7: "summer", 8: "summer",
    9: "autumn", 10: "autumn", 11: "autumn",
}  # fmt: skip
SEASON_NAMES = {"spring": "春季", "summer": "夏季", "autumn": "秋季", "winter": "冬季"}
QUARTERS = ["第一季度", "第二季度", "第三季度", "第四季度"]
RELATIVE_DATE = re.compile(r"\{(date|fulldate)([+-]\d+)\}")


@dataclass(frozen=True)
class DemoCalendar:
    today: date

    @property
    def season(self) -> str:
        return SEASONS[self.today.month]

    def day(self, offset_days: int) -> date:
        return self.today + timedelta(days=offset_days)

    def values(self) -> dict[str, object]:
        year, month = self.today.year, self.today.month
        quarter = (month - 1) // 3
        return {
            "year": year,
            "last_year": year - 1,
            "next_year": year + 1,
            "month": month,
            "season": SEASON_NAMES[self.season],
            "quarter": QUARTERS[quarter],
            "next_quarter": QUARTERS[(quarter + 1) % 4],
            "next_quarter_year": year + 1 if quarter == 3 else year,
            "closing_year": year if month >= 10 else year - 1,
        }

    def text(self, value: str | dict[str, str]) -> str:
        if isinstance(value, dict):
            value = value[self.season]
        value = RELATIVE_DATE.sub(self._relative_date, value)
        return value.format_map(self.values())

    def texts(self, values: list) -> list[str]:
        return [self.text(value) for value in values]

    def _relative_date(self, match: re.Match) -> str:
        day = self.day(int(match.group(2)))
        if match.group(1) == "fulldate":
            return f"{day.year}年{day.month}月{day.day}日"
        return f"{day.month}月{day.day}日"

"""Demo texts fit the day the demo is loaded: its dates, its season, its quarter and year."""

from datetime import date

import pytest

from demo.dates import DemoCalendar
from demo.loader import demo_data

SEASONAL = {"spring": "春", "summer": "夏", "autumn": "秋", "winter": "冬"}


@pytest.mark.parametrize(
    ("today", "season"),
    [
        (date(2026, 4, 2), "spring"),
        (date(2026, 7, 15), "summer"),
        (date(2026, 11, 29), "autumn"),
        (date(2027, 1, 10), "winter"),
        (date(2026, 12, 1), "winter"),
    ],
)
def test_the_season_follows_the_load_day(today, season):
    assert DemoCalendar(today).season == season


def test_dates_are_counted_from_the_load_day():
    calendar = DemoCalendar(date(2026, 11, 29))
    assert calendar.text("于{date+12}前报送") == "于12月11日前报送"
    assert calendar.text("{date-3}，会议召开") == "11月26日，会议召开"
    assert calendar.text("点检日期：{fulldate-20}") == "点检日期：2026年11月9日"


def test_years_and_quarters_are_those_around_the_load_day():
    november = DemoCalendar(date(2026, 11, 29))
    assert november.text("{year} {last_year} {next_year} {closing_year}") == "2026 2025 2027 2026"
    assert november.text("{quarter}，{next_quarter_year}年{next_quarter}") == (
        "第四季度，2027年第一季度"
    )
    april = DemoCalendar(date(2026, 4, 2))
    assert april.text("{closing_year}年度总结，{season}") == "2025年度总结，春季"


def test_a_seasonal_text_takes_the_load_day_s_variant():
    holidays = {
        "spring": "清明节",
        "summer": "中秋节",
        "autumn": "元旦",
        "winter": "春节",
    }
    assert DemoCalendar(date(2026, 11, 29)).text(holidays) == "元旦"
    assert DemoCalendar(date(2026, 4, 2)).text(holidays) == "清明节"


def _texts(value):
    if isinstance(value, str):
        yield value, None
    elif isinstance(value, dict):
        if set(value) == set(SEASONAL):
            for season, text in value.items():
                yield text, season
        else:
            for item in value.values():
                yield from _texts(item)
    elif isinstance(value, list):
        for item in value:
            yield from _texts(item)


@pytest.mark.parametrize("name", ["organization", "publishing", "knowledge", "documents"])
@pytest.mark.parametrize("today", [date(2026, 4, 2), date(2026, 7, 15), date(2026, 11, 29)])
def test_every_data_text_resolves_on_any_day(name, today):
    calendar = DemoCalendar(today)
    for text, _season in _texts(demo_data(name)):
        resolved = calendar.text(text)
        assert "{" not in resolved and "}" not in resolved, text


def test_no_fixed_text_names_a_season_month_or_year_of_its_own():
    """Only the seasonal variants may speak of a season; everything else is relative."""
    for name in ["publishing", "knowledge", "documents"]:
        for text, season in _texts(demo_data(name)):
            if season is not None:
                continue
            assert "清明" not in text and "春耕" not in text and "季度" not in text, text
            assert "2025" not in text and "2026" not in text and "2027" not in text, text


def test_a_seasonal_variant_speaks_of_its_own_season_only():
    others = {
        "spring": ("三夏", "秋收", "元旦", "春节", "冬季"),
        "summer": ("春耕", "清明", "秋收", "元旦", "冬季"),
        "autumn": ("清明", "三夏", "春节"),
        "winter": ("清明", "三夏", "秋收"),
    }
    for name in ["publishing", "knowledge", "documents"]:
        for text, season in _texts(demo_data(name)):
            if season is not None:
                assert not any(word in text for word in others[season]), (season, text)

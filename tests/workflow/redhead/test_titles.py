"""Titles break between words in a balanced shape, at most three lines; no end punctuation."""

import itertools

import pytest

from workflow.redhead.errors import RedheadError
from workflow.redhead.titles import TITLE_LINE_CHARACTERS, title_lines


def test_a_short_title_stays_on_one_line():
    assert title_lines("关于开展安全生产大检查的通知") == ["关于开展安全生产大检查的通知"]


def test_a_long_title_breaks_between_words_in_balanced_lines():
    title = "关于进一步加强集团公司所属各单位安全生产标准化建设和隐患排查治理工作的通知"

    lines = title_lines(title)

    assert "".join(lines) == title
    assert len(lines) == 2
    assert all(len(line) <= TITLE_LINE_CHARACTERS for line in lines)
    assert abs(len(lines[0]) - len(lines[1])) <= 4
    # Never inside a word: no line ends in the middle of 安全生产, 标准化, 隐患, 排查 or 治理.
    joins = {line[-1] + following[0] for line, following in itertools.pairwise(lines)}
    assert not joins & {"安全", "全生", "生产", "标准", "准化", "隐患", "排查", "治理"}


def test_three_lines_never_form_an_hourglass():
    title = (
        "关于印发东方重工集团有限公司二〇二六年度安全生产工作要点和安全生产目标责任书考核办法"
        "及相关配套制度的通知"
    )

    lines = title_lines(title)

    assert len(lines) == 3
    assert not (len(lines[1]) < len(lines[0]) and len(lines[1]) < len(lines[2]))
    assert any("二〇二六年度" in line for line in lines), "a year is never broken"


def test_the_drafters_own_line_breaks_are_kept():
    assert title_lines("关于开展安全生产\n大检查的通知") == ["关于开展安全生产", "大检查的通知"]


@pytest.mark.parametrize("title", ["关于检查的通知。", "关于检查的通知，", "关于检查？"])
def test_a_title_ending_in_punctuation_is_refused(title):
    with pytest.raises(RedheadError, match="标题末尾不能使用标点符号"):
        title_lines(title)


@pytest.mark.parametrize("title", ["关于印发《安全生产管理办法》", "关于调整成员的通知（修订）"])
def test_closing_book_title_marks_and_brackets_are_allowed(title):
    assert "".join(title_lines(title)) == title


def test_a_title_too_long_for_three_lines_is_refused():
    with pytest.raises(RedheadError, match="超出三行"):
        title_lines("关于" + "安全生产" * 16 + "的通知")


def test_typed_lines_too_long_are_refused():
    with pytest.raises(RedheadError, match="超出三行"):
        title_lines("关于" + "安全生产" * 6 + "\n的通知")

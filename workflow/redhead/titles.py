"""The title (标题) of a printed document: refused when it ends in punctuation, and broken into
at most three lines between words, in a balanced shape (GB/T 9704 7.3.1)."""

import itertools
import math

from django.utils.translation import gettext as _

from .errors import RedheadError

# 二号 (22 pt) characters across the 156 mm type area.
TITLE_LINE_CHARACTERS = 20
TITLE_MAX_LINES = 3
# Book-title marks, brackets and quotes may close a title; other punctuation may not.
ENDING_PUNCTUATION = frozenset("。，、；：？！,.;:?!…—-·~～")
# Compounds of official titles that jieba's dictionary splits, kept whole on a line.
TITLE_TERMS = (
    "安全生产",
    "隐患排查",
    "排查治理",
    "标准化建设",
    "集团公司",
    "有限公司",
    "工作要点",
    "目标责任书",
    "考核办法",
    "配套制度",
    "专项整治",
    "党风廉政建设",
    "高质量发展",
)
NUMERALS = frozenset("0123456789〇零一二三四五六七八九十")
# Lines read best when they break next to these (a break before 的 keeps 的通知 whole).
GOOD_BREAKS_AFTER = ("关于", "、", "和", "及", "与")
GOOD_BREAKS_BEFORE = ("的", "和", "及", "与")
# Lines within this many characters of one another count as balanced; among them the break
# between phrases wins.
BALANCE_SLACK = 2


def check_title(title: str) -> None:
    """Raise RedheadError (translated) for a title that ends in punctuation or needs more than
    three lines."""
    title_lines(title)


def title_lines(title: str) -> list[str]:
    """The title's printed lines: the drafter's own line breaks when typed, else the balanced
    break between words (jieba) with the fewest lines. Lines differ as little as possible in
    length and never form an hourglass (a middle line shorter than both others)."""
    text = (title or "").strip()
    if text and text[-1] in ENDING_PUNCTUATION:
        raise RedheadError(
            _("The title must not end with a punctuation mark (%(mark)s).") % {"mark": text[-1]}
        )
    typed = [line.strip() for line in text.splitlines() if line.strip()]
    if len(typed) > 1:
        if len(typed) > TITLE_MAX_LINES or any(
            _width(line) > TITLE_LINE_CHARACTERS for line in typed
        ):
            raise _too_long()
        return typed
    text = "".join(typed)
    lines_needed = max(1, math.ceil(_width(text) / TITLE_LINE_CHARACTERS))
    if lines_needed > TITLE_MAX_LINES:
        raise _too_long()
    words = _words(text)
    for count in range(lines_needed, TITLE_MAX_LINES + 1):
        best = _balanced(words, count)
        if best is not None:
            return best
    raise _too_long()


def _balanced(words: list[str], count: int) -> list[str] | None:
    best, best_score = None, None
    for cuts in itertools.combinations(range(1, len(words)), count - 1):
        bounds = (0, *cuts, len(words))
        lines = ["".join(words[start:end]) for start, end in itertools.pairwise(bounds)]
        widths = [_width(line) for line in lines]
        if max(widths) > TITLE_LINE_CHARACTERS:
            continue
        if count == 3 and widths[1] < widths[0] and widths[1] < widths[2]:
            continue
        spread = max(widths) - min(widths)
        awkward = sum(
            not (
                lines[index].endswith(GOOD_BREAKS_AFTER)
                or lines[index + 1].startswith(GOOD_BREAKS_BEFORE)
            )
            for index in range(count - 1)
        )
        score = (max(0, spread - BALANCE_SLACK), awkward, spread)
        if best_score is None or score < best_score:
            best, best_score = lines, score
    return best


def _words(text: str) -> list[str]:
    import jieba

    for term in TITLE_TERMS:
        jieba.add_word(term)
    words: list[str] = []
    for word in jieba.lcut(text, HMM=False):
        # A number written out (二〇二六, 2026) is one word even where jieba splits it.
        if words and words[-1][-1] in NUMERALS and word[0] in NUMERALS:
            words[-1] += word
        else:
            words.append(word)
    return words


def _width(text: str) -> float:
    """Width in full-width characters: Latin letters and digits take half."""
    return sum(0.5 if ord(character) < 0x2E80 else 1 for character in text)


def _too_long() -> RedheadError:
    return RedheadError(
        _("The title is too long for three lines of %(characters)s characters; shorten it.")
        % {"characters": TITLE_LINE_CHARACTERS}
    )

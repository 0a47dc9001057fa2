"""Text analysis for the database backend and for highlighting: jieba words and CJK bigrams.

Both backends see Chinese the same way: a query word of two or more Chinese characters matches a
text that contains those characters in a row (Elasticsearch: cjk_bigram; database: the *_grams
columns), and whole jieba words weigh more.
"""

import logging
import re
import threading
import unicodedata
from functools import lru_cache
from pathlib import Path

from django.conf import settings

from core import document_numbers

CJK_CHAR = "\u3400-\u4dbf\u4e00-\u9fff\uf900-\ufaff\U00020000-\U0002a6df\U0002a700-\U0002ebef"
CJK_RUN = re.compile(f"[{CJK_CHAR}]+")
CJK_ONLY = re.compile(f"^[{CJK_CHAR}]+$")
WORD = re.compile(r"\w+")
CONTROL = re.compile(r"[\x00-\x08\x0b\x0c\x0e-\x1f\x7f]")
MAX_QUERY_CHARS = 200
MAX_QUERY_TERMS = 12
# Bodies beyond this length add little to ranking and would bloat the full-text index.
MAX_INDEXED_CHARS = 100_000

_jieba_lock = threading.Lock()


@lru_cache(maxsize=1)
def _tokenizer():
    """jieba loads its dictionary on first use (about a second); do it once, lazily, per process."""
    import jieba

    jieba.setLogLevel(logging.WARNING)
    with _jieba_lock:
        tmp_dir = Path(
            getattr(settings, "SEARCH_JIEBA_TMP_DIR", settings.BASE_DIR / "var" / "jieba")
        )
        tmp_dir.mkdir(parents=True, exist_ok=True)
        tokenizer = jieba.Tokenizer()
        tokenizer.tmp_dir = str(tmp_dir)
        tokenizer.initialize()
    return tokenizer


def normalize(text: str) -> str:
    """Full-width to half-width, lower case, no control characters, single spaces."""
    text = CONTROL.sub(" ", unicodedata.normalize("NFKC", text or ""))
    return " ".join(text.lower().split())


def normalize_exact(value: str) -> str:
    """The form in which exact identifiers are stored and compared: no spaces, case folded."""
    return "".join(normalize(value).split())[:200]


def exact_keys(values, unit: str) -> list[str]:
    """What an entry's exact identifiers are stored as: each as typed, and a document number
    also in its one form and, for "7号" searches, as its serial within the entry's unit."""
    keys = []
    for value in values:
        keys.append(normalize_exact(value))
        keys.append(normalize_exact(document_numbers.number_key(value)))
        serial = document_numbers.serial_of(value)
        if serial is not None and unit:
            keys.append(normalize_exact(document_numbers.serial_key(unit, serial)))
    return list(dict.fromkeys(filter(None, keys)))


def exact_query_keys(query: str, home_units=()) -> list[str]:
    """The stored keys a query matches exactly: as typed, as a document number in its one form,
    and a bare serial (7号) within each of the searcher's units."""
    keys = [normalize_exact(query), normalize_exact(document_numbers.number_key(query))]
    if document_numbers.is_bare_serial(query):
        serial = document_numbers.serial_of(query)
        keys += [normalize_exact(document_numbers.serial_key(u, serial)) for u in home_units]
    return list(dict.fromkeys(filter(None, keys)))


def clean_query(raw: str) -> str:
    """A user's query made harmless: bounded length, no control characters."""
    return normalize((raw or "")[: MAX_QUERY_CHARS * 4])[:MAX_QUERY_CHARS]


def words(text: str) -> list[str]:
    """jieba search-mode words (with sub-words of long words), lower case, no punctuation."""
    text = normalize(text)[:MAX_INDEXED_CHARS]
    if not text:
        return []
    # Without HMM new-word discovery: twice as fast, and unknown words still match by bigrams.
    return [word for word in _tokenizer().cut_for_search(text, HMM=False) if WORD.fullmatch(word)]


def bigrams(text: str) -> list[str]:
    """The overlapping two-character grams of each run of Chinese characters (single kept)."""
    grams = []
    for run in CJK_RUN.findall(normalize(text)[:MAX_INDEXED_CHARS]):
        grams.extend(_grams_of(run))
    return grams


def _grams_of(run: str) -> list[str]:
    if len(run) == 1:
        return [run]
    return [run[i : i + 2] for i in range(len(run) - 1)]


def query_terms(query: str) -> list[str]:
    """The words of a query as jieba cuts them, punctuation and operators dropped."""
    text = clean_query(query)
    if not text:
        return []
    terms = []
    for word in _tokenizer().cut(text, HMM=False):
        if WORD.fullmatch(word) and word not in terms:
            terms.append(word)
    return terms[:MAX_QUERY_TERMS]


def term_grams(term: str) -> list[str]:
    """The bigram phrase that stands for a Chinese query word (empty for other words)."""
    if not CJK_ONLY.match(term):
        return []
    return _grams_of(term)


def highlight_terms(query: str) -> list[str]:
    """What to mark in a snippet: the query's words, longest first."""
    return sorted(query_terms(query), key=len, reverse=True)

"""Document numbers are found however they are typed: one key per number
(`core.document_numbers`), stored beside the number and looked up for the query."""

import pytest

from core.document_numbers import is_bare_serial, number_key, serial_key, serial_of
from search import sync, text
from search.query import SearchQuery
from search.selectors import search_for
from tests.factories.documents import OfficeFactory, advance

TYPINGS = [
    "东重〔2026〕7号",
    "东重[2026]7号",
    "东重(2026)7号",
    "东重（2026）7号",
    "东重［２０２６］００７号",
    "东重【2026】7号",
    "东重2026-7",
    "东重 2026 7",
    "东重2026年7号",
    " 东重 〔 2026 〕 7 号 ",
]


@pytest.mark.parametrize("typed", TYPINGS)
def test_every_typing_of_a_number_has_the_printed_form_as_its_key(typed):
    assert number_key(typed) == "东重〔2026〕7号"
    assert serial_of(typed) == 7


def test_incoming_numbers_in_both_formats():
    assert number_key("收〔2026〕37号") == number_key("收 2026-37") == "收〔2026〕37号"
    assert number_key("2026-0037") == number_key("2026 37") == "〔2026〕37号"


@pytest.mark.parametrize("typed", ["7号", "第7号", " 第 7 号", "７号"])
def test_a_bare_serial_is_a_serial_without_a_key(typed):
    assert is_bare_serial(typed)
    assert serial_of(typed) == 7
    assert number_key(typed) == ""


@pytest.mark.parametrize(
    "typed", ["", "关于安全生产的通知", "2026", "东重20267", "张三", "7", "T00012", "东重〔26〕7号"]
)
def test_other_text_is_no_number(typed):
    assert number_key(typed) == ""
    assert not is_bare_serial(typed)


def test_stored_and_queried_keys_meet():
    stored = text.exact_keys(["东重〔2026〕7号"], "UA")
    assert stored == ["东重〔2026〕7号", serial_key("ua", 7)]
    assert set(text.exact_query_keys("东重 2026 7")) & set(stored)
    assert set(text.exact_query_keys("7号", ["UA"])) & set(stored)
    assert not set(text.exact_query_keys("7号", ["UB"])) & set(stored)
    # An identifier that is no number is stored and matched as typed, case and spaces folded.
    assert text.exact_keys(["T 00012"], "UA") == ["t00012"]


@pytest.fixture
def numbered(office, document, settings):
    settings.ELASTICSEARCH_URL = None
    advance(document, office, until="red_head")
    document.refresh_from_db()
    sync.drain()
    return document


def find(user, typed):
    return [hit.key for hit in search_for(user, SearchQuery.build(typed)).hits]


def test_an_outgoing_number_is_found_however_it_is_typed(numbered, office):
    prefix, rest = numbered.number_text.split("〔")
    year, serial = rest.rstrip("号").split("〕")
    for typed in [
        numbered.number_text,
        f"{prefix}[{year}]{serial}号",
        f"{prefix}({year}){serial}号",
        f"{prefix}（{year}）{serial}号",
        f"{prefix}{year}-{serial}",
        f"{prefix} {year} {serial}",
        f"{serial}号",
    ]:
        assert find(office.clerk, typed)[:1] == [str(numbered.pk)], typed


def test_another_units_clerk_does_not_find_it_by_its_serial(numbered, office):
    other = OfficeFactory(code="UB", name="乙单位", parent=office.unit.get_parent())
    serial = numbered.number_text.split("〕")[1]
    assert find(office.clerk, serial)[:1] == [str(numbered.pk)]
    assert find(other.clerk, serial) == []

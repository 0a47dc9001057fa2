"""Incoming documents (收文) are found by title, 来文单位, 来文字号 and incoming number, with
either backend, by the unit's document clerks, whoever handled them and their circulation
readers, and never by another unit, the sender included."""

import pytest
from django.core.files.base import ContentFile
from django.db import transaction
from django.utils import timezone

from people.models import OrgUnit, Role
from search.models import OutboxEntry
from search.query import SearchQuery
from search.registry import provider_for
from search.selectors import search_for
from tests.factories import OrgUnitFactory, UserFactory
from tests.factories.incoming import RECEIVED_TITLE as TITLE
from tests.factories.incoming import received_from, unit_clerk, unit_member
from workflow import trace
from workflow.models import TraceEntry
from workflow.numbering.services import current_year
from workflow.permissions import visible_incoming_documents
from workflow.services import incoming_register
from workflow.services.circulation import circulate
from workflow.services.documents import enqueue_search

pytestmark = pytest.mark.django_db


@pytest.fixture
def unit_b(headquarters):
    return OrgUnitFactory(parent=headquarters, code="UB", name="乙单位", kind=OrgUnit.Kind.UNIT)


@pytest.fixture
def clerk_a(unit_a):
    return unit_clerk(unit_a, "UA-BGS", username="clerk_a", name="甲文书")


@pytest.fixture
def clerk_b(unit_b):
    return unit_clerk(unit_b, "UB-BGS", username="clerk_b", name="乙文书")


@pytest.fixture
def colleague_a(clerk_a):
    """Someone of unit A with no part in the document."""
    return UserFactory(department=clerk_a.department, name="甲科员")


@pytest.fixture
def incoming(backend, unit_a, unit_b, clerk_a, drain):
    """A document unit B sent to unit A, registered by unit A's clerk and indexed."""
    document = received_from(unit_b, unit=unit_a, clerk=clerk_a)
    drain()
    return document


def find(user, text):
    return [hit.key for hit in search_for(user, SearchQuery.build(text)).hits]


def test_registration_enqueues_the_entry_with_its_numbers_and_access(
    database_backend, unit_a, unit_b, clerk_a
):
    document = incoming_register(
        user=clerk_a,
        unit=unit_a,
        title=TITLE,
        received_on=timezone.localdate(),
        sender_name="市应急管理局",
        sender_number="市应急〔2026〕12号",
    )
    assert OutboxEntry.objects.filter(kind="incoming", key=str(document.pk)).exists()
    entry = provider_for("incoming").entry_for(str(document.pk))
    assert entry.title == TITLE
    assert entry.exact == (document.number_text, "市应急〔2026〕12号")
    assert "市应急管理局" in entry.body and entry.unit == "UA"
    assert entry.url == f"/workflow/documents/incoming/{document.pk}/"
    assert f"role:{Role.FILE_CLERK}:{unit_a.pk}" in entry.access
    assert f"role:{Role.FILE_CLERK}:{unit_b.pk}" not in entry.access
    assert "all" not in entry.access


def test_the_units_clerk_finds_it_by_title_sender_and_numbers(incoming, clerk_a):
    key = str(incoming.pk)
    for text in ["冬季安全生产", "乙单位", "乙安〔2026〕7号", incoming.number_text]:
        assert find(clerk_a, text)[:1] == [key], text


def test_the_scans_recognised_text_is_found_once_read(incoming, clerk_a, drain, monkeypatch):
    from core.extraction import Extracted
    from workflow.services import paper

    incoming.scan.save("scan.pdf", ContentFile(b"%PDF-1.7 scan"), save=True)
    monkeypatch.setattr(
        paper,
        "extract_stored",
        lambda *args: Extracted(text="请各单位于十二月底前报送锅炉检修计划"),
    )
    assert find(clerk_a, "锅炉检修") == []
    paper.scan_read(incoming.pk)
    drain()
    assert find(clerk_a, "锅炉检修") == [str(incoming.pk)]


def test_another_unit_and_the_sender_never_find_it(incoming, clerk_b, colleague_a):
    for text in [TITLE, "乙安〔2026〕7号", incoming.number_text, "7号", "1号"]:
        assert str(incoming.pk) not in find(clerk_b, text)
        assert str(incoming.pk) not in find(colleague_a, text)


def test_circulation_readers_find_it_once_it_is_sent_round(incoming, clerk_a, colleague_a, drain):
    assert find(colleague_a, TITLE) == []
    with transaction.atomic():
        circulate(incoming, readers=[colleague_a], by=clerk_a)
    drain()
    assert find(colleague_a, TITLE) == [str(incoming.pk)]


def test_whoever_handled_it_finds_it(incoming, unit_a, drain):
    leader = unit_member(unit_a, "UA-LD", name="甲领导", is_leader=True)
    assert find(leader, TITLE) == []
    with transaction.atomic():
        # What a step of the incoming flow records; the engine enqueues the document.
        trace.append(
            incoming, step="instruct", action=TraceEntry.Action.APPROVE, actor=leader, opinion="阅"
        )
        enqueue_search(incoming)
    drain()
    assert find(leader, TITLE) == [str(incoming.pk)]


@pytest.mark.parametrize(
    "typed",
    [
        "乙安〔2026〕7号",
        "乙安[2026]7号",
        "乙安(2026)7号",
        "乙安（2026）7号",
        "乙安2026-7",
        "乙安 2026 7",
    ],
)
def test_the_senders_number_is_found_however_it_is_typed(incoming, clerk_a, typed):
    assert find(clerk_a, typed)[:1] == [str(incoming.pk)]


def test_the_incoming_number_is_found_however_it_is_typed(incoming, clerk_a):
    year = current_year()
    assert incoming.number_text == f"收〔{year}〕1号"
    for typed in [f"收[{year}]1号", f"收({year})001号", f"收{year}-1", f"收 {year} 1"]:
        assert find(clerk_a, typed)[:1] == [str(incoming.pk)], typed


def test_a_bare_serial_finds_numbers_within_the_searchers_unit(incoming, clerk_a, clerk_b):
    assert find(clerk_a, "1号")[:1] == [str(incoming.pk)]  # the incoming number 收〔…〕1号
    assert find(clerk_a, "第7号")[:1] == [str(incoming.pk)]  # the sender's number
    assert find(clerk_a, "8号") == []
    # Unit B's clerk holds no 7号 of its own: unit A's document is not theirs to find.
    assert find(clerk_b, "7号") == []


def test_search_and_the_visible_documents_agree_for_every_user(
    incoming, clerk_a, clerk_b, colleague_a
):
    for user in [clerk_a, clerk_b, colleague_a]:
        visible = {str(pk) for pk in visible_incoming_documents(user).values_list("pk", flat=True)}
        assert set(find(user, TITLE)) == visible, user


def test_reindex_reads_every_incoming_document_in_bounded_queries(
    database_backend, unit_a, clerk_a, django_assert_max_num_queries
):
    for index in range(5):
        received_from(None, unit=unit_a, clerk=clerk_a, title=f"来文{index}")
    provider = provider_for("incoming")
    with django_assert_max_num_queries(10):
        entries = list(provider.entries())
    assert len(entries) == 5
    assert provider.entry_for("999999") is None

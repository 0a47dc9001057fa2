"""Filing closed documents as items: codes, numbers, retention, grouping, files, integrity, and
every refusal leaving nothing behind."""

import hashlib
import io

import pytest
from django.core.exceptions import PermissionDenied
from django.db import connection
from pypdf import PdfReader

from archive import selectors
from archive.errors import ArchiveError
from archive.models import (
    ArchiveClassCode,
    ArchivedDocument,
    ArchiveFile,
    ArchiveItem,
    ClassScheme,
    ItemCounter,
    Retention,
    RetentionRule,
)
from archive.preservation import STAMP_HEIGHT, STAMP_WIDTH, printed_boxes
from archive.retention import DEFAULT_RETENTION, INCOMING
from archive.services import archive_code, default_retention, file_item
from tests.archive.conftest import constructed_incoming, constructed_outgoing
from tests.factories.archive import archivist_of, minimal_pdf
from tests.factories.documents import OfficeFactory
from workflow import trace
from workflow.models import DocumentType, OutgoingDocument, TraceEntry

pytestmark = pytest.mark.django_db


def nothing_written():
    return not (
        ArchiveItem.objects.exists()
        or ArchivedDocument.objects.exists()
        or ArchiveFile.objects.exists()
        or ItemCounter.objects.filter(last_number__gt=0).exists()
    )


def test_archive_codes_follow_da_t_22(fonds):
    assert archive_code(fonds, 2026, Retention.PERMANENT, "BGS", 1) == "Z109-WS·2026-Y-BGS-0001"
    assert archive_code(fonds, 2025, Retention.TEN_YEARS, "", 37) == "Z109-WS·2025-D10-0037"


def test_every_document_type_has_a_default_and_a_unit_rule_wins(office, fonds):
    assert set(DEFAULT_RETENTION) == {*DocumentType.values, INCOMING}
    request = constructed_outgoing(office, doc_type=DocumentType.REQUEST)
    notice = constructed_outgoing(office)
    assert default_retention(fonds, request) == Retention.PERMANENT
    assert default_retention(fonds, notice) == Retention.TEN_YEARS
    RetentionRule.objects.create(fonds=fonds, doc_type="notice", retention=Retention.THIRTY_YEARS)
    assert default_retention(fonds, notice) == Retention.THIRTY_YEARS


def test_a_reply_is_proposed_with_its_request_and_the_rest_one_per_item(office, fonds):
    alone = constructed_outgoing(office, title="独立的通知")
    reply = constructed_outgoing(office, doc_type=DocumentType.LETTER, title="复函")
    request = constructed_incoming(office, reply=reply, title="来函")
    unanswered = constructed_incoming(office, title="无需答复的来文")
    open_one = constructed_outgoing(office, status=OutgoingDocument.Status.DISPATCHED)

    page = selectors.proposed_items(office.unit, 1)
    groups = [proposal.document_ids for proposal in page]

    assert sorted(groups) == sorted([[alone.pk], [reply.pk, request.pk], [unanswered.pk]])
    assert all(open_one.pk not in group for group in groups)
    proposal = selectors.proposal_for(office.unit, request.pk)
    assert [d.pk for d in proposal] == [reply.pk, request.pk]


def test_the_list_is_newest_first(office, fonds):
    older = constructed_outgoing(office, title="旧")
    newer = constructed_outgoing(office, title="新")
    assert [p.main.pk for p in selectors.proposed_items(office.unit, 1)] == [newer.pk, older.pk]


def test_filing_numbers_the_class_gaplessly_and_keeps_the_files(office, fonds, archivist):
    original = minimal_pdf("final text")
    first = file_item(archivist, fonds, [constructed_outgoing(office, pdf=original)])
    second = file_item(archivist, fonds, [constructed_outgoing(office, pdf=minimal_pdf("two"))])

    assert first.archive_code == "Z109-WS·2026-D10-SCB-0001"
    assert second.archive_code == "Z109-WS·2026-D10-SCB-0002"
    assert (first.year, first.class_code, first.pages) == (2026, "SCB", 1)
    assert first.responsible == office.unit.name
    assert first.doc_number == "甲拖〔2026〕7号"
    kept = first.files.get(kind=ArchiveFile.Kind.ORIGINAL)
    assert kept.file.read() == original
    assert kept.sha256 == hashlib.sha256(original).hexdigest()
    assert first.files.filter(kind=ArchiveFile.Kind.FORM).count() == 1
    preservation = first.files.get(kind=ArchiveFile.Kind.PRESERVATION).file.read()
    reader = PdfReader(io.BytesIO(preservation))
    assert "/OutputIntents" in reader.trailer["/Root"]
    assert b"pdfaid:part" in preservation or "pdfaid" in str(reader.xmp_metadata.rdf_root.toxml())
    assert "Z109" in reader.pages[0].extract_text()


def test_a_reply_and_its_request_make_one_item_reply_first(office, fonds, archivist):
    reply = constructed_outgoing(office, doc_type=DocumentType.LETTER, title="复函")
    request = constructed_incoming(office, reply=reply)
    item = file_item(archivist, fonds, [reply, request])
    roles = list(item.documents.values_list("document_id", "role", "position"))
    assert roles == [
        (reply.pk, ArchivedDocument.Role.MAIN, 1),
        (request.pk, ArchivedDocument.Role.REQUEST, 2),
    ]
    assert item.retention == Retention.TEN_YEARS


def test_an_incoming_document_is_classed_by_its_lead_department(office, fonds, archivist):
    item = file_item(archivist, fonds, [constructed_incoming(office)])
    assert item.archive_code == "Z109-WS·2026-D30-SCB-0001"
    assert item.responsible == "市应急管理局"
    assert item.doc_number == "市应急〔2026〕12号"


def test_a_subject_scheme_takes_the_chosen_subject(office, fonds, archivist):
    fonds.scheme = ClassScheme.SUBJECT
    fonds.save()
    ArchiveClassCode.objects.create(fonds=fonds, code="AQ", name="安全生产")
    document = constructed_outgoing(office)
    with pytest.raises(ArchiveError):
        file_item(archivist, fonds, [document], class_code="NOPE")
    item = file_item(archivist, fonds, [document], class_code="aq")
    assert item.class_code == "AQ"


def test_another_retention_needs_a_reason(office, fonds, archivist):
    document = constructed_outgoing(office)
    with pytest.raises(ArchiveError) as refused:
        file_item(archivist, fonds, [document], retention=Retention.PERMANENT)
    assert "reason" in refused.value.message_dict
    assert nothing_written()
    item = file_item(
        archivist, fonds, [document], retention=Retention.PERMANENT, reason="涉及重大事项"
    )
    assert (item.retention, item.retention_reason) == (Retention.PERMANENT, "涉及重大事项")


@pytest.mark.parametrize("status", ["draft", "in_progress", "dispatched", "cancelled"])
def test_an_open_document_is_refused(office, fonds, archivist, status):
    document = constructed_outgoing(office, status=status)
    with pytest.raises(ArchiveError, match="尚未办结"):
        file_item(archivist, fonds, [document])
    assert nothing_written()


def test_a_document_is_filed_once(office, fonds, archivist):
    document = constructed_outgoing(office)
    file_item(archivist, fonds, [document])
    with pytest.raises(ArchiveError, match="已经归档"):
        file_item(archivist, fonds, [document])
    assert ArchiveItem.objects.count() == 1
    assert ItemCounter.objects.get().last_number == 1


def test_another_units_document_is_refused(office, fonds, archivist):
    other = OfficeFactory("UB", "乙单位", parent=office.unit.get_parent())
    with pytest.raises(ArchiveError, match="不属于本单位"):
        file_item(archivist, fonds, [constructed_outgoing(other)])
    assert nothing_written()


def test_only_the_units_archivist_files(office, fonds):
    document = constructed_outgoing(office)
    other = OfficeFactory("UB", "乙单位", parent=office.unit.get_parent())
    for user in (office.clerk, office.leader, archivist_of(other.unit, "DAB")):
        with pytest.raises(PermissionDenied):
            file_item(user, fonds, [document])
    assert nothing_written()


def test_a_department_without_a_code_is_refused_by_name(office, fonds, archivist):
    document = constructed_outgoing(office, drafting_department=office.finance)
    with pytest.raises(ArchiveError, match="财务部"):
        file_item(archivist, fonds, [document])
    assert nothing_written()


def test_a_broken_trace_refuses_filing_naming_the_document(office, fonds, archivist):
    document = constructed_outgoing(office)
    trace.append(document, step="draft", action=TraceEntry.Action.SUBMIT, actor=office.drafter)
    trace.append(document, step="check", action=TraceEntry.Action.APPROVE, actor=office.leader)
    # A change behind the application's back: the raw row no longer matches its hash.
    with connection.cursor() as cursor:
        cursor.execute(
            "UPDATE workflow_traceentry SET opinion = 'forged'"
            " WHERE document_id = %s AND step = 'check'",
            [document.pk],
        )
    with pytest.raises(
        ArchiveError, match="“关于开展安全生产大检查的通知”的办理痕迹在第 2 条处断链"
    ):
        file_item(archivist, fonds, [document])
    assert nothing_written()


def test_an_intact_trace_and_an_unsealed_pdf_are_recorded(office, fonds, archivist):
    document = constructed_outgoing(office, pdf=minimal_pdf())
    last = trace.append(
        document, step="draft", action=TraceEntry.Action.SUBMIT, actor=office.drafter
    )
    item = file_item(archivist, fonds, [document])
    assert item.trace_verified is True
    assert item.trace_head == last.entry_hash
    assert item.seal_verdict


def test_the_audience_is_who_could_read_the_documents(office, fonds, archivist):
    document = constructed_outgoing(office)
    item = file_item(archivist, fonds, [document])
    assert f"user:{office.drafter.pk}" in item.audience
    assert f"role:file_clerk:{office.unit.pk}" in item.audience
    assert f"user:{office.outsider.pk}" not in item.audience


def test_bad_input_is_refused(office, fonds, archivist):
    document = constructed_outgoing(office)
    for documents, kwargs in (
        ([], {}),
        ([document, document], {}),
        ([document], {"retention": "X99"}),
        ([document], {"access": "everyone"}),
        ([document], {"remarks": "长" * 301}),
        ([987654], {}),
    ):
        with pytest.raises(ArchiveError):
            file_item(archivist, fonds, documents, **kwargs)
    assert nothing_written()


def test_the_stamp_keeps_clear_of_text(office):
    from archive.preservation import StampCells, stamped

    # Text in the top right corner, where the stamp would go on an empty page.
    pdf = minimal_pdf("x" * 8).replace(b"72 720 Td", b"430 800 Td")
    before = printed_boxes(pdf)[1]
    result, spot = stamped(pdf, StampCells("Z109", 2026, 1, "BGS", "永久", 1))
    assert before and not any(spot.overlaps(box) for box in before)
    assert spot.x1 - spot.x0 == pytest.approx(STAMP_WIDTH)
    assert spot.bottom - spot.top == pytest.approx(STAMP_HEIGHT)
    # It is still in the top right region, moved below or beside the text.
    assert spot.top < 200 and spot.x0 > 200
    stamp_marks = [b for b in printed_boxes(result)[1] if b not in before]
    assert stamp_marks and all(spot.overlaps(b) for b in stamp_marks)

"""The document type decides the printed format (GB/T 9704 §10) and the direction; the checks
that keep a document from printing wrong; 份号, 附件说明 and 密级 as printed."""

import pytest

from tests.factories.documents import draft_document
from workflow import services
from workflow.models import Classification, DocumentAttachment, DocumentSigner, DocumentType
from workflow.redhead import documents
from workflow.redhead.errors import RedheadError
from workflow.redhead.models import PrintFormat
from workflow.redhead.services import (
    render_numbered_copies_pdf,
    render_redhead_pdf,
    template_update,
)

from .pdf_tools import notice, pdf_pages_text

pytestmark = pytest.mark.django_db


def sign(document, *users):
    for order, user in enumerate(users, start=1):
        DocumentSigner.objects.create(document=document, user=user, order=order)


@pytest.mark.parametrize(
    ("doc_type", "expected_format", "mark"),
    [
        (DocumentType.NOTICE, PrintFormat.STANDARD, "甲单位文件"),
        (DocumentType.LETTER, PrintFormat.LETTER, "甲单位"),
        (DocumentType.MINUTES, PrintFormat.MINUTES, "甲单位纪要"),
    ],
)
def test_the_document_type_decides_the_format_and_its_mark(office, doc_type, expected_format, mark):
    document = draft_document(office, doc_type=doc_type)

    content = documents.content_for_document(document)

    assert content.print_format == expected_format
    assert content.issuer_mark == mark
    assert not content.upward


def test_an_order_prints_its_mark_and_signatory(office):
    document = draft_document(office, doc_type=DocumentType.ORDER, signatory_title="总经理")
    sign(document, office.leader)

    content = documents.content_for_document(document)

    assert (content.print_format, content.issuer_mark) == (PrintFormat.ORDER, "甲单位令")
    assert content.signatory == "总经理　马总"


def test_an_order_without_a_signer_is_refused(office):
    document = draft_document(office, doc_type=DocumentType.ORDER)

    with pytest.raises(RedheadError, match="签发人"):
        documents.content_for_document(document)


@pytest.mark.parametrize("doc_type", [DocumentType.REQUEST, DocumentType.REPORT])
def test_requests_and_reports_are_upward_with_their_signers(office, doc_type):
    document = draft_document(office, doc_type=doc_type, main_recipients=[office.production])
    sign(document, office.leader, office.second_leader)

    content = documents.content_for_document(document)

    assert content.upward
    assert content.signers == ["马总", "王副总"]


def test_a_request_names_exactly_one_main_recipient(office):
    document = draft_document(office, doc_type=DocumentType.REQUEST)

    with pytest.raises(RedheadError, match="请示只能主送一个机关，现有2个"):
        documents.content_for_document(document)


def test_minutes_print_the_attendance_lists_from_the_form(office):
    document = draft_document(
        office,
        doc_type=DocumentType.MINUTES,
        attendees="马总\n王副总\n",
        absentees="周部长（出差）",
        observers="",
    )

    content = documents.content_for_document(document)

    assert content.attendees == ["马总", "王副总"]
    assert content.absentees == ["周部长（出差）"]
    assert content.observers == []


def test_a_unit_sets_each_formats_mark(office):
    template_update(unit=office.unit, user=office.process_admin, letter_mark="甲单位有限公司")
    document = draft_document(office, doc_type=DocumentType.LETTER)

    assert documents.content_for_document(document).issuer_mark == "甲单位有限公司"


def test_internal_is_no_classification_and_is_not_printed(office):
    document = draft_document(office, classification=Classification.INTERNAL)

    assert documents.content_for_document(document).classification == ""


def test_the_attachment_note_is_the_drafters_list_and_uploads_never_replace_it(office):
    document = draft_document(office, attachment_note="检查表\n整改台账")
    DocumentAttachment.objects.create(
        document=document, name="纸质底稿", is_paper_only=True, uploaded_by=office.drafter
    )
    DocumentAttachment.objects.create(
        document=document, name="检查表.pdf", file="x.pdf", uploaded_by=office.drafter
    )

    assert documents.content_for_document(document).attachments == ["检查表", "整改台账"]
    assert documents.attachment_mismatches(document) == [
        "附件说明列有“整改台账”，但没有该名称的附件。",
        "附件“纸质底稿”未列入附件说明。",
    ]


def test_a_title_ending_in_punctuation_is_refused_when_drafting(office):
    with pytest.raises(services.DocumentError) as refused:
        draft_document(office, title="关于开展安全生产大检查的通知。")

    assert refused.value.message_dict["title"] == ["标题末尾不能使用标点符号（。）。"]


def test_numbered_copies_carry_six_digit_numbers_in_order(tmp_path):
    single = render_redhead_pdf(notice(paragraphs=1, attachments=[], remarks=""))
    pages_per_copy = len(pdf_pages_text(single, tmp_path))

    pages = pdf_pages_text(
        render_numbered_copies_pdf(notice(paragraphs=1, attachments=[], remarks=""), 3), tmp_path
    )

    assert len(pages) == 3 * pages_per_copy
    firsts = [pages[index * pages_per_copy] for index in range(3)]
    assert [page.split()[0] for page in firsts] == ["000001", "000002", "000003"]


def test_numbered_copies_are_bounded():
    with pytest.raises(RedheadError):
        render_numbered_copies_pdf(notice(), 0)


def test_a_document_asking_for_numbered_copies_prints_its_copies(office, tmp_path):
    document = draft_document(office, copy_numbered=True, copies=2)

    pages = pdf_pages_text(documents.document_pdf(document), tmp_path)

    copy_numbers = [page.split()[0] for page in pages if page.split()[0].isdigit()]
    assert copy_numbers == ["000001", "000002"]

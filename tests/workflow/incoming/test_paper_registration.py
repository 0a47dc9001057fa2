"""Registering a paper document (纸质收文登记): the unit's clerk gives the scanned pages (PDFs
and images, several, merged into one PDF in order), the elements and the attachments; the
scan's text is read in the background and kept for search, with its status shown and a retry
when it failed. Bad input is refused with a clear message and leaves nothing behind."""

import io

import pytest
from django.core.exceptions import PermissionDenied
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse
from django.utils import timezone
from PIL import Image
from pypdf import PdfReader, PdfWriter

from core.extraction import Extracted, ExtractionError
from tests.factories.documents import OfficeFactory
from workflow import services
from workflow.models import Document, DocumentAttachment, IncomingDocument, OcrStatus
from workflow.numbering.models import IssuedNumber

pytestmark = pytest.mark.django_db


@pytest.fixture
def office(db):
    return OfficeFactory("UA", "甲单位")


@pytest.fixture
def other(office):
    return OfficeFactory("UB", "乙单位", parent=office.unit.get_parent())


@pytest.fixture
def read_text(monkeypatch):
    """OCR stands in: the scan 'reads' as the text given (or fails with ExtractionError)."""
    outcome = {"text": "关于开展安全生产检查的通知 全体生产车间"}

    def fake_extract(stored_file, suffix, content_type):
        if isinstance(outcome["text"], Exception):
            raise outcome["text"]
        return Extracted(outcome["text"], pages=1, ocr_pages=1)

    monkeypatch.setattr("workflow.services.paper.extract_stored", fake_extract)
    return outcome


def pdf_file(name="scan.pdf", pages=2) -> SimpleUploadedFile:
    writer = PdfWriter()
    for _ in range(pages):
        writer.add_blank_page(width=595, height=842)
    output = io.BytesIO()
    writer.write(output)
    return SimpleUploadedFile(name, output.getvalue(), content_type="application/pdf")


def image_file(name="page.png", kind="PNG") -> SimpleUploadedFile:
    output = io.BytesIO()
    Image.new("RGB", (200, 280), "white").save(output, kind)
    return SimpleUploadedFile(name, output.getvalue())


def register(office, **changes):
    values = {
        "user": office.clerk,
        "unit": office.unit,
        "title": "关于开展安全生产检查的通知",
        "received_on": timezone.localdate(),
        "sender_name": "市应急管理局",
        "sender_number": "市应急〔2026〕12号",
        "urgency": "urgent",
        "copies": 2,
        "scans": [pdf_file(), image_file(), image_file("page.jpg", "JPEG")],
        "attachments": [
            services.AttachmentInput(name="检查表.pdf", file=pdf_file("检查表.pdf", 1)),
            services.AttachmentInput(name="样品", is_paper_only=True),
        ],
    }
    return services.paper_register(**{**values, **changes})


def nothing_registered() -> bool:
    return not Document.objects.exists() and not IssuedNumber.objects.exists()


def test_the_pages_are_merged_into_one_pdf_in_order(office, read_text):
    document = register(office)
    document.refresh_from_db()
    assert len(PdfReader(document.scan.open("rb")).pages) == 4  # two PDF pages, two images
    assert document.number_text and document.sender == "市应急管理局"
    assert (document.copies, document.urgency) == (2, "urgent")
    attachments = {(a.name, a.is_paper_only) for a in document.attachments.all()}
    assert attachments == {("检查表.pdf", False), ("样品", True)}


def test_the_text_is_read_in_the_background_after_commit(
    office, read_text, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks(execute=False) as callbacks:
        document = register(office)
    assert IncomingDocument.objects.get(pk=document.pk).ocr_status == OcrStatus.PENDING
    for callback in callbacks:
        callback()
    document.refresh_from_db()
    assert document.ocr_status == OcrStatus.DONE
    assert "安全生产" in document.ocr_text


def test_an_unexpected_fault_is_told_plainly_without_the_faults_details(
    office, read_text, django_capture_on_commit_callbacks
):
    read_text["text"] = RuntimeError("/var/lib/xietong/private/scan-17.pdf: segfault in libtiff")
    with django_capture_on_commit_callbacks(execute=True):
        document = register(office)
    document.refresh_from_db()
    assert document.ocr_status == OcrStatus.FAILED
    assert "libtiff" not in document.ocr_error and "/var/lib" not in document.ocr_error
    assert "意外故障" in document.ocr_error


def test_a_scan_that_cannot_be_read_stays_registered_and_is_read_again(
    office, read_text, django_capture_on_commit_callbacks, client
):
    read_text["text"] = ExtractionError("tesseract failed: no text")
    with django_capture_on_commit_callbacks(execute=True):
        document = register(office)
    document.refresh_from_db()
    assert document.ocr_status == OcrStatus.FAILED and "tesseract" in document.ocr_error
    assert document.number_text  # registered all the same

    client.force_login(office.clerk)
    page = client.get(reverse("gongwen:incoming_registered", args=[document.pk]))
    assert 'data-status="failed"' in page.content.decode()
    assert 'data-testid="ocr-retry"' in page.content.decode()

    read_text["text"] = "重新识别的文字"
    with django_capture_on_commit_callbacks(execute=True):
        client.post(reverse("gongwen:scan_read_again", args=[document.pk]))
    document.refresh_from_db()
    assert (document.ocr_status, document.ocr_text) == (OcrStatus.DONE, "重新识别的文字")
    with pytest.raises(services.DocumentError):
        services.scan_read_again(document=document, user=office.clerk)


def test_a_text_layer_is_read_for_real(office, django_capture_on_commit_callbacks):
    from weasyprint import HTML

    pdf = HTML(string="<p>关于开展安全生产大检查的通知，全体生产车间参加。</p>").write_pdf()
    with django_capture_on_commit_callbacks(execute=True):
        document = register(office, scans=[SimpleUploadedFile("scan.pdf", pdf)], attachments=[])
    document.refresh_from_db()
    assert document.ocr_status == OcrStatus.DONE
    assert "安全生产大检查" in document.ocr_text.replace(" ", "")


@pytest.mark.parametrize(
    "changes, field",
    [
        ({"classification": "secret"}, "classification"),
        ({"scans": []}, "scans"),
        ({"scans": [SimpleUploadedFile("scan.pdf", b"")]}, None),
        ({"scans": [SimpleUploadedFile("scan.pdf", b"MZ\x90\x00 not a pdf")]}, None),
        ({"scans": [SimpleUploadedFile("scan.pdf", b"%PDF-1.7\nbroken")]}, "scans"),
        ({"title": "  "}, "title"),
        ({"sender_name": ""}, "sender_name"),
        ({"copies": 0}, "copies"),
        ({"attachments": [services.AttachmentInput(name="附件", file=None)]}, "attachments"),
    ],
)
def test_bad_input_is_refused_and_leaves_nothing(office, read_text, changes, field, settings):
    with pytest.raises(services.DocumentError) as refused:
        register(office, **changes)
    if field:
        assert field in refused.value.error_dict
    assert nothing_registered() and not DocumentAttachment.objects.exists()
    media = settings.MEDIA_ROOT / "documents" / "incoming"
    assert not media.exists() or not any(media.rglob("*.pdf"))


def test_only_the_units_clerk_registers(office, other, read_text):
    for intruder in (other.clerk, office.drafter, office.leader, office.process_admin):
        with pytest.raises(PermissionDenied):
            register(office, user=intruder)
    assert nothing_registered()


def test_registration_through_the_screen(client, portal, office, read_text):
    client.force_login(office.clerk)
    url = reverse("gongwen:paper_register")
    assert client.get(url).status_code == 200
    data = {
        "unit": office.unit.pk,
        "title": "关于报送年度工作总结的通知",
        "sender_name": "市国资委",
        "sender_number": "市国资〔2026〕3号",
        "urgency": "",
        "classification": "non_secret",
        "copies": 1,
        "received_on": timezone.localdate().isoformat(),
        "scans": [pdf_file(), image_file()],
        "attachments": [pdf_file("附表.pdf", 1)],
        "paper_attachments": "样品一\n样品二",
    }
    response = client.post(url, data)
    document = IncomingDocument.objects.get()
    assert response.status_code == 302
    assert response["Location"] == reverse("gongwen:incoming_registered", args=[document.pk])
    assert document.attachments.filter(is_paper_only=True).count() == 2
    page = client.get(response["Location"]).content.decode()
    assert document.number_text in page and 'data-testid="ocr-status"' in page
    assert client.get(reverse("gongwen:incoming_scan", args=[document.pk])).status_code == 200

    refused = client.post(url, {**data, "classification": "secret", "scans": [pdf_file()]})
    assert refused.status_code == 400 and IncomingDocument.objects.count() == 1
    both = client.post(url, {**data, "sender_unit": other_unit_pk(office), "scans": [pdf_file()]})
    assert both.status_code == 400 and IncomingDocument.objects.count() == 1


def other_unit_pk(office):
    return office.unit.get_parent().pk


def test_others_never_see_the_registered_document(client, portal, office, other, read_text):
    document = register(office)
    attachment = document.attachments.get(is_paper_only=False)
    urls = [
        reverse("gongwen:incoming_registered", args=[document.pk]),
        reverse("gongwen:incoming_scan", args=[document.pk]),
        reverse("gongwen:incoming_attachment", args=[document.pk, attachment.pk]),
    ]
    client.force_login(office.clerk)
    assert [client.get(url).status_code for url in urls] == [200, 200, 200]
    for outsider in (other.clerk, office.drafter):
        client.force_login(outsider)
        assert [client.get(url).status_code for url in urls] == [404, 404, 404]
        assert (
            client.post(reverse("gongwen:scan_read_again", args=[document.pk])).status_code == 404
        )
    client.force_login(office.drafter)
    assert client.get(reverse("gongwen:paper_register")).status_code == 403

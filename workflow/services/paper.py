"""Registering a paper document (纸质收文登记, gongwen.md §6): the scanned pages, several PDFs or
images, merged into one PDF kept on the incoming document, whose text is read in the
background (OCR, as the knowledge center reads its files) so that search finds it. A scan that
cannot be read stays registered with its status shown, and may be read again."""

import io
import logging
from collections.abc import Sequence
from dataclasses import dataclass
from datetime import date

from django.core.files.base import ContentFile
from django.db import transaction
from django.utils.translation import gettext as _
from PIL import Image
from pypdf import PdfReader, PdfWriter
from pypdf.errors import PdfReadError

from core.extraction import ExtractionError, extract_stored, unexpected_failure
from core.uploads import DOCUMENT_ATTACHMENTS, INCOMING_SCANS, PDF
from intranet.transaction_files import atomic_with_files
from people.models import OrgUnit, User

from .. import permissions
from ..models import Classification, DocumentAttachment, IncomingDocument, OcrStatus, Urgency
from .documents import enqueue_search
from .errors import DocumentError, require
from .incoming import incoming_register
from .uploads import checked_upload

logger = logging.getLogger(__name__)
MAX_SCAN_FILES = 50


@dataclass(frozen=True)
class AttachmentInput:
    """An attachment given at registration: a file, or a paper-only one by name."""

    name: str
    file: object = None
    is_paper_only: bool = False


def merged_scan(uploads: Sequence) -> bytes:
    """The scanned pages as one PDF, in the order given: PDFs page by page, each image a
    page. Each file passes the upload policy first; a damaged or encrypted PDF is refused."""
    if not uploads:
        raise DocumentError({"scans": _("Add the scanned pages (PDF or images).")})
    if len(uploads) > MAX_SCAN_FILES:
        raise DocumentError({"scans": _("Add at most 50 scanned files.")})
    writer = PdfWriter()
    for upload in uploads:
        kind = checked_upload(upload, INCOMING_SCANS)
        upload.seek(0)
        try:
            if kind == PDF:
                reader = PdfReader(upload)
                if reader.is_encrypted:
                    raise DocumentError(
                        {"scans": _("%(name)s is encrypted.") % {"name": upload.name}}
                    )
                writer.append(reader)
            else:
                writer.append(PdfReader(io.BytesIO(_image_pdf(upload))))
        except (PdfReadError, OSError, ValueError) as error:
            raise DocumentError(
                {"scans": _("%(name)s cannot be read.") % {"name": upload.name}}
            ) from error
    output = io.BytesIO()
    writer.write(output)
    return output.getvalue()


def _image_pdf(upload) -> bytes:
    """One page per frame of the image (a TIFF may hold several pages)."""
    with Image.open(upload) as image:
        frames = []
        for number in range(getattr(image, "n_frames", 1)):
            image.seek(number)
            frames.append(image.convert("RGB"))
    output = io.BytesIO()
    resolution = 300.0
    frames[0].save(output, "PDF", save_all=True, append_images=frames[1:], resolution=resolution)
    return output.getvalue()


def paper_register(
    *,
    user: User,
    unit: OrgUnit,
    scans: Sequence,
    attachments: Sequence[AttachmentInput] = (),
    title: str,
    received_on: date,
    sender_unit: OrgUnit | None = None,
    sender_name: str = "",
    sender_number: str = "",
    urgency: str = Urgency.NORMAL,
    classification: str = Classification.NON_SECRET,
    copies: int = 1,
) -> IncomingDocument:
    """Register a paper document with its scan and attachments, in one transaction (the files
    written are removed if it rolls back); its text is read once the registration commits."""
    require(permissions.can_register_incoming(user, unit))
    scan = merged_scan(scans)
    for attachment in attachments:
        _check_attachment(attachment)
    with atomic_with_files() as files:
        document = incoming_register(
            user=user,
            unit=unit,
            title=title,
            received_on=received_on,
            sender_unit=sender_unit,
            sender_name=sender_name,
            sender_number=sender_number,
            urgency=urgency,
            classification=classification,
            copies=copies,
        )
        files.save(document.scan, f"{document.pk}.pdf", ContentFile(scan))
        document.ocr_status = OcrStatus.PENDING
        document.save(update_fields=["scan", "ocr_status", "updated_at"])
        for order, attachment in enumerate(attachments):
            _attachment_save(document, attachment, order, user, files)
        _read_after_commit(document.pk)
    return document


def _check_attachment(attachment: AttachmentInput) -> None:
    if not attachment.name.strip():
        raise DocumentError({"attachments": _("Name each attachment.")})
    if attachment.is_paper_only and attachment.file is not None:
        raise DocumentError({"attachments": _("A paper-only attachment has no file.")})
    if not attachment.is_paper_only:
        if attachment.file is None:
            raise DocumentError(
                {"attachments": _("Choose the file, or mark the attachment as paper only.")}
            )
        checked_upload(attachment.file, DOCUMENT_ATTACHMENTS)


def _attachment_save(document, attachment: AttachmentInput, order: int, user, files) -> None:
    row = DocumentAttachment(
        document=document,
        name=attachment.name.strip()[:200],
        is_paper_only=attachment.is_paper_only,
        order=order,
        uploaded_by=user,
    )
    if not attachment.is_paper_only:
        row.content_type = checked_upload(attachment.file, DOCUMENT_ATTACHMENTS).content_type
        row.size = attachment.file.size
        attachment.file.seek(0)
        files.save(row.file, attachment.file.name, attachment.file)
    row.save()


def _read_after_commit(document_id: int) -> None:
    from ..tasks import read_incoming_scan

    transaction.on_commit(lambda: read_incoming_scan.enqueue(document_id))


def scan_read(document_id: int) -> IncomingDocument | None:
    """Read the scan's text (OCR) and record the outcome; a failure is stored, never raised.
    Slow: runs in the background, outside any transaction."""
    document = IncomingDocument.objects.filter(pk=document_id).first()
    if document is None or not document.scan:
        return document
    try:
        result = extract_stored(document.scan, ".pdf", PDF.content_type)
    except ExtractionError as error:
        _record(document, OcrStatus.FAILED, error=str(error))
    except Exception:
        logger.exception("Reading the scan of incoming document %s failed", document_id)
        _record(document, OcrStatus.FAILED, error=unexpected_failure())
    else:
        _record(document, OcrStatus.DONE, text=result.text)
    return document


def _record(document: IncomingDocument, status: str, *, text: str = "", error: str = "") -> None:
    document.ocr_status = status
    document.ocr_text = text
    document.ocr_error = error[:300]
    with transaction.atomic():
        document.save(update_fields=["ocr_status", "ocr_text", "ocr_error", "updated_at"])
        # The recognised text is searchable (the search's outbox, in the same transaction).
        enqueue_search(document)


def scan_read_again(*, document: IncomingDocument, user: User) -> None:
    """The clerk asks for a failed reading to be tried again."""
    with transaction.atomic():
        document = IncomingDocument.objects.select_for_update().get(pk=document.pk)
        require(permissions.can_register_incoming(user, document.unit))
        if document.ocr_status != OcrStatus.FAILED:
            raise DocumentError(_("The scan's text is not in a failed state; nothing was changed."))
        document.ocr_status = OcrStatus.PENDING
        document.ocr_error = ""
        document.save(update_fields=["ocr_status", "ocr_error", "updated_at"])
        _read_after_commit(document.pk)

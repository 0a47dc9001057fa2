"""Files given with a document: the body as a Word file and the attachments (附件), each checked
by the project's upload policy, while the document is at a step that edits it."""

from django.db import transaction
from django.utils.html import escape
from django.utils.translation import gettext as _

from core.extraction import ExtractionError, docx_lines
from core.uploads import (
    DOCUMENT_ATTACHMENTS,
    DOCUMENT_BODY,
    DOCX,
    FileKind,
    Policy,
    UploadRefused,
    check_upload,
)
from people.models import User

from ..models import Document, DocumentAttachment
from .documents import clean_body
from .engine import editing_task, trace_edit
from .errors import DocumentError


def checked_upload(upload, policy: Policy) -> FileKind:
    """The upload's kind under the upload policy, or a `DocumentError` naming the file."""
    try:
        return check_upload(upload, policy)
    except UploadRefused as refusal:
        raise DocumentError(
            _("%(name)s: %(reason)s") % {"name": upload.name, "reason": refusal.messages[0]}
        ) from refusal


def body_from_word(upload, kind: FileKind) -> str:
    """The paragraphs of a DOCX body as HTML, so the red head can print a body given as Word."""
    if kind != DOCX:
        return ""
    try:
        paragraphs = [line.strip() for line in docx_lines(upload)]
    except ExtractionError:  # a damaged DOCX: the file is kept, the body stays empty
        return ""
    finally:
        upload.seek(0)
    return "".join(f"<p>{escape(text)}</p>" for text in paragraphs if text)


def set_body_file(document, upload) -> None:
    """Keep the body's Word file; an empty body is filled from its paragraphs."""
    kind = checked_upload(upload, DOCUMENT_BODY)
    document.body_file_name = upload.name[:200]
    document.body_file = upload
    if not document.body:
        document.body = clean_body(body_from_word(upload, kind))


@transaction.atomic
def attachment_add(
    *,
    document,
    user: User,
    name: str = "",
    file=None,
    is_paper_only: bool = False,
) -> DocumentAttachment:
    """An electronic attachment (checked by real type and size) or a paper-only one (纸质)."""
    document = Document.objects.select_for_update().get(pk=document.pk).specific
    task = editing_task(document, user)
    name = (name or (file.name if file is not None else "")).strip()[:200]
    if not name:
        raise DocumentError({"name": _("Name the attachment.")})
    attachment = DocumentAttachment(
        document=document,
        name=name,
        is_paper_only=is_paper_only,
        uploaded_by=user,
        order=document.attachments.count(),
    )
    if is_paper_only:
        if file is not None:
            raise DocumentError(_("A paper-only attachment has no file."))
    else:
        if file is None:
            raise DocumentError(_("Choose the file, or mark the attachment as paper only."))
        attachment.content_type = checked_upload(file, DOCUMENT_ATTACHMENTS).content_type
        attachment.size = file.size
        attachment.file = file
    attachment.save()
    trace_edit(document, task, user, {"attachment_added": name, "paper_only": is_paper_only})
    return attachment


@transaction.atomic
def attachment_remove(*, attachment: DocumentAttachment, user: User) -> None:
    document = Document.objects.select_for_update().get(pk=attachment.document_id).specific
    task = editing_task(document, user)
    name = attachment.name
    attachment.delete()
    trace_edit(document, task, user, {"attachment_removed": name})

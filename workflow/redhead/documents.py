"""From an outgoing document to its printed red-head PDF: the format its type decides, the
elements as printed, and the checks that must pass before anything is printed."""

from django.utils import timezone
from django.utils.translation import gettext as _

from workflow.models import (
    Direction,
    DocumentRecipient,
    DocumentType,
    OutgoingDocument,
    Urgency,
)

from . import services
from .errors import RedheadError
from .models import PrintFormat
from .titles import title_lines

FORMAT_BY_TYPE = {
    DocumentType.LETTER: PrintFormat.LETTER,
    DocumentType.ORDER: PrintFormat.ORDER,
    DocumentType.MINUTES: PrintFormat.MINUTES,
}
# 上行文 whatever the direction chosen on the form: they print 签发人 and the lower mark.
UPWARD_TYPES = frozenset({DocumentType.REQUEST, DocumentType.REPORT})
# The printed document is Chinese whatever the reader's interface language (GB/T 9704). 内部 is
# no 密级 and is not printed in its place; classified documents never enter the system.
PRINTED_URGENCY = {Urgency.URGENT: "加急", Urgency.VERY_URGENT: "特急"}


def print_format(document: OutgoingDocument) -> str:
    return FORMAT_BY_TYPE.get(document.doc_type, PrintFormat.STANDARD)


def is_upward(document: OutgoingDocument) -> bool:
    return document.doc_type in UPWARD_TYPES or document.direction == Direction.UPWARD


def note_lines(text: str) -> list[str]:
    return [line.strip() for line in (text or "").splitlines() if line.strip()]


def attachment_mismatches(document: OutgoingDocument) -> list[str]:
    """Warnings for proof-reading: names in the 附件说明 with no attachment recorded, and
    attachments (files or paper-only records) the 附件说明 does not name."""
    listed = note_lines(document.attachment_note)
    recorded = [attachment.name for attachment in document.attachments.all()]
    warnings = [
        _("The attachment note lists “%(name)s”, but no attachment of that name is recorded.")
        % {"name": name}
        for name in listed
        if not any(_same_attachment(name, other) for other in recorded)
    ]
    warnings += [
        _("The attachment “%(name)s” is not named in the attachment note.") % {"name": name}
        for name in recorded
        if not any(_same_attachment(name, other) for other in listed)
    ]
    return warnings


def check_printable(document: OutgoingDocument) -> None:
    """Raise RedheadError (translated) when the document cannot be printed as it stands."""
    title_lines(document.title)
    main = [r for r in document.recipients.all() if r.kind == DocumentRecipient.Kind.MAIN]
    if document.doc_type == DocumentType.REQUEST and len(main) != 1:
        raise RedheadError(
            _("A request (请示) is addressed to exactly one main recipient; it names %(count)s.")
            % {"count": len(main)}
        )
    if document.doc_type == DocumentType.ORDER and not _signer_names(document):
        raise RedheadError(_("An order (命令) is printed with its signer: choose the signer."))


def content_for_document(document: OutgoingDocument) -> services.RedheadContent:
    """The printed elements of `document` in its unit's template, after `check_printable`."""
    check_printable(document)
    template = services.template_for(document.unit)
    chosen_format = print_format(document)
    signers = _signer_names(document)
    recipients = list(document.recipients.all())
    signatory = ""
    if chosen_format == PrintFormat.ORDER:
        signatory = "　".join(filter(None, [document.signatory_title.strip(), signers[0]]))
    return services.content_from_template(
        template,
        print_format=chosen_format,
        doc_number=document.number_text,
        signers=signers,
        upward=chosen_format == PrintFormat.STANDARD and is_upward(document),
        urgency=PRINTED_URGENCY.get(document.urgency, ""),
        title=document.title,
        main_recipients=[r.name for r in recipients if r.kind == DocumentRecipient.Kind.MAIN],
        copy_recipients=[r.name for r in recipients if r.kind == DocumentRecipient.Kind.COPY],
        body_html=document.body,
        attachments=note_lines(document.attachment_note),
        date_text=services.chinese_date(document.written_on or timezone.localdate()),
        remarks=document.remarks,
        printing_unit=document.printing_unit or template.printing_unit,
        print_date_text=services.chinese_date(document.printed_on or timezone.localdate()),
        copies=document.copies,
        signatory=signatory,
        attendees=note_lines(document.attendees),
        absentees=note_lines(document.absentees),
        observers=note_lines(document.observers),
    )


def document_pdf(document: OutgoingDocument) -> bytes:
    """The red-head PDF of `document`: one copy, or 印数 copies numbered 000001… when the
    drafter asked for numbered copies (份号)."""
    content = content_for_document(document)
    if document.copy_numbered:
        return services.render_numbered_copies_pdf(content, document.copies)
    return services.render_redhead_pdf(content)


def _signer_names(document: OutgoingDocument) -> list[str]:
    return [entry.user.get_full_name() for entry in document.signer_entries.all()]


def _same_attachment(name: str, other: str) -> bool:
    """Names match without their file extension, case and surrounding 《》."""
    return _comparable(name) == _comparable(other)


def _comparable(name: str) -> str:
    stem = name.strip()
    if "." in stem and len(stem.rsplit(".", 1)[1]) <= 5:
        stem = stem.rsplit(".", 1)[0]
    return stem.strip("《》 ").casefold()

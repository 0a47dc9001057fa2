"""The archive's actions: keeping a unit's archive settings and filing closed documents as items
(归档). Each checks permission, runs in one transaction and raises `ArchiveError` with a translated
message, changing nothing, on bad input."""

import hashlib
import logging
from dataclasses import dataclass
from datetime import date
from pathlib import PurePosixPath

from django.conf import settings
from django.core.exceptions import PermissionDenied
from django.core.files.base import ContentFile
from django.core.files.storage import default_storage
from django.db import transaction
from django.utils import timezone, translation
from django.utils.translation import gettext as _

from people.models import OrgUnit, User
from search.registry import provider_for
from workflow import trace
from workflow.models import Document, IncomingDocument, IncomingProcess, OutgoingDocument
from workflow.print_forms import processing_form_pdf
from workflow.seal.verification import verify

from . import permissions
from .errors import ArchiveError
from .models import (
    CODE_VALIDATOR,
    ArchiveClassCode,
    ArchivedDocument,
    ArchiveFile,
    ArchiveItem,
    ClassScheme,
    FondsSettings,
    ItemCounter,
    Retention,
    RetentionRule,
)
from .preservation import StampCells, page_count, stamped, to_pdfa
from .retention import DEFAULT_RETENTION, INCOMING

logger = logging.getLogger(__name__)

MAX_DOCUMENTS_PER_ITEM = 20
MAX_TEXT = 300
# The search kind of each document kind: an item's audience is what the search grants.
SEARCH_KINDS = {Document.Kind.OUTGOING: "document", Document.Kind.INCOMING: "incoming"}


def _require(allowed: bool, message: str) -> None:
    if not allowed:
        raise PermissionDenied(message)


def _valid_code(value: str, field: str) -> str:
    value = (value or "").strip().upper()
    try:
        CODE_VALIDATOR(value)
    except Exception:
        raise ArchiveError(
            {field: _("Use 1 to 12 capital letters or digits, e.g. Z109 or BGS.")}
        ) from None
    return value


# Settings ------------------------------------------------------------------------------------


def fonds_save(
    *, user: User, unit: OrgUnit, fonds_code: str, category_code: str, scheme: str
) -> FondsSettings:
    """Set the unit's fonds code (全宗号), category code (门类代码) and classification scheme.
    The codes are part of every archive code, so they stay fixed once an item is filed."""
    _require(
        permissions.may_keep_settings(user, unit),
        _("Only the unit's archivist or administrator may change its archive settings."),
    )
    fonds_code = _valid_code(fonds_code, "fonds_code")
    category_code = _valid_code(category_code, "category_code")
    if scheme not in ClassScheme.values:
        raise ArchiveError({"scheme": _("Choose a classification scheme.")})
    with transaction.atomic():
        fonds = FondsSettings.objects.select_for_update().filter(unit=unit).first()
        taken = FondsSettings.objects.filter(fonds_code=fonds_code).exclude(unit=unit)
        if taken.exists():
            raise ArchiveError({"fonds_code": _("Another unit already uses this fonds code.")})
        if fonds is None:
            fonds = FondsSettings(unit=unit)
        elif (fonds.fonds_code, fonds.category_code) != (fonds_code, category_code) and (
            ArchiveItem.objects.filter(fonds=fonds).exists()
        ):
            raise ArchiveError(
                _(
                    "Items are already filed under these codes: the fonds and category codes "
                    "can no longer change."
                )
            )
        fonds.fonds_code, fonds.category_code, fonds.scheme = fonds_code, category_code, scheme
        fonds.updated_by = user
        fonds.save()
    return fonds


def class_code_add(
    *, user: User, fonds: FondsSettings, code: str, name: str, department: OrgUnit | None = None
) -> ArchiveClassCode:
    """Add a class code: a department's organisation code (机构代码), or a subject (问题)."""
    _require(
        permissions.may_keep_settings(user, fonds.unit),
        _("Only the unit's archivist or administrator may change its archive settings."),
    )
    code = _valid_code(code, "code")
    name = (name or "").strip()
    if not name or len(name) > 100:
        raise ArchiveError({"name": _("Give the class a name of at most 100 characters.")})
    if department is not None and (
        department.kind != OrgUnit.Kind.DEPARTMENT or department.unit_id != fonds.unit_id
    ):
        raise ArchiveError({"department": _("Choose a department of this unit.")})
    with transaction.atomic():
        if ArchiveClassCode.objects.filter(fonds=fonds, code=code).exists():
            raise ArchiveError({"code": _("This code is already in use.")})
        if department and ArchiveClassCode.objects.filter(fonds=fonds, department=department):
            raise ArchiveError({"department": _("This department already has a code.")})
        return ArchiveClassCode.objects.create(
            fonds=fonds, code=code, name=name, department=department
        )


def class_code_remove(*, user: User, fonds: FondsSettings, class_code_id: int) -> None:
    """Remove a class code no item was filed under."""
    _require(
        permissions.may_keep_settings(user, fonds.unit),
        _("Only the unit's archivist or administrator may change its archive settings."),
    )
    with transaction.atomic():
        class_code = ArchiveClassCode.objects.filter(fonds=fonds, pk=class_code_id).first()
        if class_code is None:
            raise ArchiveError(_("This class code does not exist."))
        if ArchiveItem.objects.filter(fonds=fonds, class_code=class_code.code).exists():
            raise ArchiveError(_("Items are filed under this code: it cannot be removed."))
        class_code.delete()


def retention_rules_save(*, user: User, fonds: FondsSettings, rules: dict[str, str]) -> None:
    """Set the unit's default retention per document type (and for incoming documents); a
    rule equal to the built-in default is not stored."""
    _require(
        permissions.may_keep_settings(user, fonds.unit),
        _("Only the unit's archivist or administrator may change its archive settings."),
    )
    for key, retention in rules.items():
        if key not in DEFAULT_RETENTION or retention not in Retention.values:
            raise ArchiveError(_("Choose a retention for each document type."))
    with transaction.atomic():
        RetentionRule.objects.filter(fonds=fonds).delete()
        RetentionRule.objects.bulk_create(
            RetentionRule(fonds=fonds, doc_type=key, retention=retention)
            for key, retention in rules.items()
            if retention != DEFAULT_RETENTION[key]
        )


def retention_key(document: Document) -> str:
    if document.kind == Document.Kind.OUTGOING:
        return document.specific.doc_type
    return INCOMING


def default_retention(fonds: FondsSettings, document: Document) -> str:
    """The unit's rule for the document's type, else the built-in default."""
    key = retention_key(document)
    rule = RetentionRule.objects.filter(fonds=fonds, doc_type=key).first()
    return rule.retention if rule is not None else DEFAULT_RETENTION[key]


def organisation_department(document: Document) -> OrgUnit | None:
    """The department an item is classed under in the organisation scheme: the drafting
    department of an outgoing document, the lead (handling) department of an incoming one."""
    specific = document.specific
    if isinstance(specific, OutgoingDocument):
        return specific.drafting_department
    process = IncomingProcess.objects.filter(document=specific).select_related("lead_department")
    found = process.first()
    return found.lead_department if found is not None else None


# Filing --------------------------------------------------------------------------------------


@dataclass(frozen=True)
class Integrity:
    trace_head: str
    seal_verdict: str


def _checked_documents(fonds: FondsSettings, ids: list[int]) -> list[Document]:
    """The documents, locked, as their own kinds, each the unit's, closed and not filed."""
    locked = {d.pk: d for d in Document.objects.select_for_update().filter(pk__in=ids)}
    documents = []
    for pk in ids:
        document = locked.get(pk)
        if document is None or document.unit_id != fonds.unit_id:
            raise ArchiveError(_("A document chosen is not one of this unit's; nothing was filed."))
        specific = document.specific
        if specific.status != specific.Status.CLOSED:
            raise ArchiveError(
                _("“%(title)s” is not closed yet: only closed documents are filed.")
                % {"title": document.title}
            )
        documents.append(specific)
    filed = ArchivedDocument.objects.filter(document_id__in=ids).select_related("document").first()
    if filed is not None:
        raise ArchiveError(
            _("“%(title)s” is already filed; nothing was filed.") % {"title": filed.document.title}
        )
    return documents


def _verified(documents: list[Document]) -> Integrity:
    """Each document's trace chain verified (a broken one refuses the filing, named) and each
    main PDF's seal checked; the verdicts are kept on the item."""
    for document in documents:
        broken = trace.verify_chain(document.pk)
        if broken is not None:
            raise ArchiveError(
                _(
                    "The trace of “%(title)s” is broken at entry %(position)s (%(reason)s): "
                    "it cannot be filed."
                )
                % {"title": document.title, "position": broken.position, "reason": broken.reason}
            )
    last = documents[0].trace_entries.order_by("-pk").first()
    verdicts = []
    for document in documents:
        pdf = _main_pdf(document)
        if pdf is not None:
            verdicts.append(verify(pdf).reason)
    return Integrity(last.entry_hash if last else "", "；".join(verdicts)[:200])


def _main_pdf(document: Document) -> bytes | None:
    """The document as it was sent or received: the sealed final, or the incoming PDF or scan."""
    field = document.final_pdf if isinstance(document, OutgoingDocument) else document.scan
    if not field:
        return None
    with field.open("rb") as handle:
        return handle.read()


def _audience(documents: list[Document]) -> list[str]:
    """Who could read every document of the item, as the search grants them."""
    audience = None
    for document in documents:
        entry = provider_for(SEARCH_KINDS[document.kind]).entry_for(str(document.pk))
        access = set(entry.access) if entry is not None else set()
        audience = access if audience is None else audience & access
    return sorted(audience or ())


def _year_and_date(document: Document) -> tuple[int, date]:
    """年度 and 日期: an outgoing document's date of writing (成文日期), else the day it was
    closed; an incoming document's day of receipt."""
    if isinstance(document, OutgoingDocument):
        day = document.written_on or timezone.localdate(document.closed_at)
    else:
        day = document.received_on
    return day.year, day


def _responsible(document: Document) -> str:
    """责任者: the issuing body of an outgoing document, the sender of an incoming one."""
    if isinstance(document, IncomingDocument):
        return document.sender
    return document.unit.name


def _class_code(fonds: FondsSettings, main: Document, chosen: str) -> str:
    if fonds.scheme == ClassScheme.NONE:
        return ""
    if fonds.scheme == ClassScheme.SUBJECT:
        chosen = (chosen or "").strip().upper()
        if not ArchiveClassCode.objects.filter(fonds=fonds, code=chosen).exists():
            raise ArchiveError({"class_code": _("Choose one of the unit's subject codes.")})
        return chosen
    department = organisation_department(main)
    code = ArchiveClassCode.objects.filter(fonds=fonds, department=department).first()
    if department is None or code is None:
        raise ArchiveError(
            {
                "class_code": _(
                    "The department “%(department)s” has no organisation code: set it in the "
                    "archive settings first."
                )
                % {"department": department.name if department else "—"}
            }
        )
    return code.code


def _next_number(fonds: FondsSettings, year: int, retention: str, class_code: str) -> int:
    """The class's next item number, its counter row locked until the filing commits."""
    key = {"fonds": fonds, "year": year, "retention": retention, "class_code": class_code}
    ItemCounter.objects.bulk_create([ItemCounter(**key)], ignore_conflicts=True)
    counter = ItemCounter.objects.select_for_update().get(**key)
    counter.last_number += 1
    counter.save(update_fields=["last_number"])
    return counter.last_number


def archive_code(fonds: FondsSettings, year: int, retention: str, class_code: str, number: int):
    """档号 全宗号-门类代码·年度-保管期限代码-机构代码-件号 (DA/T 22 §7.1); without a class code
    its part is left out."""
    parts = [f"{fonds.fonds_code}-{fonds.category_code}·{year}", retention]
    if class_code:
        parts.append(class_code)
    parts.append(f"{number:04d}")
    return "-".join(parts)


class _Files:
    """The item's files as they are written, so that a failed filing removes them again."""

    def __init__(self, item: ArchiveItem):
        self.item, self.position, self.written = item, 0, []

    def add(self, kind: str, name: str, data: bytes, pages=None, suffix: str = ".pdf") -> None:
        self.position += 1
        stored = f"{self.item.archive_code.replace('·', '-')}-{self.position:02d}-{kind}{suffix}"
        record = ArchiveFile(
            item=self.item,
            kind=kind,
            position=self.position,
            name=name[:200],
            sha256=hashlib.sha256(data).hexdigest(),
            size=len(data),
            pages=pages,
        )
        record.file.save(stored, ContentFile(data), save=False)
        self.written.append(record.file.name)
        record.save()

    def remove(self) -> None:
        for name in self.written:
            default_storage.delete(name)


def file_item(
    user: User,
    fonds: FondsSettings,
    documents,
    *,
    retention: str = "",
    reason: str = "",
    class_code: str = "",
    access: str = ArchiveItem.Access.CONTROLLED,
    remarks: str = "",
) -> ArchiveItem:
    """File closed documents of the unit as one item (件), the first its main document: numbered
    in its class under the counter's row lock, stamped, converted to PDF/A, its originals kept
    byte for byte beside, its integrity checked. Nothing is written unless all of it succeeds."""
    _require(
        permissions.is_archivist(user, fonds), _("Only the unit's archivist may file documents.")
    )
    ids = [d.pk if isinstance(d, Document) else d for d in documents]
    if not ids:
        raise ArchiveError(_("Choose at least one document to file."))
    if len(set(ids)) != len(ids) or len(ids) > MAX_DOCUMENTS_PER_ITEM:
        raise ArchiveError(
            _("An item holds 1 to %(count)s different documents.")
            % {"count": MAX_DOCUMENTS_PER_ITEM}
        )
    reason, remarks = (reason or "").strip(), (remarks or "").strip()
    if len(reason) > MAX_TEXT or len(remarks) > MAX_TEXT:
        raise ArchiveError(_("The reason and the remarks take at most 300 characters each."))
    if access not in ArchiveItem.Access.values:
        raise ArchiveError({"access": _("Choose how the item may be read.")})
    files = None
    try:
        with transaction.atomic():
            chosen = _checked_documents(fonds, ids)
            main = chosen[0]
            default = default_retention(fonds, main)
            retention = retention or default
            if retention not in Retention.values:
                raise ArchiveError({"retention": _("Choose a retention.")})
            if retention != default and not reason:
                raise ArchiveError(
                    {"reason": _("Give a reason for a retention other than the default.")}
                )
            code = _class_code(fonds, main, class_code)
            integrity = _verified(chosen)
            year, day = _year_and_date(main)
            main_pdf = _main_pdf(main) or processing_form_pdf(main, user)
            pages = page_count(main_pdf)
            number = _next_number(fonds, year, retention, code)
            item = ArchiveItem.objects.create(
                fonds=fonds,
                year=year,
                retention=retention,
                retention_reason=reason if retention != default else "",
                class_code=code,
                item_number=number,
                archive_code=archive_code(fonds, year, retention, code, number),
                doc_number=(
                    main.number_text if isinstance(main, OutgoingDocument) else main.sender_number
                ),
                responsible=_responsible(main)[:200],
                title=main.title,
                document_date=day,
                pages=pages,
                classification=main.classification,
                remarks=remarks,
                access=access,
                audience=_audience(chosen),
                trace_verified=True,
                trace_head=integrity.trace_head,
                seal_verdict=integrity.seal_verdict,
                filed_by=user,
            )
            ArchivedDocument.objects.bulk_create(
                ArchivedDocument(item=item, document=d, role=_role(main, d), position=n)
                for n, d in enumerate(chosen, 1)
            )
            files = _Files(item)
            _write_files(files, item, chosen, main_pdf, pages, user)
    except BaseException:
        if files is not None:
            files.remove()
        raise
    return item


def _role(main: Document, document: Document) -> str:
    if document.pk == main.pk:
        return ArchivedDocument.Role.MAIN
    process = IncomingProcess.objects.filter(document_id=document.pk).first()
    if process is not None and process.reply_document_id == main.pk:
        return ArchivedDocument.Role.REQUEST
    return ArchivedDocument.Role.RELATED


def _write_files(files: _Files, item, documents, main_pdf: bytes, pages: int, user) -> None:
    with translation.override(settings.LANGUAGE_CODE):
        cells = StampCells(
            fonds_code=item.fonds.fonds_code,
            year=item.year,
            item_number=item.item_number,
            class_code=item.class_code,
            retention=str(Retention(item.retention).label),
            pages=pages,
        )
        preservation = to_pdfa(stamped(main_pdf, cells)[0], item.archive_code)
        files.add(
            ArchiveFile.Kind.PRESERVATION,
            f"{item.archive_code}.pdf",
            preservation,
            page_count(preservation),
        )
        for document in documents:
            original = _main_pdf(document)
            if original is not None:
                files.add(
                    ArchiveFile.Kind.ORIGINAL,
                    f"{document.title}.pdf",
                    original,
                    page_count(original),
                )
            form = processing_form_pdf(document, user)
            files.add(ArchiveFile.Kind.FORM, f"{_form_name(document)}.pdf", form, page_count(form))
            for attachment in document.attachments.exclude(is_paper_only=True).order_by("order"):
                with attachment.file.open("rb") as handle:
                    data = handle.read()
                suffix = PurePosixPath(attachment.file.name).suffix[:10]
                files.add(ArchiveFile.Kind.ATTACHMENT, attachment.name, data, suffix=suffix)


def _form_name(document: Document) -> str:
    if isinstance(document, OutgoingDocument):
        return _("Outgoing processing form") + f" {document.number_text or document.pk}"
    return _("Incoming processing form") + f" {document.number_text or document.pk}"

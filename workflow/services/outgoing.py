"""The outgoing document (发文): drafting and editing, and the action of each step of its flow,
from draft to dispatch. Acting, returning, withdrawing, reassigning and tracing are the
engine's (`workflow.services.engine`); these functions add what each step decides."""

from collections.abc import Sequence

from django.core.exceptions import PermissionDenied, ValidationError
from django.core.files.base import ContentFile
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _
from viewflow.workflow.models import Task

from people.models import OrgUnit, User

from .. import permissions, trace
from ..flows import OutgoingFlow
from ..models import (
    Classification,
    Direction,
    DocumentRecipient,
    DocumentSigner,
    DocumentType,
    OutgoingDocument,
    Route,
    TraceEntry,
    Urgency,
)
from ..steps import PROCESS_STEP
from . import engine
from .documents import (
    RecipientInput,
    check_classification,
    enqueue_search,
    set_recipients,
    validated_fields,
)
from .engine import choose_next, clean_opinion, complete, forward, one_of
from .errors import DocumentError, require
from .exchange import deliveries_create
from .uploads import set_body_file

Action = TraceEntry.Action

# Elements only some formats print (份号, 命令's signatory, 纪要's lists); see workflow/redhead.
PRINT_FIELDS = {"copy_numbered", "signatory_title", "attendees", "absentees", "observers"}
# Kept one line (a title line, a name) a line, whatever line ends the browser sent.
LINE_FIELDS = ("title", "attendees", "absentees", "observers")
EDITABLE_FIELDS = {
    "doc_type",
    "title",
    "classification",
    "urgency",
    "direction",
    "body",
    "attachment_note",
    "remarks",
    "copies",
    "printing_unit",
    *PRINT_FIELDS,
}


def _outgoing_fields(values: dict) -> dict:
    """The elements checked as for every document, and as the printed formats need them: one
    line a line, a title the red-head can print, a signatory's title that fits."""
    values = dict(values)
    for name in LINE_FIELDS:
        if name in values:
            lines = (line.strip() for line in (values[name] or "").splitlines())
            values[name] = "\n".join(line for line in lines if line)
    values = validated_fields(values)
    if "title" in values:
        from ..redhead.titles import check_title

        try:
            check_title(values["title"])
        except ValidationError as error:
            raise DocumentError({"title": error.messages}) from error
    if len(values.get("signatory_title", "")) > 30:
        raise DocumentError(
            {"signatory_title": _("The signatory's title is too long (at most 30 characters).")}
        )
    return values


@transaction.atomic
def document_create(
    *,
    user: User,
    doc_type: str,
    title: str,
    classification: str = Classification.NON_SECRET,
    urgency: str = Urgency.NORMAL,
    direction: str = Direction.DOWNWARD,
    body: str = "",
    body_file=None,
    attachment_note: str = "",
    remarks: str = "",
    copies: int = 1,
    printing_unit: str = "",
    main_recipients: Sequence[RecipientInput] = (),
    copy_recipients: Sequence[RecipientInput] = (),
    drafting_department: OrgUnit | None = None,
    **print_fields,
) -> OutgoingDocument:
    """Start an outgoing document: the draft (拟稿) task waits for its drafter. `print_fields`
    are any of PRINT_FIELDS."""

    require(permissions.can_create_document(user))
    if set(print_fields) - PRINT_FIELDS:
        raise TypeError(f"Unknown fields: {', '.join(sorted(set(print_fields) - PRINT_FIELDS))}")
    check_classification(classification)
    department = drafting_department or user.department
    if (
        department.pk != user.department_id
        and not user.concurrent_posts.filter(department=department).exists()
    ):
        raise DocumentError(
            {"drafting_department": _("You can only draft for a department you belong to.")}
        )
    values = _outgoing_fields(
        {
            "doc_type": doc_type,
            "title": title,
            "classification": classification,
            "urgency": urgency,
            "direction": direction,
            "body": body,
            "attachment_note": attachment_note,
            "remarks": remarks,
            "copies": copies,
            "printing_unit": printing_unit,
            **print_fields,
        }
    )
    document = OutgoingDocument(
        **values, unit=department.unit, drafting_department=department, drafter=user
    )
    if body_file is not None:
        set_body_file(document, body_file)
    document.save()
    set_recipients(document, DocumentRecipient.Kind.MAIN, main_recipients)
    set_recipients(document, DocumentRecipient.Kind.COPY, copy_recipients)
    engine.process_start(OutgoingFlow, document, user)
    enqueue_search(document)
    return document


@transaction.atomic
def document_update(
    *,
    document: OutgoingDocument,
    user: User,
    main_recipients: Sequence[RecipientInput] | None = None,
    copy_recipients: Sequence[RecipientInput] | None = None,
    body_file=None,
    **changes,
) -> OutgoingDocument:
    """Edit the elements while the document is at its drafter (first draft or returned)."""
    unknown = set(changes) - EDITABLE_FIELDS
    if unknown:
        raise TypeError(f"Not editable: {', '.join(sorted(unknown))}")
    document = OutgoingDocument.objects.select_for_update().get(pk=document.pk)
    task = engine.editing_task(document, user)
    values = _outgoing_fields(changes)
    check_classification(values.get("classification", document.classification))
    changed = [name for name, value in values.items() if getattr(document, name) != value]
    for name, value in values.items():
        setattr(document, name, value)
    if body_file is not None:
        set_body_file(document, body_file)
        changed.append("body_file")
    document.save()
    if main_recipients is not None:
        set_recipients(document, DocumentRecipient.Kind.MAIN, main_recipients)
        changed.append("main_recipients")
    if copy_recipients is not None:
        set_recipients(document, DocumentRecipient.Kind.COPY, copy_recipients)
        changed.append("copy_recipients")
    if changed:
        engine.trace_edit(document, task, user, {"fields": changed})
    return document


def draft_submit(
    *, task: Task, user: User, department_head: User | None, opinion: str = ""
) -> None:
    """The drafter sends the draft to the head of the drafting department (核稿)."""
    with engine.acting(task, user, step="draft") as acting:
        document = acting.document
        check_classification(document.classification)
        if not document.recipients.filter(kind=DocumentRecipient.Kind.MAIN).exists():
            raise DocumentError(_("Add at least one main recipient (主送)."))
        check_request_recipients(document)
        if not document.body.strip() and not document.body_file:
            raise DocumentError(_("Write the body or upload it as a Word file."))
        choose_next(
            acting,
            "department_head",
            department_head,
            permissions.department_head_candidates(document.drafting_department),
            _("Choose the head of the drafting department."),
        )
        forward(acting)
        if document.status == OutgoingDocument.Status.DRAFT:
            document.status = OutgoingDocument.Status.IN_PROGRESS
            document.save(update_fields=["status", "updated_at"])
        complete(acting, action=Action.SUBMIT, opinion=clean_opinion(opinion))


def check_approve(*, task: Task, user: User, verifier: User | None, opinion: str = "") -> None:
    """The department head approves and chooses the office verifier (审核)."""
    with engine.acting(task, user, step="check") as acting:
        checked_by = (acting.task.owner_id, acting.user.pk)
        if verifier is not None and verifier.pk in checked_by:
            raise DocumentError(
                {"verifier": _("Whoever checked the document cannot also review it.")}
            )
        choose_next(
            acting,
            "verifier",
            verifier,
            permissions.verifier_candidates(acting.document.unit, checked_by=checked_by),
            _("Choose the office verifier."),
        )
        forward(acting)
        complete(acting, action=Action.APPROVE, opinion=clean_opinion(opinion))


def verify_approve(
    *,
    task: Task,
    user: User,
    signers: Sequence[User],
    countersign_departments: Sequence[OrgUnit] = (),
    opinion: str = "",
) -> None:
    """The office verifier approves, chooses the countersigning departments (0..n) and the
    signing leader(s) in signing order."""
    with engine.acting(task, user, step="verify") as acting:
        unit = acting.document.unit
        check_request_recipients(acting.document)
        if not signers:
            raise DocumentError({"signers": _("Choose the signing leader(s).")})
        leaders = permissions.leader_candidates(unit)
        for signer in signers:
            one_of(signer, leaders, "signers", _("Choose signing leaders of this unit."))
        if len({signer.pk for signer in signers}) != len(signers):
            raise DocumentError({"signers": _("Each leader signs once.")})
        drafting_department = acting.document.drafting_department
        allowed_departments = permissions.countersign_departments(
            unit, drafting_department=drafting_department
        )
        for department in countersign_departments:
            if department.pk == drafting_department.pk:
                raise DocumentError(
                    {
                        "countersign_departments": _(
                            "The drafting department does not countersign its own document."
                        )
                    }
                )
            if not allowed_departments.filter(pk=department.pk).exists():
                raise DocumentError(
                    {
                        "countersign_departments": _(
                            "Choose departments of this unit that have a head."
                        )
                    }
                )
        document = acting.document
        document.signer_entries.all().delete()
        DocumentSigner.objects.bulk_create(
            DocumentSigner(document=document, user=signer, order=order)
            for order, signer in enumerate(signers, 1)
        )
        acting.process.countersign_departments.set(countersign_departments)
        forward(acting)
        complete(acting, action=Action.APPROVE, opinion=clean_opinion(opinion))


def countersign_approve(*, task: Task, user: User, opinion: str = "") -> None:
    """A countersigning department head gives their opinion (会签)."""
    with engine.acting(task, user, step="countersign") as acting:
        forward(acting)
        department = OrgUnit.objects.filter(pk=acting.task.data.get("department")).first()
        extra = {"department": department.name} if department else {}
        complete(acting, action=Action.COUNTERSIGN, opinion=clean_opinion(opinion), extra=extra)


def sign_off_approve(
    *, task: Task, user: User, opinion: str = "", clerk: User | None = None
) -> None:
    """A leader signs off (签发). The last signer's date becomes the date of writing (成文日期)
    and the last signer chooses the document clerk who numbers it."""
    with engine.acting(task, user, step="sign_off") as acting:
        document = acting.document
        entry = document.signer_entries.filter(
            user=acting.responsible, signed_at__isnull=True
        ).first()
        if entry is None:
            raise DocumentError(_("You are not among the signers of this document."))
        entry.signed_at = timezone.now()
        entry.save(update_fields=["signed_at"])
        if not document.signer_entries.filter(signed_at__isnull=True).exists():
            candidates = permissions.clerk_candidates(document.unit)
            if clerk is None and acting.process.clerk_id:
                clerk = acting.process.clerk
            if clerk is None and candidates.count() == 1:
                clerk = candidates.get()
            choose_next(
                acting, "clerk", clerk, candidates, _("Choose the document clerk who numbers it.")
            )
            document.written_on = timezone.localdate()
            document.save(update_fields=["written_on", "updated_at"])
        forward(acting)
        complete(acting, action=Action.SIGN_OFF, opinion=clean_opinion(opinion) or _("Agreed."))


def sign_off_reject(*, task: Task, user: User, reason: str) -> None:
    """A leader does not agree (不同意): the process ends as rejected."""
    with engine.acting(task, user, step="sign_off") as acting:
        reason = clean_opinion(reason)
        if not reason:
            raise DocumentError({"opinion": _("Give the reason for rejecting.")})
        document = acting.document
        document.status = OutgoingDocument.Status.REJECTED
        document.closed_at = timezone.now()
        document.save(update_fields=["status", "closed_at", "updated_at"])
        acting.process.route = Route.REJECT
        acting.process.save(update_fields=["route"])
        complete(acting, action=Action.REJECT, opinion=reason)


def number_assign(*, task: Task, user: User, prefix=None, opinion: str = "") -> None:
    """The document clerk gives the next number of the chosen prefix (编号), inside this
    step's transaction. A document returned after numbering keeps its number."""
    from ..numbering.permissions import prefixes_for
    from ..numbering.services import assign_number

    with engine.acting(task, user, step="numbering") as acting:
        document = acting.document
        extra = {}
        if document.number_id is None:
            if prefix is None or not prefixes_for(document.unit).filter(pk=prefix.pk).exists():
                raise DocumentError({"prefix": _("Choose a prefix (代字) of this unit.")})
            check_prefix_kind(document, prefix)
            issued = assign_number(prefix=prefix, user=acting.responsible, subject=document.title)
            document.number = issued
            document.number_text = issued.text
            document.save(update_fields=["number", "number_text", "updated_at"])
        else:
            extra["kept"] = True
        extra["number"] = document.number_text
        forward(acting)
        complete(acting, action=Action.NUMBER, opinion=clean_opinion(opinion), extra=extra)


def check_prefix_kind(document: OutgoingDocument, prefix) -> None:
    """An order (命令) is numbered from an order prefix (第N号, counted on its own); every other
    type from a document prefix (代字〔年〕N号)."""
    is_order = document.doc_type == DocumentType.ORDER
    if is_order and not prefix.is_order:
        raise DocumentError(
            {"prefix": _("An order (命令) takes its number from an order prefix (第N号).")}
        )
    if prefix.is_order and not is_order:
        raise DocumentError(
            {"prefix": _("Only an order (命令) takes its number from an order prefix (第N号).")}
        )


def check_request_recipients(document: OutgoingDocument) -> None:
    """A request (请示) is addressed to exactly one body (gongwen.md §2)."""
    if document.doc_type != DocumentType.REQUEST:
        return
    count = document.recipients.filter(kind=DocumentRecipient.Kind.MAIN).count()
    if count != 1:
        raise DocumentError(
            _("A request (请示) is addressed to exactly one main recipient; it names %(count)s.")
            % {"count": count}
        )


def _redhead_pdf(document: OutgoingDocument) -> tuple[bytes, str]:
    from ..redhead import documents
    from ..redhead import services as redhead

    data = documents.document_pdf(document)
    return data, redhead.sha256_hex(data)


def red_head_render(*, task: Task, user: User, opinion: str = "") -> None:
    """The clerk typesets the signed, numbered document with the red head (套红); the PDF is
    stored with the document and its SHA-256 goes into the trace."""
    # Rendering takes seconds: it happens before the step's transaction, which holds the
    # database's write lock (SQLite: the whole database). The step then makes sure the document
    # did not change in between.
    engine.may_act(task, user, "red_head")
    rendered = OutgoingDocument.objects.get(process__pk=task.process_id)
    if not rendered.number_text:
        raise DocumentError(_("The document has no number yet."))
    if rendered.printed_on is None:
        rendered.printed_on = timezone.localdate()
    data, digest = _redhead_pdf(rendered)
    with engine.acting(task, user, step="red_head") as acting:
        document = acting.document
        if document.updated_at != rendered.updated_at:
            raise DocumentError(
                _("The document changed while it was being typeset. Please try again.")
            )
        document.printed_on = rendered.printed_on
        acting.files.save(document.final_pdf, f"{document.pk}-{digest[:12]}.pdf", ContentFile(data))
        document.final_pdf_sha256 = digest
        document.save(update_fields=["final_pdf", "final_pdf_sha256", "printed_on", "updated_at"])
        forward(acting)
        complete(
            acting,
            action=Action.RENDER,
            opinion=clean_opinion(opinion),
            extra={"sha256": digest, "bytes": len(data)},
        )


def proofread_confirm(
    *,
    task: Task,
    user: User,
    opinion: str = "",
    seal_keeper: User | None = None,
    clerk: User | None = None,
) -> None:
    """The drafter confirms the typeset text (校对) and hands it to the unit's seal keeper (the
    only one, or the one chosen); the clerk who dispatches may be changed."""
    with engine.acting(task, user, step="proofread") as acting:
        unit = acting.document.unit
        keepers = permissions.seal_keeper_candidates(unit)
        if seal_keeper is None and acting.process.seal_keeper_id:
            seal_keeper = acting.process.seal_keeper
        if seal_keeper is None and keepers.count() == 1:
            seal_keeper = keepers.get()
        choose_next(
            acting,
            "seal_keeper",
            seal_keeper,
            keepers,
            _("Choose the seal keeper of this unit (a unit administrator grants the role)."),
        )
        if clerk is not None:
            choose_next(
                acting,
                "clerk",
                clerk,
                permissions.clerk_candidates(unit),
                _("Choose a document clerk of this unit."),
            )
        forward(acting)
        complete(acting, action=Action.PROOFREAD, opinion=clean_opinion(opinion))


def _sealed_pdf(data: bytes, unit: OrgUnit, user: User, *, pressed: bool = True):
    """`data` sealed by the unit (a `SealedPdf`), or None when it already carries a valid seal
    of this installation: a return after sealing brought the document back to this step."""
    from ..seal import services as seal
    from ..seal.verification import verify

    if verify(data).is_valid:
        return None
    return seal.apply_seal(data, unit, user, pressed=pressed)


def seal_apply(*, task: Task, user: User, opinion: str = "") -> None:
    """The unit's seal keeper seals the proof-read red-head PDF (用印): the seal over the
    signature and date, and a PAdES signature with the unit's key. The sealed PDF becomes the
    document's final PDF; its SHA-256 and the signer (certificate subject and serial) go into
    the trace. Minutes (纪要) are signed without the seal image. Only a seal keeper of the
    document's unit may; a unit without a seal is told so and nothing changes."""
    from ..seal.errors import SealError
    from ..seal.services import check_may_seal

    # Signing takes about a second: it happens before the step's transaction, like the
    # red-head rendering, and the step then makes sure the document did not change meanwhile.
    engine.may_act(task, user, "seal")
    unsealed = OutgoingDocument.objects.select_related("unit").get(process__pk=task.process_id)
    if not unsealed.final_pdf:
        raise DocumentError(_("The red-head PDF is missing; typeset it first."))
    try:
        check_may_seal(unsealed.unit, user)
        with unsealed.final_pdf.open("rb") as file:
            sealed = _sealed_pdf(
                file.read(), unsealed.unit, user, pressed=unsealed.doc_type != DocumentType.MINUTES
            )
    except (SealError, PermissionDenied) as error:
        raise DocumentError(_message(error)) from error
    with engine.acting(task, user, step="seal") as acting:
        document = acting.document
        if document.updated_at != unsealed.updated_at:
            raise DocumentError(
                _("The document changed while it was being sealed. Please try again.")
            )
        if sealed is None:
            extra = {"sha256": document.final_pdf_sha256, "kept": True}
        else:
            name = f"{document.pk}-{sealed.sha256[:12]}-sealed.pdf"
            acting.files.save(document.final_pdf, name, ContentFile(sealed.data))
            document.final_pdf_sha256 = sealed.sha256
            document.save(update_fields=["final_pdf", "final_pdf_sha256", "updated_at"])
            extra = {"sha256": sealed.sha256, "signer": sealed.signer, "serial": sealed.serial}
        forward(acting)
        complete(acting, action=Action.SEAL, opinion=clean_opinion(opinion), extra=extra)


def _message(error: Exception) -> str:
    return error.messages[0] if hasattr(error, "messages") else str(error)


def dispatch_send(*, task: Task, user: User, opinion: str = "") -> None:
    """The clerk sends the sealed document to every recipient (分发): each recipient unit
    finds it in its 待签收 list, in this same transaction. The clerk closes it (办结)
    afterwards, or it closes itself once every recipient unit has signed for it."""
    with engine.acting(task, user, step="dispatch") as acting:
        document = acting.document
        if not document.final_pdf:
            raise DocumentError(_("The red-head PDF is missing; typeset it first."))
        now = timezone.now()
        recipients = list(document.recipients.select_related("org_unit"))
        for recipient in recipients:
            recipient.status = DocumentRecipient.DispatchStatus.SENT
            recipient.sent_at = now
        DocumentRecipient.objects.bulk_update(recipients, ["status", "sent_at"])
        document.status = OutgoingDocument.Status.DISPATCHED
        document.dispatched_at = now
        document.save(update_fields=["status", "dispatched_at", "updated_at"])
        deliveries_create(document, files=acting.files, now=now)
        forward(acting)
        complete(
            acting,
            action=Action.DISPATCH,
            opinion=clean_opinion(opinion),
            extra={"recipients": [r.name for r in recipients]},
        )


STEP_ACTIONS = {
    "draft": draft_submit,
    "check": check_approve,
    "verify": verify_approve,
    "countersign": countersign_approve,
    "sign_off": sign_off_approve,
    "numbering": number_assign,
    "red_head": red_head_render,
    "proofread": proofread_confirm,
    "seal": seal_apply,
    "dispatch": dispatch_send,
}


def _drafter_may_cancel(document: OutgoingDocument, user: User) -> bool:
    return document.drafter_id == user.pk and document.number_id is None


def _void_number(document: OutgoingDocument, user: User, reason: str) -> None:
    from ..numbering.services import void_number

    if document.number_id is not None and not document.number.is_void:
        void_number(number=document.number, user=user, reason=reason)
        trace.append(
            document,
            step=PROCESS_STEP,
            action=Action.VOID_NUMBER,
            actor=user,
            role="process_admin",
            opinion=reason,
            extra={"number": document.number_text},
        )


def process_cancel(*, document: OutgoingDocument, user: User, reason: str) -> None:
    """Cancel the process (the unit's process administrator; the drafter while the document
    has never left their hands). A number already given is voided with the reason."""
    engine.process_cancel(
        document=document,
        user=user,
        reason=reason,
        starter_may_cancel=_drafter_may_cancel,
        on_cancel=_void_number,
    )

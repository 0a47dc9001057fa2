"""Operations on outgoing documents: drafting, each step of the process, returns, withdrawals,
rejection, reassignment, cancellation and delegations.

Every action runs in one transaction: the process row and the task row are locked
(SELECT … FOR UPDATE), the task's status is checked again, the actor's right is checked through
`workflow.permissions`, the decision is written on the process, viewflow completes the task and
routes on it, and a trace entry is appended. Bad input raises `DocumentError` (a
ValidationError with a translated message) and changes nothing; a task someone else has just
handled raises `TaskAlreadyHandled`.
"""

from collections.abc import Iterable, Sequence
from contextlib import contextmanager
from dataclasses import dataclass
from datetime import date

import nh3
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.files.base import ContentFile
from django.db import transaction
from django.utils import timezone
from django.utils.html import escape
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from viewflow.workflow.models import Task
from viewflow.workflow.status import STATUS

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
from intranet.transaction_files import TransactionFiles, atomic_with_files
from people.models import OrgUnit, User
from people.permissions import is_system_admin

from . import permissions, trace
from .models import (
    ALLOWED_CLASSIFICATIONS,
    Classification,
    Delegation,
    Direction,
    DocumentAttachment,
    DocumentRecipient,
    DocumentSigner,
    DocumentType,
    OutgoingDocument,
    OutgoingProcess,
    TraceEntry,
    Urgency,
)
from .steps import STEPS

Action = TraceEntry.Action

STEP_ROLES = {
    "draft": "drafter",
    "check": "department_head",
    "verify": "verifier",
    "countersign": "countersigner",
    "sign_off": "leader",
    "numbering": "file_clerk",
    "red_head": "file_clerk",
    "proofread": "drafter",
    "dispatch": "file_clerk",
}
ROLE_TITLES = {
    "drafter": gettext_lazy("Drafter"),
    "department_head": gettext_lazy("Department head"),
    "verifier": gettext_lazy("Office verifier"),
    "countersigner": gettext_lazy("Countersigning department"),
    "leader": gettext_lazy("Signing leader"),
    "file_clerk": gettext_lazy("Document clerk"),
    "process_admin": gettext_lazy("Process administrator"),
}
COMMON_PHRASES = (
    gettext_lazy("Agreed."),
    gettext_lazy("Agreed in principle, submitted for approval."),
    gettext_lazy("Please revise and resubmit."),
    gettext_lazy("Read."),
    gettext_lazy("Please review and instruct."),
)
ACTIVE = permissions.ACTIVE_TASK_STATUSES
BODY_TAGS = {"p", "br", "strong", "b", "em", "i", "u", "sub", "sup", "span"} | {
    "h1",
    "h2",
    "h3",
    "h4",
    "ul",
    "ol",
    "li",
    "table",
    "thead",
    "tbody",
    "tr",
    "th",
    "td",
}


class DocumentError(ValidationError):
    """Bad input to a document action; the message is translated and nothing was changed."""


class TaskAlreadyHandled(DocumentError):
    def __init__(self):
        super().__init__(
            _("This task has already been handled (or withdrawn); nothing was changed.")
        )


def _require(allowed: bool) -> None:
    if not allowed:
        raise PermissionDenied(_("You are not allowed to do this."))


def _enqueue_search(document: OutgoingDocument) -> None:
    try:
        from search.outbox import enqueue
    except ImportError:  # the search app is optional for this app's own tests
        return
    enqueue("document", str(document.pk))


# Validation -----------------------------------------------------------------------------


def check_classification(value: str) -> None:
    """Classified documents (秘密, 机密, 绝密) never enter the system (gongwen.md §1)."""
    if value not in Classification.values:
        raise DocumentError({"classification": _("Choose a valid classification.")})
    if value not in ALLOWED_CLASSIFICATIONS:
        raise DocumentError(
            {
                "classification": _(
                    "Classified documents (secret, confidential, top secret) must not be "
                    "processed in this system. Handle them on paper through the confidential "
                    "channel."
                )
            }
        )


def _checked_upload(upload, policy: Policy) -> FileKind:
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


def clean_body(html: str) -> str:
    return nh3.clean(html or "", tags=BODY_TAGS, attributes={}, link_rel=None).strip()


RecipientInput = OrgUnit | str


def _set_recipients(document: OutgoingDocument, kind: str, items: Iterable[RecipientInput]):
    document.recipients.filter(kind=kind).delete()
    seen = set()
    rows = []
    for order, item in enumerate(items):
        if isinstance(item, OrgUnit):
            if item.pk in seen:
                continue
            seen.add(item.pk)
            rows.append(DocumentRecipient(document=document, kind=kind, org_unit=item, order=order))
        else:
            name = (item or "").strip()
            if not name:
                continue
            if len(name) > 100:
                raise DocumentError(_("A recipient's name is too long (at most 100 characters)."))
            rows.append(
                DocumentRecipient(document=document, kind=kind, outside_name=name, order=order)
            )
    DocumentRecipient.objects.bulk_create(rows)


# Drafting -------------------------------------------------------------------------------

# Elements only some formats print (份号, 命令's signatory, 纪要's lists); see workflow/redhead.
PRINT_FIELDS = {"copy_numbered", "signatory_title", "attendees", "absentees", "observers"}
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


def _validated_fields(values: dict) -> dict:
    values = dict(values)
    if "classification" in values:
        check_classification(values["classification"])
    if "doc_type" in values and values["doc_type"] not in DocumentType.values:
        raise DocumentError({"doc_type": _("Choose a document type.")})
    if "urgency" in values and values["urgency"] not in Urgency.values:
        raise DocumentError({"urgency": _("Choose a valid urgency.")})
    if "direction" in values and values["direction"] not in Direction.values:
        raise DocumentError({"direction": _("Choose a valid direction.")})
    for name in ("title", "attendees", "absentees", "observers"):
        if name in values:
            # One name (or title line) a line, whatever line ends the browser sent.
            lines = (line.strip() for line in (values[name] or "").splitlines())
            values[name] = "\n".join(line for line in lines if line)
    if "title" in values:
        values["title"] = (values["title"] or "").strip()
        if not values["title"]:
            raise DocumentError({"title": _("Enter the title.")})
        if len(values["title"]) > 200:
            raise DocumentError({"title": _("The title is too long (at most 200 characters).")})
        _check_printable_title(values["title"])
    if len(values.get("signatory_title", "")) > 30:
        raise DocumentError(
            {"signatory_title": _("The signatory's title is too long (at most 30 characters).")}
        )
    if "body" in values:
        values["body"] = clean_body(values["body"])
    if "copies" in values and (not isinstance(values["copies"], int) or values["copies"] < 1):
        raise DocumentError({"copies": _("The number of copies must be at least 1.")})
    return values


def _check_printable_title(title: str) -> None:
    from .redhead.titles import check_title

    try:
        check_title(title)
    except ValidationError as error:
        raise DocumentError({"title": error.messages}) from error


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
    from .flows import OutgoingFlow

    _require(permissions.can_create_document(user))
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
    values = _validated_fields(
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
        kind = _checked_upload(body_file, DOCUMENT_BODY)
        document.body_file_name = body_file.name[:200]
        document.body_file = body_file
        if not document.body:
            document.body = clean_body(body_from_word(body_file, kind))
    document.save()
    _set_recipients(document, DocumentRecipient.Kind.MAIN, main_recipients)
    _set_recipients(document, DocumentRecipient.Kind.COPY, copy_recipients)
    OutgoingFlow.start.run(document=document)
    trace.append(document, step="draft", action=Action.CREATE, actor=user, role=STEP_ROLES["draft"])
    _enqueue_search(document)
    return document


def _draft_task(document: OutgoingDocument, user: User) -> Task:
    task = (
        Task.objects.filter(
            process_id=document.process.pk, flow_task_type="HUMAN", status__in=ACTIVE
        )
        .order_by("-pk")
        .first()
    )
    if task is None or task.flow_task.name != "draft" or task.owner_id != user.pk:
        raise PermissionDenied(_("Only the drafter may edit the document while drafting."))
    return task


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
    _draft_task(document, user)
    values = _validated_fields(changes)
    check_classification(values.get("classification", document.classification))
    changed = [name for name, value in values.items() if getattr(document, name) != value]
    for name, value in values.items():
        setattr(document, name, value)
    if body_file is not None:
        kind = _checked_upload(body_file, DOCUMENT_BODY)
        document.body_file_name = body_file.name[:200]
        document.body_file = body_file
        if not document.body:
            document.body = clean_body(body_from_word(body_file, kind))
        changed.append("body_file")
    document.save()
    if main_recipients is not None:
        _set_recipients(document, DocumentRecipient.Kind.MAIN, main_recipients)
        changed.append("main_recipients")
    if copy_recipients is not None:
        _set_recipients(document, DocumentRecipient.Kind.COPY, copy_recipients)
        changed.append("copy_recipients")
    if changed:
        trace.append(
            document,
            step="draft",
            action=Action.EDIT,
            actor=user,
            role=STEP_ROLES["draft"],
            extra={"fields": changed},
        )
        _enqueue_search(document)
    return document


@transaction.atomic
def attachment_add(
    *,
    document: OutgoingDocument,
    user: User,
    name: str = "",
    file=None,
    is_paper_only: bool = False,
) -> DocumentAttachment:
    """An electronic attachment (checked by real type and size) or a paper-only one (纸质)."""
    document = OutgoingDocument.objects.select_for_update().get(pk=document.pk)
    _draft_task(document, user)
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
        attachment.content_type = _checked_upload(file, DOCUMENT_ATTACHMENTS).content_type
        attachment.size = file.size
        attachment.file = file
    attachment.save()
    trace.append(
        document,
        step="draft",
        action=Action.EDIT,
        actor=user,
        role=STEP_ROLES["draft"],
        extra={"attachment_added": name, "paper_only": is_paper_only},
    )
    _enqueue_search(document)
    return attachment


@transaction.atomic
def attachment_remove(*, attachment: DocumentAttachment, user: User) -> None:
    document = OutgoingDocument.objects.select_for_update().get(pk=attachment.document_id)
    _draft_task(document, user)
    name = attachment.name
    attachment.delete()
    trace.append(
        document,
        step="draft",
        action=Action.EDIT,
        actor=user,
        role=STEP_ROLES["draft"],
        extra={"attachment_removed": name},
    )
    _enqueue_search(document)


# Acting on a task -----------------------------------------------------------------------


@dataclass
class Acting:
    """A task locked for an action, its process and document, and whom the actor represents."""

    task: Task
    process: OutgoingProcess
    document: OutgoingDocument
    user: User
    on_behalf_of: User | None

    files: TransactionFiles

    @property
    def step(self) -> str:
        return self.task.flow_task.name

    @property
    def responsible(self) -> User:
        """The user whose task it is (the leader when a deputy acts)."""
        return self.on_behalf_of or self.user


def _may_act(task: Task, user: User, step: str | None) -> User | None:
    """Whom the user represents on this open task; refuses a closed task, another step, or a
    user the task is not for."""
    if task.status not in ACTIVE:
        raise TaskAlreadyHandled()
    if step is not None and task.flow_task.name != step:
        raise DocumentError(_("This task is not at that step."))
    try:
        return permissions.acting_for(user, task)
    except PermissionError:
        raise PermissionDenied(_("This task is not yours.")) from None


@contextmanager
def _acting(task: Task, user: User, *, step: str | None = None):
    """Lock process and task, re-check the task is still open and the user may act on it.
    Files saved through `acting.files` are deleted if the step rolls back."""
    with atomic_with_files() as files:
        process = OutgoingProcess.objects.select_for_update().get(pk=task.process_id)
        locked = Task.objects.select_for_update().get(pk=task.pk)
        on_behalf_of = _may_act(locked, user, step)
        locked.process = process
        document = OutgoingDocument.objects.select_for_update().get(pk=process.document_id)
        process.document = document
        yield Acting(locked, process, document, user, on_behalf_of, files)


def _active_human_tasks(process: OutgoingProcess):
    return Task.objects.filter(process_id=process.pk, flow_task_type="HUMAN", status__in=ACTIVE)


def _complete(acting: Acting, *, action: str, opinion: str = "", extra: dict | None = None):
    """Let viewflow complete the task and route; trace who acted and who has the next tasks."""
    before = set(_active_human_tasks(acting.process).values_list("pk", flat=True))
    activation = acting.task.flow_task.activation_class(acting.task)
    activation.start(None)
    activation.execute()
    next_tasks = _active_human_tasks(acting.process).exclude(pk__in=before)
    next_users = [task.owner for task in next_tasks.select_related("owner") if task.owner]
    trace.append(
        acting.document,
        step=acting.step,
        action=action,
        actor=acting.user,
        on_behalf_of=acting.on_behalf_of,
        role=STEP_ROLES.get(acting.step, ""),
        opinion=opinion,
        next_users=next_users,
        extra=extra,
        task=acting.task,
    )
    _enqueue_search(acting.document)


def _forward(acting: Acting) -> None:
    acting.process.route = OutgoingProcess.Route.FORWARD
    acting.process.return_to = ""
    acting.process.save(update_fields=["route", "return_to"])


def _clean_opinion(opinion: str) -> str:
    opinion = (opinion or "").strip()
    if len(opinion) > 2000:
        raise DocumentError({"opinion": _("The opinion is too long (at most 2000 characters).")})
    return opinion


def _one_of(user: User | None, candidates, field: str, message: str) -> User:
    if user is None or not candidates.filter(pk=user.pk).exists():
        raise DocumentError({field: message})
    return user


@transaction.atomic
def task_open(*, task: Task, user: User) -> bool:
    """Record that the task's owner (or deputy) opened it, once: from then on the previous
    actor can no longer withdraw it. Returns whether this view was the first."""
    if task.status not in ACTIVE or not permissions.can_act_on_task(user, task):
        return False
    process = OutgoingProcess.objects.select_for_update().get(pk=task.process_id)
    if TraceEntry.objects.filter(task=task, action=Action.OPEN).exists():
        return False
    on_behalf_of = permissions.acting_for(user, task)
    trace.append(
        process.document,
        step=task.flow_task.name,
        action=Action.OPEN,
        actor=user,
        on_behalf_of=on_behalf_of,
        role=STEP_ROLES.get(task.flow_task.name, ""),
        task=task,
    )
    return True


def draft_submit(
    *, task: Task, user: User, department_head: User | None, opinion: str = ""
) -> None:
    """The drafter sends the draft to the head of the drafting department (核稿)."""
    with _acting(task, user, step="draft") as acting:
        document = acting.document
        check_classification(document.classification)
        if not document.recipients.filter(kind=DocumentRecipient.Kind.MAIN).exists():
            raise DocumentError(_("Add at least one main recipient (主送)."))
        if not document.body.strip() and not document.body_file:
            raise DocumentError(_("Write the body or upload it as a Word file."))
        acting.process.department_head = _one_of(
            department_head,
            permissions.department_head_candidates(document.drafting_department),
            "department_head",
            _("Choose the head of the drafting department."),
        )
        acting.process.save(update_fields=["department_head"])
        _forward(acting)
        if document.status == OutgoingDocument.Status.DRAFT:
            document.status = OutgoingDocument.Status.IN_PROGRESS
            document.save(update_fields=["status", "updated_at"])
        _complete(acting, action=Action.SUBMIT, opinion=_clean_opinion(opinion))


def check_approve(*, task: Task, user: User, verifier: User | None, opinion: str = "") -> None:
    """The department head approves and chooses the office verifier (审核)."""
    with _acting(task, user, step="check") as acting:
        acting.process.verifier = _one_of(
            verifier,
            permissions.verifier_candidates(acting.document.unit),
            "verifier",
            _("Choose the office verifier."),
        )
        acting.process.save(update_fields=["verifier"])
        _forward(acting)
        _complete(acting, action=Action.APPROVE, opinion=_clean_opinion(opinion))


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
    with _acting(task, user, step="verify") as acting:
        unit = acting.document.unit
        if not signers:
            raise DocumentError({"signers": _("Choose the signing leader(s).")})
        leaders = permissions.leader_candidates(unit)
        for signer in signers:
            _one_of(signer, leaders, "signers", _("Choose signing leaders of this unit."))
        if len({signer.pk for signer in signers}) != len(signers):
            raise DocumentError({"signers": _("Each leader signs once.")})
        allowed_departments = permissions.countersign_departments(unit)
        for department in countersign_departments:
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
        _forward(acting)
        _complete(acting, action=Action.APPROVE, opinion=_clean_opinion(opinion))


def countersign_approve(*, task: Task, user: User, opinion: str = "") -> None:
    """A countersigning department head gives their opinion (会签)."""
    with _acting(task, user, step="countersign") as acting:
        _forward(acting)
        department = OrgUnit.objects.filter(pk=acting.task.data.get("department")).first()
        extra = {"department": department.name} if department else {}
        _complete(acting, action=Action.COUNTERSIGN, opinion=_clean_opinion(opinion), extra=extra)


def sign_off_approve(
    *, task: Task, user: User, opinion: str = "", clerk: User | None = None
) -> None:
    """A leader signs off (签发). The last signer's date becomes the date of writing (成文日期)
    and the last signer chooses the document clerk who numbers it."""
    with _acting(task, user, step="sign_off") as acting:
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
            acting.process.clerk = _one_of(
                clerk, candidates, "clerk", _("Choose the document clerk who numbers it.")
            )
            acting.process.save(update_fields=["clerk"])
            document.written_on = timezone.localdate()
            document.save(update_fields=["written_on", "updated_at"])
        _forward(acting)
        _complete(acting, action=Action.SIGN_OFF, opinion=_clean_opinion(opinion) or _("Agreed."))


def sign_off_reject(*, task: Task, user: User, reason: str) -> None:
    """A leader does not agree (不同意): the process ends as rejected."""
    with _acting(task, user, step="sign_off") as acting:
        reason = _clean_opinion(reason)
        if not reason:
            raise DocumentError({"opinion": _("Give the reason for rejecting.")})
        document = acting.document
        document.status = OutgoingDocument.Status.REJECTED
        document.closed_at = timezone.now()
        document.save(update_fields=["status", "closed_at", "updated_at"])
        acting.process.route = OutgoingProcess.Route.REJECT
        acting.process.save(update_fields=["route"])
        _complete(acting, action=Action.REJECT, opinion=reason)


def number_assign(*, task: Task, user: User, prefix=None, opinion: str = "") -> None:
    """The document clerk gives the next number of the chosen prefix (编号), inside this
    step's transaction. A document returned after numbering keeps its number."""
    from .numbering.permissions import prefixes_for
    from .numbering.services import assign_number

    with _acting(task, user, step="numbering") as acting:
        document = acting.document
        extra = {}
        if document.number_id is None:
            if prefix is None or not prefixes_for(document.unit).filter(pk=prefix.pk).exists():
                raise DocumentError({"prefix": _("Choose a prefix (代字) of this unit.")})
            issued = assign_number(prefix=prefix, user=acting.responsible, subject=document.title)
            document.number = issued
            document.number_text = issued.text
            document.save(update_fields=["number", "number_text", "updated_at"])
        else:
            extra["kept"] = True
        extra["number"] = document.number_text
        _forward(acting)
        _complete(acting, action=Action.NUMBER, opinion=_clean_opinion(opinion), extra=extra)


def _redhead_pdf(document: OutgoingDocument) -> tuple[bytes, str]:
    from .redhead import documents
    from .redhead import services as redhead

    data = documents.document_pdf(document)
    return data, redhead.sha256_hex(data)


def red_head_render(*, task: Task, user: User, opinion: str = "") -> None:
    """The clerk typesets the signed, numbered document with the red head (套红); the PDF is
    stored with the document and its SHA-256 goes into the trace."""
    # Rendering takes seconds: it happens before the step's transaction, which holds the
    # database's write lock (SQLite: the whole database). The step then makes sure the document
    # did not change in between.
    _may_act(task, user, "red_head")
    rendered = OutgoingDocument.objects.get(process__pk=task.process_id)
    if not rendered.number_text:
        raise DocumentError(_("The document has no number yet."))
    if rendered.printed_on is None:
        rendered.printed_on = timezone.localdate()
    data, digest = _redhead_pdf(rendered)
    with _acting(task, user, step="red_head") as acting:
        document = acting.document
        if document.updated_at != rendered.updated_at:
            raise DocumentError(
                _("The document changed while it was being typeset. Please try again.")
            )
        document.printed_on = rendered.printed_on
        acting.files.save(document.final_pdf, f"{document.pk}-{digest[:12]}.pdf", ContentFile(data))
        document.final_pdf_sha256 = digest
        document.save(update_fields=["final_pdf", "final_pdf_sha256", "printed_on", "updated_at"])
        _forward(acting)
        _complete(
            acting,
            action=Action.RENDER,
            opinion=_clean_opinion(opinion),
            extra={"sha256": digest, "bytes": len(data)},
        )


def proofread_confirm(
    *, task: Task, user: User, opinion: str = "", clerk: User | None = None
) -> None:
    """The drafter confirms the typeset text (校对) and hands it to the clerk to dispatch."""
    with _acting(task, user, step="proofread") as acting:
        if clerk is not None:
            acting.process.clerk = _one_of(
                clerk,
                permissions.clerk_candidates(acting.document.unit),
                "clerk",
                _("Choose a document clerk of this unit."),
            )
            acting.process.save(update_fields=["clerk"])
        _forward(acting)
        _complete(acting, action=Action.PROOFREAD, opinion=_clean_opinion(opinion))


def dispatch_send(*, task: Task, user: User, opinion: str = "") -> None:
    """The clerk seals and sends the document to every recipient (用印/分发); the document is
    then ready for archiving (办结)."""
    with _acting(task, user, step="dispatch") as acting:
        document = acting.document
        if not document.final_pdf:
            raise DocumentError(_("The red-head PDF is missing; typeset it first."))
        now = timezone.now()
        recipients = list(document.recipients.select_related("org_unit"))
        for recipient in recipients:
            recipient.status = DocumentRecipient.DispatchStatus.SENT
            recipient.sent_at = now
        DocumentRecipient.objects.bulk_update(recipients, ["status", "sent_at"])
        document.status = OutgoingDocument.Status.CLOSED
        document.closed_at = now
        document.save(update_fields=["status", "closed_at", "updated_at"])
        _forward(acting)
        _complete(
            acting,
            action=Action.DISPATCH,
            opinion=_clean_opinion(opinion),
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
    "dispatch": dispatch_send,
}


# Returning, withdrawing, reassigning, cancelling ----------------------------------------


def returnable_steps(task: Task) -> list[str]:
    """The earlier steps this document has been through, which a return may go back to."""
    step = task.flow_task.name
    if step not in STEPS:
        return []
    done = {
        t.flow_task.name
        for t in Task.objects.filter(
            process_id=task.process_id, flow_task_type="HUMAN", status=STATUS.DONE
        )
    }
    current = STEPS.index(step)
    return [name for name in STEPS[:current] if name in done]


def _close_sibling_tasks(acting: Acting, *, reason: str) -> None:
    """Cancel the other open tasks of the process (parallel countersigns), each traced, so
    no branch is left waiting at the join."""
    siblings = _active_human_tasks(acting.process).exclude(pk=acting.task.pk)
    for sibling in siblings.select_related("owner"):
        sibling.process = acting.process
        sibling.flow_task.activation_class(sibling).cancel()
        trace.append(
            acting.document,
            step=sibling.flow_task.name,
            action=Action.CLOSE_TASK,
            actor=acting.user,
            on_behalf_of=acting.on_behalf_of,
            role=STEP_ROLES.get(acting.step, ""),
            opinion=reason,
            extra={"owner": sibling.owner.get_full_name() if sibling.owner else ""},
            task=sibling,
        )


def _send_back(acting: Acting, to_step: str) -> None:
    """Route the task's completion back to `to_step`; signing starts again when it is at or
    before sign-off."""
    document = acting.document
    if STEPS.index(to_step) <= STEPS.index("sign_off"):
        document.signer_entries.update(signed_at=None)
        if document.written_on is not None:
            document.written_on = None
            document.save(update_fields=["written_on", "updated_at"])
    acting.process.route = OutgoingProcess.Route.RETURN
    acting.process.return_to = to_step
    acting.process.save(update_fields=["route", "return_to"])


def task_return(*, task: Task, user: User, to_step: str, reason: str) -> None:
    """Return (退回) the document to any earlier step it went through, with a reason. From
    inside a countersign the other countersign tasks are closed."""
    with _acting(task, user) as acting:
        reason = _clean_opinion(reason)
        if not reason:
            raise DocumentError({"opinion": _("Give the reason for returning.")})
        if to_step not in returnable_steps(acting.task):
            raise DocumentError({"to_step": _("Choose an earlier step of this document.")})
        _close_sibling_tasks(acting, reason=reason)
        _send_back(acting, to_step)
        _complete(acting, action=Action.RETURN, opinion=reason, extra={"to_step": to_step})


def _human_origin(task: Task) -> Task | None:
    """The human task whose completion created `task` (through gateways)."""
    frontier = list(task.previous.all())
    seen = set()
    while frontier:
        candidate = frontier.pop()
        if candidate.pk in seen:
            continue
        seen.add(candidate.pk)
        if candidate.flow_task_type == "HUMAN":
            return candidate
        frontier.extend(candidate.previous.all())
    return None


def withdrawable_by(task: Task) -> Task | None:
    """The completed task whose actor may still withdraw (撤回) `task`: none once any open
    task of that step was opened, or when the task came out of a countersign."""
    if task.status not in ACTIVE or task.flow_task_type != "HUMAN":
        return None
    origin = _human_origin(task)
    if origin is None or origin.flow_task.name in ("countersign",):
        return None
    if any(previous.flow_task.name == "countersign_join" for previous in task.previous.all()):
        return None
    pending = Task.objects.filter(
        process_id=task.process_id, flow_task_type="HUMAN", status__in=ACTIVE
    )
    if TraceEntry.objects.filter(task__in=pending, action=Action.OPEN).exists():
        return None
    return origin


def _origin_actor_ids(origin: Task) -> set[int]:
    actors = set(
        TraceEntry.objects.filter(task=origin)
        .exclude(action=Action.OPEN)
        .values_list("actor_id", flat=True)
    )
    return actors | {origin.owner_id}


def can_withdraw(user: User, task: Task) -> bool:
    origin = withdrawable_by(task)
    return origin is not None and user.pk in _origin_actor_ids(origin)


def task_withdraw(*, task: Task, user: User, reason: str = "") -> None:
    """The previous actor pulls the task back (撤回) while its new owner has not opened it;
    the document goes back to the withdrawer's step."""
    with _acting_as_sender(task, user) as (acting, origin):
        _close_sibling_tasks(acting, reason=reason)
        _send_back(acting, origin.flow_task.name)
        activation = acting.task.flow_task.activation_class(acting.task)
        activation.reassign(user=origin.owner)
        acting.task.refresh_from_db()
        acting.task.process = acting.process
        acting.on_behalf_of = None
        _complete(
            acting,
            action=Action.WITHDRAW,
            opinion=_clean_opinion(reason),
            extra={"to_step": origin.flow_task.name},
        )


@contextmanager
def _acting_as_sender(task: Task, user: User):
    with atomic_with_files() as files:
        process = OutgoingProcess.objects.select_for_update().get(pk=task.process_id)
        locked = Task.objects.select_for_update().get(pk=task.pk)
        if locked.status not in ACTIVE:
            raise TaskAlreadyHandled()
        origin = withdrawable_by(locked)
        if origin is None:
            raise DocumentError(
                _("The task has already been opened by its handler and cannot be withdrawn.")
            )
        if user.pk not in _origin_actor_ids(origin):
            raise PermissionDenied(_("Only the sender of this task may withdraw it."))
        locked.process = process
        document = OutgoingDocument.objects.select_for_update().get(pk=process.document_id)
        process.document = document
        yield Acting(locked, process, document, user, None, files), origin


def task_reassign(*, task: Task, user: User, to_user: User, reason: str = "") -> None:
    """The process administrator hands a stuck task to another user of the unit (traced)."""
    with transaction.atomic():
        process = OutgoingProcess.objects.select_for_update().get(pk=task.process_id)
        locked = Task.objects.select_for_update().get(pk=task.pk)
        document = process.document
        _require(permissions.can_manage_process(user, document))
        if locked.status not in ACTIVE:
            raise TaskAlreadyHandled()
        _one_of(
            to_user,
            permissions.reassign_candidates(document.unit),
            "to_user",
            _("Choose an active user of this unit."),
        )
        previous_owner = locked.owner
        step = locked.flow_task.name
        locked.owner = to_user
        locked.status = STATUS.ASSIGNED
        locked.assigned = timezone.now()
        locked.save(update_fields=["owner", "status", "assigned"])
        field = {"check": "department_head", "verify": "verifier"}.get(step)
        if step in ("numbering", "red_head", "dispatch"):
            field = "clerk"
        if field:
            setattr(process, field, to_user)
            process.save(update_fields=[field])
        if step == "sign_off" and previous_owner is not None:
            document.signer_entries.filter(user=previous_owner).update(user=to_user)
        trace.append(
            document,
            step=step,
            action=Action.REASSIGN,
            actor=user,
            role="process_admin",
            opinion=_clean_opinion(reason),
            next_users=[to_user],
            extra={"from": previous_owner.get_full_name() if previous_owner else ""},
            task=locked,
        )
        _enqueue_search(document)


def process_cancel(*, document: OutgoingDocument, user: User, reason: str) -> None:
    """Cancel the process (the unit's process administrator; the drafter while the document
    has never left their hands). A number already given is voided with the reason."""
    from .flows import OutgoingFlow
    from .numbering.services import void_number

    with transaction.atomic():
        process = OutgoingProcess.objects.select_for_update().get(document=document)
        document = OutgoingDocument.objects.select_for_update().get(pk=document.pk)
        reason = _clean_opinion(reason)
        if not reason:
            raise DocumentError({"opinion": _("Give the reason for cancelling.")})
        open_tasks = list(_active_human_tasks(process))
        if not open_tasks:
            raise DocumentError(_("The process has already ended."))
        is_admin = permissions.can_manage_process(user, document)
        is_drafter_at_draft = (
            document.drafter_id == user.pk
            and document.number_id is None
            and all(t.flow_task.name == "draft" and t.owner_id == user.pk for t in open_tasks)
        )
        _require(is_admin or is_drafter_at_draft)
        OutgoingFlow.instance.cancel(process)
        for open_task in open_tasks:
            trace.append(
                document,
                step=open_task.flow_task.name,
                action=Action.CLOSE_TASK,
                actor=user,
                role="process_admin" if is_admin else "drafter",
                opinion=reason,
                task=open_task,
            )
        if document.number_id is not None and not document.number.is_void:
            void_number(number=document.number, user=user, reason=reason)
            trace.append(
                document,
                step="process",
                action=Action.VOID_NUMBER,
                actor=user,
                role="process_admin",
                opinion=reason,
                extra={"number": document.number_text},
            )
        document.status = OutgoingDocument.Status.CANCELLED
        document.closed_at = timezone.now()
        document.save(update_fields=["status", "closed_at", "updated_at"])
        trace.append(
            document,
            step="process",
            action=Action.CANCEL,
            actor=user,
            role="process_admin" if is_admin else "drafter",
            opinion=reason,
        )
        _enqueue_search(document)


# Delegation -----------------------------------------------------------------------------


@transaction.atomic
def delegation_create(
    *,
    user: User,
    leader: User,
    deputy: User,
    starts_on: date,
    ends_on: date,
    reason: str = "",
) -> Delegation:
    """A leader hands their tasks to a deputy for a period (委托)."""
    _require(permissions.can_delegate(user, leader))
    if deputy.pk == leader.pk or not deputy.is_active:
        raise DocumentError({"deputy": _("Choose another active person as deputy.")})
    if ends_on < starts_on:
        raise DocumentError({"ends_on": _("The period ends before it starts.")})
    overlapping = Delegation.objects.filter(
        leader=leader, revoked_at__isnull=True, starts_on__lte=ends_on, ends_on__gte=starts_on
    )
    if overlapping.exists():
        raise DocumentError(_("There is already a delegation for part of this period."))
    return Delegation.objects.create(
        leader=leader,
        deputy=deputy,
        starts_on=starts_on,
        ends_on=ends_on,
        reason=(reason or "").strip()[:200],
        created_by=user,
    )


@transaction.atomic
def delegation_revoke(*, delegation: Delegation, user: User) -> Delegation:
    _require(permissions.can_delegate(user, delegation.leader) or is_system_admin(user))
    if delegation.revoked_at is None:
        delegation.revoked_at = timezone.now()
        delegation.save(update_fields=["revoked_at"])
    return delegation

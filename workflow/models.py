"""Documents (公文): the common `Document` base with what hangs off every kind (recipients,
attachments, the trace 办理痕迹), the outgoing document (发文) with its GB/T 9704 elements and
the viewflow process that carries it from draft to dispatch, and delegations.

The vocabulary follows ../shared/domain/gongwen.md; the Chinese term of each field is the
Chinese translation of its verbose name.
"""

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils.translation import get_language, pgettext_lazy
from django.utils.translation import gettext_lazy as _
from viewflow.workflow.models import Process

from core.append_only import AppendOnlyModel

# {(choices, language): {value: label}}: translations do not change while a process runs.
_choice_labels: dict[tuple[type, str], dict[str, str]] = {}


def choice_label(choices: type[models.TextChoices], value: str) -> str:
    """What get_FOO_display() gives, without translating every choice of the field on each call
    (it hashes all the lazy labels), which a page of opinions and trace entries paid per line."""
    key = (choices, get_language())
    if key not in _choice_labels:
        _choice_labels[key] = {choice.value: str(choice.label) for choice in choices}
    return _choice_labels[key].get(value, value)


class DocumentType(models.TextChoices):
    """The 15 types of the Regulations (党政机关公文处理工作条例 §8)."""

    RESOLUTION = "resolution", _("Resolution")
    DECISION = "decision", _("Decision document")
    ORDER = "order", _("Order (decree)")
    COMMUNIQUE = "communique", _("Communiqué")
    ANNOUNCEMENT = "announcement", _("Announcement")
    CIRCULAR = "circular", _("Circular-notice")
    OPINION = "opinion", _("Opinion")
    NOTICE = "notice", _("Notice")
    BULLETIN = "bulletin", _("Bulletin")
    REPORT = "report", _("Report")
    REQUEST = "request", _("Request for instructions")
    REPLY = "reply", _("Reply")
    MOTION = "motion", _("Motion")
    LETTER = "letter", _("Letter")
    MINUTES = "minutes", _("Minutes")


class Classification(models.TextChoices):
    """密级. Only 非密 and 内部 may enter the system; the three classified levels are listed so
    that choosing one is refused with a clear message rather than silently unavailable."""

    NON_SECRET = "non_secret", _("Non-secret")
    INTERNAL = "internal", _("Internal")
    SECRET = "secret", _("Secret")
    CONFIDENTIAL = "confidential", _("Confidential")
    TOP_SECRET = "top_secret", _("Top secret")


ALLOWED_CLASSIFICATIONS = (Classification.NON_SECRET, Classification.INTERNAL)


class Urgency(models.TextChoices):
    """紧急程度 of a paper document; empty means normal."""

    NORMAL = "", _("Normal")
    URGENT = "urgent", _("Expedited")
    VERY_URGENT = "very_urgent", _("Very urgent")


class Direction(models.TextChoices):
    DOWNWARD = "down", _("To subordinates")
    UPWARD = "up", _("To a superior")
    PARALLEL = "parallel", _("To a peer body")


class Document(models.Model):
    """What every document shares, whichever flow carries it: the unit that holds it, the
    elements every kind has, and what hangs off it (trace, attachments, recipients). Each kind
    (`OutgoingDocument`, `IncomingDocument`) extends it by multi-table inheritance, so one
    id names a document across kinds and the trace's hash chain keeps its document ids."""

    class Kind(models.TextChoices):
        OUTGOING = "outgoing", _("Outgoing document")
        INCOMING = "incoming", _("Incoming document")

    kind = models.CharField(_("kind"), max_length=20, choices=Kind.choices, editable=False)
    title = models.CharField(_("title"), max_length=200)
    classification = models.CharField(
        _("classification"),
        max_length=20,
        choices=Classification.choices,
        default=Classification.NON_SECRET,
    )
    urgency = models.CharField(
        _("urgency"), max_length=20, choices=Urgency.choices, default=Urgency.NORMAL, blank=True
    )
    unit = models.ForeignKey(
        "people.OrgUnit",
        verbose_name=_("unit"),
        on_delete=models.PROTECT,
        related_name="documents",
    )
    deadline = models.DateField(
        _("deadline"),
        null=True,
        blank=True,
        db_index=True,
        help_text=_("办理时限: the last working day for handling it."),
    )
    created_at = models.DateTimeField(_("created at"), auto_now_add=True, db_index=True)
    updated_at = models.DateTimeField(_("updated at"), auto_now=True)

    class Meta:
        verbose_name = _("document")
        verbose_name_plural = _("documents")
        constraints = [
            models.CheckConstraint(
                condition=Q(classification__in=[c.value for c in ALLOWED_CLASSIFICATIONS]),
                name="document_not_classified",
            ),
            models.CheckConstraint(condition=~Q(title=""), name="document_title_not_empty"),
        ]

    def __str__(self):
        return self.title

    def save(self, *args, **kwargs):
        if not self.kind:
            self.kind = self.document_kind
        super().save(*args, **kwargs)

    @property
    def urgency_label(self) -> str:
        return choice_label(Urgency, self.urgency)

    @property
    def classification_label(self) -> str:
        return choice_label(Classification, self.classification)

    @property
    def specific(self) -> "Document":
        """The document as its own kind (an `OutgoingDocument` for an outgoing one)."""
        return getattr(self, f"{self.kind}document")


class OutgoingDocument(Document):
    """A document a unit sends out (发文), with the elements of GB/T 9704-2012."""

    document_kind = Document.Kind.OUTGOING

    class Status(models.TextChoices):
        DRAFT = "draft", _("Draft")
        IN_PROGRESS = "in_progress", _("In progress")
        DISPATCHED = "dispatched", _("Dispatched")
        CLOSED = "closed", _("Closed, ready for archiving")
        REJECTED = "rejected", _("Rejected")
        CANCELLED = "cancelled", _("Cancelled")

    doc_type = models.CharField(_("document type"), max_length=20, choices=DocumentType.choices)
    direction = models.CharField(
        _("direction"), max_length=10, choices=Direction.choices, default=Direction.DOWNWARD
    )
    body = models.TextField(
        _("body"), blank=True, help_text=_("Rich text; cleaned of scripts and styles on saving.")
    )
    body_file = models.FileField(
        _("body as a Word file"), upload_to="documents/bodies/%Y/%m/", blank=True
    )
    body_file_name = models.CharField(_("Word file name"), max_length=200, blank=True)
    attachment_note = models.TextField(
        _("attachment note"),
        blank=True,
        help_text=_("附件说明: one attachment name a line, numbered when printed."),
    )
    drafting_department = models.ForeignKey(
        "people.OrgUnit",
        verbose_name=_("drafting department"),
        on_delete=models.PROTECT,
        related_name="+",
    )
    drafter = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("drafter"),
        on_delete=models.PROTECT,
        related_name="drafted_documents",
    )
    signers = models.ManyToManyField(
        settings.AUTH_USER_MODEL,
        verbose_name=_("signers"),
        through="DocumentSigner",
        related_name="+",
        blank=True,
    )
    number = models.OneToOneField(
        "numbering.IssuedNumber",
        verbose_name=_("document number"),
        on_delete=models.PROTECT,
        related_name="outgoing_document",
        null=True,
        blank=True,
    )
    number_text = models.CharField(
        _("document number"),
        max_length=60,
        blank=True,
        db_index=True,
        help_text=_("The number as printed, kept with the document for lists and search."),
    )
    written_on = models.DateField(_("date of writing"), null=True, blank=True)
    remarks = models.CharField(_("remarks"), max_length=300, blank=True)
    printing_unit = models.CharField(_("printing office"), max_length=60, blank=True)
    printed_on = models.DateField(_("printing date"), null=True, blank=True)
    copies = models.PositiveIntegerField(_("number of copies"), default=1)
    copy_numbered = models.BooleanField(
        _("numbered copies"),
        default=False,
        help_text=_("Print a six-digit copy number (份号) on each copy: 000001, 000002, …"),
    )
    signatory_title = models.CharField(
        _("signatory's title"),
        max_length=30,
        blank=True,
        help_text=_("Orders (命令): the title printed before the signer's name, e.g. 董事长."),
    )
    attendees = models.TextField(
        _("attendees"), blank=True, help_text=_("Minutes (纪要): 出席, one name a line.")
    )
    absentees = models.TextField(
        _("absentees"), blank=True, help_text=_("Minutes (纪要): 请假, one name a line.")
    )
    observers = models.TextField(
        _("observers"), blank=True, help_text=_("Minutes (纪要): 列席, one name a line.")
    )
    final_pdf = models.FileField(_("final PDF"), upload_to="documents/final/%Y/%m/", blank=True)
    final_pdf_sha256 = models.CharField(_("final PDF SHA-256"), max_length=64, blank=True)
    status = models.CharField(
        _("status"), max_length=20, choices=Status.choices, default=Status.DRAFT, db_index=True
    )
    dispatched_at = models.DateTimeField(_("dispatched at"), null=True, blank=True)
    closed_at = models.DateTimeField(_("closed at"), null=True, blank=True)

    class Meta:
        verbose_name = _("outgoing document")
        verbose_name_plural = _("outgoing documents")
        ordering = ["-created_at", "-pk"]
        constraints = [
            models.CheckConstraint(condition=Q(copies__gte=1), name="outgoingdocument_copies"),
            models.CheckConstraint(
                condition=Q(number__isnull=True) | ~Q(number_text=""),
                name="outgoingdocument_number_text",
            ),
        ]

    @property
    def doc_type_label(self) -> str:
        return choice_label(DocumentType, self.doc_type)

    @property
    def status_label(self) -> str:
        return choice_label(self.Status, self.status)

    @property
    def main_recipients(self):
        return [r for r in self.recipients.all() if r.kind == DocumentRecipient.Kind.MAIN]

    @property
    def copy_recipients(self):
        return [r for r in self.recipients.all() if r.kind == DocumentRecipient.Kind.COPY]


class OcrStatus(models.TextChoices):
    """Reading the text of a scanned document in the background (OCR)."""

    NONE = "", _("No scan")
    PENDING = "pending", _("Waiting to be read")
    DONE = "done", _("Text read")
    FAILED = "failed", _("Could not be read")


class IncomingDocument(Document):
    """A document a unit receives (收文), registered by its document clerk with the elements of
    the 收文处理单 (gongwen.md §6, §9): who sent it, their number, copies, the day it came and
    the unit's own incoming number."""

    document_kind = Document.Kind.INCOMING

    class Status(models.TextChoices):
        REGISTERED = "registered", _("Registered")
        IN_PROGRESS = "in_progress", _("In progress")
        CLOSED = "closed", _("Closed, ready for archiving")
        REFUSED = "refused", _("Refused (returned to sender)")
        CANCELLED = "cancelled", _("Cancelled")

    sender_unit = models.ForeignKey(
        "people.OrgUnit",
        verbose_name=_("sending unit"),
        on_delete=models.PROTECT,
        related_name="+",
        null=True,
        blank=True,
        help_text=_("The sender when it is in the organisation tree."),
    )
    sender_name = models.CharField(
        _("sending body"),
        max_length=100,
        blank=True,
        help_text=_("The sender's name when it is outside the organisation tree."),
    )
    sender_number = models.CharField(
        _("sender's document number"), max_length=60, blank=True, db_index=True
    )
    copies = models.PositiveIntegerField(_("number of copies"), default=1)
    received_on = models.DateField(_("date received"))
    number = models.OneToOneField(
        "numbering.IssuedNumber",
        verbose_name=_("incoming number"),
        on_delete=models.PROTECT,
        related_name="incoming_document",
        null=True,
        blank=True,
    )
    number_text = models.CharField(
        _("incoming number"),
        max_length=60,
        blank=True,
        db_index=True,
        help_text=_("The number as printed, kept with the document for lists and search."),
    )
    source_document = models.ForeignKey(
        Document,
        verbose_name=_("sender's document"),
        on_delete=models.PROTECT,
        related_name="incoming_copies",
        null=True,
        blank=True,
        help_text=_("The document the sender dispatched, when it came by electronic exchange."),
    )
    registered_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("registered by"),
        on_delete=models.PROTECT,
        related_name="+",
    )
    status = models.CharField(
        _("status"), max_length=20, choices=Status.choices, default=Status.REGISTERED, db_index=True
    )
    result = models.TextField(_("result"), blank=True, help_text=_("办结: how it was handled."))
    closed_at = models.DateTimeField(_("closed at"), null=True, blank=True)
    closed_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("closed by"),
        on_delete=models.PROTECT,
        related_name="+",
        null=True,
        blank=True,
    )
    scan = models.FileField(
        _("scanned document"),
        upload_to="documents/incoming/%Y/%m/",
        blank=True,
        help_text=_("The paper document's pages as one PDF, or the PDF as it was sent."),
    )
    ocr_status = models.CharField(
        _("text recognition"),
        max_length=10,
        choices=OcrStatus.choices,
        default=OcrStatus.NONE,
        blank=True,
    )
    ocr_error = models.CharField(_("text recognition error"), max_length=300, blank=True)
    ocr_text = models.TextField(
        _("recognised text"), blank=True, help_text=_("The scan's text, for search.")
    )

    class Meta:
        verbose_name = _("incoming document")
        verbose_name_plural = _("incoming documents")
        ordering = ["-created_at", "-pk"]
        constraints = [
            models.CheckConstraint(condition=Q(copies__gte=1), name="incomingdocument_copies"),
            models.CheckConstraint(
                condition=Q(sender_unit__isnull=False, sender_name="")
                | (Q(sender_unit__isnull=True) & ~Q(sender_name="")),
                name="incomingdocument_one_sender",
            ),
        ]

    @property
    def sender(self) -> str:
        """来文单位 as shown: the unit's name or the name typed in."""
        return self.sender_unit.name if self.sender_unit_id else self.sender_name


class DocumentSigner(models.Model):
    """A leader chosen to sign the document off (签发人), in signing order."""

    document = models.ForeignKey(
        OutgoingDocument, on_delete=models.CASCADE, related_name="signer_entries"
    )
    user = models.ForeignKey(
        settings.AUTH_USER_MODEL, verbose_name=_("signer"), on_delete=models.PROTECT
    )
    order = models.PositiveSmallIntegerField(_("order"))
    signed_at = models.DateTimeField(_("signed at"), null=True, blank=True)

    class Meta:
        verbose_name = _("signer")
        verbose_name_plural = _("signers")
        ordering = ["document", "order"]
        constraints = [
            models.UniqueConstraint(fields=["document", "user"], name="documentsigner_unique"),
            models.UniqueConstraint(fields=["document", "order"], name="documentsigner_order"),
        ]

    def __str__(self):
        return str(self.user)


class DocumentRecipient(models.Model):
    """A body the document is addressed (主送) or copied (抄送) to, and its dispatch state."""

    class Kind(models.TextChoices):
        MAIN = "main", _("Main recipient")
        COPY = "copy", _("Copy recipient")

    class DispatchStatus(models.TextChoices):
        PENDING = "pending", _("Not yet sent")
        SENT = "sent", _("Sent")
        RECEIVED = "received", _("Signed for")

    document = models.ForeignKey(Document, on_delete=models.CASCADE, related_name="recipients")
    kind = models.CharField(_("kind"), max_length=10, choices=Kind.choices)
    org_unit = models.ForeignKey(
        "people.OrgUnit",
        verbose_name=_("organization unit"),
        on_delete=models.PROTECT,
        related_name="+",
        null=True,
        blank=True,
    )
    outside_name = models.CharField(_("outside body"), max_length=100, blank=True)
    order = models.PositiveSmallIntegerField(_("order"), default=0)
    status = models.CharField(
        _("dispatch status"),
        max_length=10,
        choices=DispatchStatus.choices,
        default=DispatchStatus.PENDING,
    )
    sent_at = models.DateTimeField(_("sent at"), null=True, blank=True)
    received_at = models.DateTimeField(_("signed for at"), null=True, blank=True)

    class Meta:
        verbose_name = _("recipient")
        verbose_name_plural = _("recipients")
        ordering = ["document", "kind", "order", "pk"]
        constraints = [
            models.CheckConstraint(
                condition=(Q(org_unit__isnull=False) & Q(outside_name=""))
                | (Q(org_unit__isnull=True) & ~Q(outside_name="")),
                name="documentrecipient_unit_or_outside",
            ),
            models.UniqueConstraint(
                fields=["document", "kind", "org_unit"],
                condition=Q(org_unit__isnull=False),
                name="documentrecipient_unique_unit",
            ),
        ]

    def __str__(self):
        return self.name

    @property
    def name(self) -> str:
        return self.org_unit.name if self.org_unit_id else self.outside_name


class DocumentAttachment(models.Model):
    """An attachment (附件): an electronic file, or a paper-only (纸质) one recorded by name."""

    document = models.ForeignKey(Document, on_delete=models.CASCADE, related_name="attachments")
    name = models.CharField(_("name"), max_length=200)
    file = models.FileField(_("file"), upload_to="documents/attachments/%Y/%m/", blank=True)
    is_paper_only = models.BooleanField(_("paper only"), default=False)
    size = models.PositiveBigIntegerField(_("size"), default=0)
    content_type = models.CharField(_("file type"), max_length=100, blank=True)
    order = models.PositiveSmallIntegerField(_("order"), default=0)
    uploaded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("uploaded by"),
        on_delete=models.PROTECT,
        related_name="+",
    )
    uploaded_at = models.DateTimeField(_("uploaded at"), auto_now_add=True)

    class Meta:
        verbose_name = _("attachment")
        verbose_name_plural = _("attachments")
        ordering = ["document", "order", "pk"]
        constraints = [
            models.CheckConstraint(
                condition=(Q(is_paper_only=True) & Q(file=""))
                | (Q(is_paper_only=False) & ~Q(file="")),
                name="documentattachment_file_or_paper",
            ),
        ]

    def __str__(self):
        return self.name


class Route(models.TextChoices):
    FORWARD = "forward", _("Forward")
    RETURN = "return", _("Return")
    REJECT = "reject", _("Reject")


class DocumentProcess(models.Model):
    """What the engine (workflow.services.engine) needs of a flow's process, besides a
    `document` and the assignee fields its steps declare: the decision the gateways route on."""

    route = models.CharField(
        _("route"), max_length=10, choices=Route.choices, default=Route.FORWARD
    )
    return_to = models.CharField(_("returned to"), max_length=30, blank=True)

    class Meta:
        abstract = True


class OutgoingProcess(DocumentProcess, Process):
    """The viewflow process of one outgoing document, with the choices steps made for the
    steps after them."""

    document = models.OneToOneField(
        OutgoingDocument,
        verbose_name=_("document"),
        on_delete=models.PROTECT,
        related_name="process",
    )
    department_head = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("department head"),
        on_delete=models.PROTECT,
        related_name="+",
        null=True,
        blank=True,
    )
    verifier = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("office verifier"),
        on_delete=models.PROTECT,
        related_name="+",
        null=True,
        blank=True,
    )
    countersign_departments = models.ManyToManyField(
        "people.OrgUnit",
        verbose_name=_("countersigning departments"),
        related_name="+",
        blank=True,
    )
    clerk = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("document clerk"),
        on_delete=models.PROTECT,
        related_name="+",
        null=True,
        blank=True,
    )
    seal_keeper = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("seal keeper"),
        on_delete=models.PROTECT,
        related_name="+",
        null=True,
        blank=True,
    )

    class Meta:
        verbose_name = _("outgoing document process")
        verbose_name_plural = _("outgoing document processes")

    def __str__(self):
        return f"{self.document}"


class IncomingProcess(DocumentProcess, Process):
    """The viewflow process of one incoming document, with the choices steps made for the
    steps after them: the office head who proposes, the leaders who instruct (in order, see
    `InstructionEntry`), the lead and co-departments, and the reply when one is drafted."""

    document = models.OneToOneField(
        IncomingDocument,
        verbose_name=_("document"),
        on_delete=models.PROTECT,
        related_name="process",
    )
    clerk = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("document clerk"),
        on_delete=models.PROTECT,
        related_name="+",
        null=True,
        blank=True,
    )
    office_head = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("office head"),
        on_delete=models.PROTECT,
        related_name="+",
        null=True,
        blank=True,
    )
    lead_department = models.ForeignKey(
        "people.OrgUnit",
        verbose_name=_("lead department"),
        on_delete=models.PROTECT,
        related_name="+",
        null=True,
        blank=True,
    )
    co_departments = models.ManyToManyField(
        "people.OrgUnit",
        verbose_name=_("co-departments"),
        related_name="+",
        blank=True,
    )
    needs_reply = models.BooleanField(_("needs a reply"), default=False)
    reply_document = models.ForeignKey(
        OutgoingDocument,
        verbose_name=_("reply"),
        on_delete=models.PROTECT,
        related_name="replied_processes",
        null=True,
        blank=True,
    )

    class Meta:
        verbose_name = _("incoming document process")
        verbose_name_plural = _("incoming document processes")

    def __str__(self):
        return f"{self.document}"


class InstructionEntry(models.Model):
    """A leader chosen at the proposal to instruct (批办), in order."""

    document = models.ForeignKey(
        IncomingDocument, on_delete=models.CASCADE, related_name="instruction_entries"
    )
    user = models.ForeignKey(
        settings.AUTH_USER_MODEL, verbose_name=_("instructing leader"), on_delete=models.PROTECT
    )
    order = models.PositiveSmallIntegerField(_("order"))
    instructed_at = models.DateTimeField(_("instructed at"), null=True, blank=True)

    class Meta:
        verbose_name = _("instructing leader")
        verbose_name_plural = _("instructing leaders")
        ordering = ["document", "order"]
        constraints = [
            models.UniqueConstraint(fields=["document", "user"], name="instructionentry_unique"),
            models.UniqueConstraint(fields=["document", "order"], name="instructionentry_order"),
        ]

    def __str__(self):
        return str(self.user)


class UnitFlowRules(models.Model):
    """A unit's own rules for choosing who signs its documents off, kept by its process
    administrator; a unit without them offers every leader of the unit."""

    unit = models.OneToOneField(
        "people.OrgUnit",
        verbose_name=_("unit"),
        on_delete=models.CASCADE,
        related_name="flow_rules",
    )
    leaders_department = models.ForeignKey(
        "people.OrgUnit",
        verbose_name=_("leaders' department"),
        on_delete=models.PROTECT,
        related_name="+",
        null=True,
        blank=True,
        help_text=_(
            "Where the unit's leaders sit; the leaders of other departments are department "
            "heads. Empty: every leader of the unit signs off."
        ),
    )
    department_heads_sign_off = models.BooleanField(
        _("department heads may sign off"),
        default=False,
        help_text=_("Also offer the heads of the unit's departments as signing leaders (签发)."),
    )
    updated_at = models.DateTimeField(_("updated at"), auto_now=True)
    updated_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("updated by"),
        on_delete=models.PROTECT,
        related_name="+",
    )

    class Meta:
        verbose_name = _("unit's flow rules")
        verbose_name_plural = _("units' flow rules")

    def __str__(self):
        return f"{self.unit}"


class Delegation(models.Model):
    """A leader's tasks handed to a deputy for a period (委托); the deputy acts on their behalf."""

    leader = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("leader"),
        on_delete=models.CASCADE,
        related_name="delegations_given",
    )
    deputy = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("deputy"),
        on_delete=models.CASCADE,
        related_name="delegations_received",
    )
    starts_on = models.DateField(_("from"))
    ends_on = models.DateField(_("until"))
    reason = models.CharField(_("reason"), max_length=200, blank=True)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("created by"),
        on_delete=models.PROTECT,
        related_name="+",
    )
    created_at = models.DateTimeField(_("created at"), auto_now_add=True)
    revoked_at = models.DateTimeField(_("revoked at"), null=True, blank=True)

    class Meta:
        verbose_name = _("delegation")
        verbose_name_plural = _("delegations")
        ordering = ["-starts_on", "-pk"]
        constraints = [
            models.CheckConstraint(
                condition=Q(ends_on__gte=models.F("starts_on")), name="delegation_period"
            ),
            models.CheckConstraint(
                condition=~Q(leader=models.F("deputy")), name="delegation_not_self"
            ),
        ]

    def __str__(self):
        return f"{self.leader} → {self.deputy}"


class TraceEntry(AppendOnlyModel):
    """One action on a document (办理痕迹). Never changed or deleted; each entry carries the hash
    of the document's previous entry and its own, so a changed or missing entry shows."""

    class Action(models.TextChoices):
        CREATE = "create", _("Drafted")
        EDIT = "edit", _("Edited")
        OPEN = "open", _("Opened")
        SUBMIT = "submit", _("Submitted")
        APPROVE = "approve", _("Approved")
        COUNTERSIGN = "countersign", _("Countersigned")
        SIGN_OFF = "sign_off", _("Signed off")
        RETURN = "return", _("Returned")
        WITHDRAW = "withdraw", _("Withdrawn")
        REJECT = "reject", _("Rejected")
        REASSIGN = "reassign", _("Reassigned")
        CANCEL = "cancel", _("Cancelled")
        CLOSE_TASK = "close_task", _("Task closed")
        NUMBER = "number", _("Numbered")
        RENDER = "render", _("Red head rendered")
        PROOFREAD = "proofread", _("Proof-read")
        DISPATCH = "dispatch", _("Dispatched")
        VOID_NUMBER = "void_number", _("Number voided")
        REGISTER = "register", _("Registered")
        SIGN_FOR = "sign_for", _("Signed for")
        REFUSE = "refuse", _("Refused (returned to sender)")
        RESEND = "resend", _("Sent again")
        SEAL = "seal", _("Sealed")
        CIRCULATE = "circulate", _("Sent for circulation")
        READ = "read", pgettext_lazy("circulation receipt", "Read")
        REMIND = "remind", _("Reminded")
        URGE = "urge", _("Urged")
        SUPERVISE = "supervise", _("Put under supervision")
        PROGRESS = "progress", _("Progress reported")
        CLOSE = "close", _("Closed")
        PROPOSE = "propose", _("Proposed")
        INSTRUCT = "instruct", _("Instructed")
        ASSIST = "assist", _("Contribution reported")
        HANDLE = "handle", _("Handling result written")
        REPLY = "reply", _("Reply drafted")
        SKIP = "skip", _("Skipped")

    document = models.ForeignKey(
        Document,
        verbose_name=_("document"),
        on_delete=models.PROTECT,
        related_name="trace_entries",
    )
    task = models.ForeignKey(
        "viewflow.Task",
        verbose_name=_("task"),
        on_delete=models.PROTECT,
        related_name="+",
        null=True,
        blank=True,
    )
    step = models.CharField(_("step"), max_length=30)
    actor = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("actor"),
        on_delete=models.PROTECT,
        related_name="+",
        null=True,
        blank=True,
    )
    actor_name = models.CharField(_("actor's name"), max_length=50, blank=True)
    on_behalf_of = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("on behalf of"),
        on_delete=models.PROTECT,
        related_name="+",
        null=True,
        blank=True,
    )
    on_behalf_of_name = models.CharField(_("on behalf of (name)"), max_length=50, blank=True)
    role = models.CharField(_("role"), max_length=50, blank=True)
    created_at = models.DateTimeField(_("time"), db_index=True)
    action = models.CharField(_("action"), max_length=20, choices=Action.choices)
    opinion = models.TextField(_("opinion"), blank=True)
    next_users = models.JSONField(_("next handlers"), default=list, blank=True)
    extra = models.JSONField(_("details"), default=dict, blank=True)
    previous_hash = models.CharField(_("previous entry's hash"), max_length=64, blank=True)
    entry_hash = models.CharField(_("hash"), max_length=64, unique=True)

    append_only_refusal = "The trace is append-only."

    class Meta:
        verbose_name = _("trace entry")
        verbose_name_plural = _("trace")
        ordering = ["document", "pk"]
        constraints = [
            models.UniqueConstraint(
                fields=["document", "previous_hash"], name="traceentry_one_successor"
            ),
        ]

    def __str__(self):
        return f"{self.get_action_display()} · {self.actor_name}"

    @property
    def action_label(self) -> str:
        return choice_label(self.Action, self.action)


class Circulation(models.Model):
    """A document sent round chosen readers (传阅), incoming or dispatched outgoing alike: each
    reader reads it in parallel and signs (已阅) with the time and a remark."""

    document = models.ForeignKey(
        Document,
        verbose_name=_("document"),
        on_delete=models.PROTECT,
        related_name="circulations",
    )
    started_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("sent round by"),
        on_delete=models.PROTECT,
        related_name="+",
    )
    started_at = models.DateTimeField(_("sent round at"), auto_now_add=True)
    note = models.CharField(_("note"), max_length=300, blank=True)

    class Meta:
        verbose_name = _("circulation")
        verbose_name_plural = _("circulations")
        ordering = ["document", "pk"]

    def __str__(self):
        return f"{self.document}"


class CirculationReader(models.Model):
    """One reader of a circulation and their receipt (已阅)."""

    circulation = models.ForeignKey(
        Circulation,
        verbose_name=_("circulation"),
        on_delete=models.CASCADE,
        related_name="readers",
    )
    reader = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("reader"),
        on_delete=models.PROTECT,
        related_name="circulation_receipts",
    )
    read_at = models.DateTimeField(_("read at"), null=True, blank=True)
    remark = models.CharField(_("remark"), max_length=300, blank=True)
    reminded_at = models.DateTimeField(_("last reminded at"), null=True, blank=True)

    class Meta:
        verbose_name = _("circulation reader")
        verbose_name_plural = _("circulation readers")
        ordering = ["circulation", "pk"]
        constraints = [
            models.UniqueConstraint(
                fields=["circulation", "reader"], name="circulationreader_unique"
            ),
        ]
        indexes = [models.Index(fields=["reader", "read_at"], name="circulation_reader_inbox")]

    def __str__(self):
        return f"{self.reader}"


class CalendarOverride(models.Model):
    """A day the office declares a working day or not, over `chinese_calendar`: next year's
    State Council announcement before the library carries it, or a day the group decides."""

    day = models.DateField(_("date"), unique=True)
    is_working_day = models.BooleanField(_("working day"))
    name = models.CharField(_("name"), max_length=50, help_text=_("E.g. 春节 or 春节调休上班."))
    updated_at = models.DateTimeField(_("updated at"), auto_now=True)

    class Meta:
        verbose_name = _("calendar override")
        verbose_name_plural = _("calendar overrides")
        ordering = ["day"]

    def __str__(self):
        return f"{self.day:%Y-%m-%d} {self.name}"


class Supervision(models.Model):
    """A document a leader of its unit put under supervision (督办): the lead department
    reports progress until the document is closed."""

    document = models.OneToOneField(
        Document,
        verbose_name=_("document"),
        on_delete=models.PROTECT,
        related_name="supervision",
    )
    started_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("supervised by"),
        on_delete=models.PROTECT,
        related_name="+",
    )
    started_at = models.DateTimeField(_("supervised since"), auto_now_add=True)
    instruction = models.CharField(_("instruction"), max_length=300, blank=True)
    last_progress_at = models.DateTimeField(_("last progress report"), null=True, blank=True)
    last_progress = models.CharField(_("latest progress"), max_length=500, blank=True)

    class Meta:
        verbose_name = _("supervision")
        verbose_name_plural = _("supervisions")
        ordering = ["-started_at", "-pk"]

    def __str__(self):
        return f"{self.document}"


class Delivery(models.Model):
    """A dispatched document as it reached one recipient unit by electronic exchange (待签收),
    until that unit's clerk signs for it (签收) or refuses it (退文). The PDF is the one sent,
    kept as it was whatever the sender does afterwards; a resend after a refusal is a new
    delivery."""

    class Status(models.TextChoices):
        SENT = "sent", _("Sent, awaiting sign-for")
        SIGNED_FOR = "signed_for", _("Signed for")
        REFUSED = "refused", _("Refused")

    document = models.ForeignKey(
        OutgoingDocument,
        verbose_name=_("document"),
        on_delete=models.PROTECT,
        related_name="deliveries",
    )
    recipient_unit = models.ForeignKey(
        "people.OrgUnit",
        verbose_name=_("recipient unit"),
        on_delete=models.PROTECT,
        related_name="deliveries",
    )
    status = models.CharField(
        _("status"), max_length=12, choices=Status.choices, default=Status.SENT, db_index=True
    )
    pdf = models.FileField(_("PDF as sent"), upload_to="documents/exchange/%Y/%m/")
    pdf_sha256 = models.CharField(_("SHA-256 of the PDF as sent"), max_length=64)
    sent_at = models.DateTimeField(_("sent at"))
    signed_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("signed for by"),
        on_delete=models.PROTECT,
        related_name="+",
        null=True,
        blank=True,
    )
    signed_at = models.DateTimeField(_("signed for at"), null=True, blank=True)
    refused_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("refused by"),
        on_delete=models.PROTECT,
        related_name="+",
        null=True,
        blank=True,
    )
    refused_at = models.DateTimeField(_("refused at"), null=True, blank=True)
    refusal_reason = models.CharField(_("reason for refusing"), max_length=300, blank=True)
    incoming_document = models.OneToOneField(
        IncomingDocument,
        verbose_name=_("incoming document"),
        on_delete=models.PROTECT,
        related_name="delivery",
        null=True,
        blank=True,
    )

    class Meta:
        verbose_name = _("delivery")
        verbose_name_plural = _("deliveries")
        ordering = ["-sent_at", "-pk"]
        constraints = [
            models.UniqueConstraint(
                fields=["document", "recipient_unit"],
                condition=~Q(status="refused"),
                name="delivery_one_live_per_unit",
            ),
            models.CheckConstraint(
                condition=~Q(status="signed_for")
                | Q(signed_by__isnull=False, signed_at__isnull=False),
                name="delivery_signed_for_by_someone",
            ),
            models.CheckConstraint(
                condition=~Q(status="refused")
                | (Q(refused_by__isnull=False, refused_at__isnull=False) & ~Q(refusal_reason="")),
                name="delivery_refused_with_reason",
            ),
        ]
        indexes = [
            models.Index(fields=["recipient_unit", "status"], name="delivery_unit_inbox"),
        ]

    def __str__(self):
        return f"{self.document} → {self.recipient_unit}"

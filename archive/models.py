"""Archive management (档案管理) per DA/T 22-2015: closed documents filed as items (件) with archive
codes, their files kept as filed, borrowing, retention review and destruction.

The archive reads the document flows' records (workflow's models and selectors) and sits above
them: no document app imports the archive. See docs/archive.md and gongwen.md §10.
"""

from django.conf import settings
from django.core.validators import RegexValidator
from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy

from core.append_only import AppendOnlyModel

CODE_VALIDATOR = RegexValidator(
    r"^[A-Z0-9]{1,12}$", _("Use 1 to 12 capital letters or digits, e.g. Z109 or BGS.")
)


class FiledQuerySet(models.QuerySet):
    """Filed rows change through no bulk path; see `FiledRecord`."""

    def update(self, **kwargs):
        raise PermissionError(self.model.immutable_refusal)

    def bulk_update(self, *args, **kwargs):
        raise PermissionError(self.model.immutable_refusal)

    def delete(self):
        raise PermissionError(self.model.immutable_refusal)


class FiledRecord(models.Model):
    """A row written once at filing and never changed or deleted by the ORM (DA/T 22: a filed
    item is kept as filed); `ArchiveItem.mark_destroyed` is the one change allowed."""

    immutable_refusal = "A filed item and its files cannot be changed."

    objects = FiledQuerySet.as_manager()

    class Meta:
        abstract = True

    def save(self, *args, **kwargs):
        if not self._state.adding:
            raise PermissionError(self.immutable_refusal)
        super().save(*args, **kwargs)

    def delete(self, *args, **kwargs):
        raise PermissionError(self.immutable_refusal)


class Retention(models.TextChoices):
    """保管期限 and their codes in the archive code."""

    PERMANENT = "Y", _("Permanent")
    THIRTY_YEARS = "D30", _("30 years")
    TEN_YEARS = "D10", _("10 years")


class ClassScheme(models.TextChoices):
    """How a unit classifies its items below year and retention (DA/T 22 §6.1)."""

    ORGANISATION = "organisation", _("Year – retention – organisation")
    SUBJECT = "subject", _("Year – retention – subject")
    NONE = "none", _("Year – retention")


class FondsSettings(models.Model):
    """A unit's archive settings: its fonds code (全宗号), record category code (门类代码, WS for
    documentary records) and classification scheme, kept by the unit's archivists."""

    unit = models.OneToOneField(
        "people.OrgUnit",
        verbose_name=_("unit"),
        on_delete=models.PROTECT,
        related_name="archive_settings",
    )
    fonds_code = models.CharField(
        _("fonds code"), max_length=12, unique=True, validators=[CODE_VALIDATOR]
    )
    category_code = models.CharField(
        _("record category code"), max_length=4, default="WS", validators=[CODE_VALIDATOR]
    )
    scheme = models.CharField(
        _("classification scheme"),
        max_length=20,
        choices=ClassScheme.choices,
        default=ClassScheme.ORGANISATION,
    )
    updated_at = models.DateTimeField(_("updated at"), auto_now=True)
    updated_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("updated by"),
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
    )

    class Meta:
        verbose_name = _("fonds settings")
        verbose_name_plural = _("fonds settings")

    def __str__(self):
        return self.fonds_code


class ArchiveClassCode(models.Model):
    """The code of one class below year and retention: a department's organisation code (机构代码,
    e.g. BGS for the office) or a subject's code (问题), as the archivist sets them."""

    fonds = models.ForeignKey(
        FondsSettings, verbose_name=_("fonds"), on_delete=models.CASCADE, related_name="class_codes"
    )
    code = models.CharField(_("code"), max_length=12, validators=[CODE_VALIDATOR])
    name = models.CharField(_("name"), max_length=100)
    department = models.ForeignKey(
        "people.OrgUnit",
        verbose_name=_("department"),
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
        help_text=_("Under the organisation scheme: the department this code stands for."),
    )

    class Meta:
        verbose_name = _("class code")
        verbose_name_plural = _("class codes")
        ordering = ["code"]
        constraints = [
            models.UniqueConstraint(fields=["fonds", "code"], name="archive_class_code_unique"),
            models.UniqueConstraint(
                fields=["fonds", "department"],
                condition=Q(department__isnull=False),
                name="archive_class_department_unique",
            ),
        ]

    def __str__(self):
        return f"{self.code} {self.name}"


class RetentionRule(models.Model):
    """A unit's default retention for a document type; without a rule the built-in default holds
    (archive/retention.py)."""

    fonds = models.ForeignKey(
        FondsSettings,
        verbose_name=_("fonds"),
        on_delete=models.CASCADE,
        related_name="retention_rules",
    )
    doc_type = models.CharField(_("document type"), max_length=20)
    retention = models.CharField(_("retention"), max_length=3, choices=Retention.choices)

    class Meta:
        verbose_name = _("retention rule")
        verbose_name_plural = _("retention rules")
        constraints = [
            models.UniqueConstraint(
                fields=["fonds", "doc_type"], name="archive_retention_rule_unique"
            )
        ]

    def __str__(self):
        return f"{self.doc_type}: {self.retention}"


class ItemCounter(models.Model):
    """The last item number (件号) given in one class; taken under a row lock in the filing's
    transaction, so numbers are gapless under concurrency."""

    fonds = models.ForeignKey(FondsSettings, on_delete=models.CASCADE, related_name="+")
    year = models.PositiveSmallIntegerField()
    retention = models.CharField(max_length=3, choices=Retention.choices)
    class_code = models.CharField(max_length=12, blank=True)
    last_number = models.PositiveIntegerField(default=0)

    class Meta:
        constraints = [
            models.UniqueConstraint(
                fields=["fonds", "year", "retention", "class_code"], name="archive_counter_unique"
            )
        ]

    def __str__(self):
        return f"{self.year}-{self.retention}-{self.class_code}: {self.last_number}"


class ArchiveItem(FiledRecord):
    """An item (件): one or more closed documents filed together, with its archive code and the
    catalogue's columns as filed. Immutable once filed, except its state on destruction."""

    class State(models.TextChoices):
        FILED = "filed", _("Filed")
        DESTROYED = "destroyed", _("Destroyed")

    fonds = models.ForeignKey(
        FondsSettings, verbose_name=_("fonds"), on_delete=models.PROTECT, related_name="items"
    )
    year = models.PositiveSmallIntegerField(_("year"))
    retention = models.CharField(_("retention"), max_length=3, choices=Retention.choices)
    retention_reason = models.CharField(
        _("reason for the retention"),
        max_length=300,
        blank=True,
        help_text=_("Required when the retention differs from the default for the type."),
    )
    class_code = models.CharField(_("class code"), max_length=12, blank=True)
    item_number = models.PositiveIntegerField(_("item number"))
    archive_code = models.CharField(_("archive code"), max_length=80, unique=True)
    doc_number = models.CharField(_("document number"), max_length=100, blank=True)
    responsible = models.CharField(_("responsible party"), max_length=200)
    title = models.CharField(_("title"), max_length=300)
    document_date = models.DateField(_("date"))
    pages = models.PositiveIntegerField(_("pages"))
    classification = models.CharField(_("classification"), max_length=20)
    remarks = models.CharField(_("remarks"), max_length=300, blank=True)

    class Access(models.TextChoices):
        OPEN = "open", _("Open to its audience")
        CONTROLLED = "controlled", _("Controlled: by approved request")

    access = models.CharField(
        _("access"), max_length=12, choices=Access.choices, default=Access.CONTROLLED
    )
    # Who could read the documents when they were filed (search principals, as search entries
    # carry them); the unit's archivists read every item besides.
    audience = models.JSONField(_("audience"), default=list)
    trace_verified = models.BooleanField(_("trace chain verified"))
    trace_head = models.CharField(_("trace chain head"), max_length=64, blank=True)
    seal_verdict = models.CharField(_("seal verification"), max_length=200, blank=True)
    filed_at = models.DateTimeField(_("filed at"), auto_now_add=True)
    filed_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("filed by"),
        on_delete=models.PROTECT,
        related_name="+",
    )
    state = models.CharField(_("state"), max_length=12, choices=State.choices, default=State.FILED)

    class Meta:
        verbose_name = _("archive item")
        verbose_name_plural = _("archive items")
        ordering = ["year", "retention", "class_code", "item_number"]
        constraints = [
            models.UniqueConstraint(
                fields=["fonds", "year", "retention", "class_code", "item_number"],
                name="archive_item_number_unique",
            )
        ]

    def __str__(self):
        return f"{self.archive_code} {self.title}"

    def mark_destroyed(self) -> None:
        """The one change a filed item admits: its state once its destruction was approved
        (the destruction service calls this inside its transaction)."""
        models.QuerySet(ArchiveItem).filter(pk=self.pk).update(state=self.State.DESTROYED)
        # The file rows stay (the access log points at them) but lose their content.
        models.QuerySet(ArchiveFile).filter(item_id=self.pk).update(file="")
        self.state = self.State.DESTROYED


class ArchivedDocument(FiledRecord):
    """A document filed in an item, in its order within the item; a document is filed once."""

    class Role(models.TextChoices):
        MAIN = "main", _("Main document")
        REQUEST = "request", _("Request replied to")
        FORWARDED = "forwarded", _("Forwarded document")
        RELATED = "related", _("Related document")

    item = models.ForeignKey(ArchiveItem, on_delete=models.PROTECT, related_name="documents")
    document = models.OneToOneField(
        "workflow.Document", on_delete=models.PROTECT, related_name="archived_as"
    )
    role = models.CharField(_("role in the item"), max_length=12, choices=Role.choices)
    position = models.PositiveSmallIntegerField(_("order"))

    class Meta:
        ordering = ["item", "position"]

    def __str__(self):
        return f"{self.item.archive_code} #{self.position}"


class ArchiveFile(FiledRecord):
    """A file of an item: the preservation copy (PDF/A with the archive stamp), each original
    unchanged beside it, the processing form and attachments, each with its SHA-256."""

    class Kind(models.TextChoices):
        PRESERVATION = "preservation", _("Preservation copy")
        ORIGINAL = "original", _("Original")
        FORM = "form", pgettext_lazy("archive file", "Processing form")
        ATTACHMENT = "attachment", _("Attachment")

    item = models.ForeignKey(ArchiveItem, on_delete=models.PROTECT, related_name="files")
    kind = models.CharField(_("kind"), max_length=12, choices=Kind.choices)
    position = models.PositiveSmallIntegerField(_("order"))
    name = models.CharField(_("file name"), max_length=200)
    file = models.FileField(_("file"), upload_to="archive/%Y/", max_length=300)
    sha256 = models.CharField(_("SHA-256"), max_length=64)
    size = models.PositiveBigIntegerField(_("size"))
    pages = models.PositiveIntegerField(_("pages"), null=True, blank=True)

    class Meta:
        ordering = ["item", "position"]
        constraints = [
            models.UniqueConstraint(
                fields=["item", "position"], name="archive_file_position_unique"
            )
        ]

    def __str__(self):
        return self.name


class AccessRequest(models.Model):
    """A request to read or borrow a restricted item (查阅/借阅申请), decided by the unit's
    archivist; an approval lasts until `expires_at`."""

    class Kind(models.TextChoices):
        READ = "read", _("Read")
        BORROW = "borrow", _("Borrow")

    class State(models.TextChoices):
        PENDING = "pending", _("Pending")
        APPROVED = "approved", _("Approved")
        REFUSED = "refused", _("Refused")
        RETURNED = "returned", _("Returned")

    item = models.ForeignKey(ArchiveItem, on_delete=models.CASCADE, related_name="access_requests")
    requester = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="+"
    )
    kind = models.CharField(_("kind"), max_length=8, choices=Kind.choices)
    reason = models.CharField(_("reason"), max_length=300)
    state = models.CharField(
        _("state"), max_length=10, choices=State.choices, default=State.PENDING
    )
    requested_at = models.DateTimeField(_("requested at"), auto_now_add=True)
    decided_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )
    decided_at = models.DateTimeField(_("decided at"), null=True, blank=True)
    decision_note = models.CharField(_("note"), max_length=300, blank=True)
    expires_at = models.DateTimeField(_("expires at"), null=True, blank=True)

    class Meta:
        verbose_name = _("access request")
        verbose_name_plural = _("access requests")
        ordering = ["-requested_at"]

    def __str__(self):
        return f"{self.get_kind_display()} {self.item.archive_code}"


class AccessLogEntry(AppendOnlyModel):
    """Who opened or downloaded an item's files, and under which approval (利用登记)."""

    append_only_refusal = "The archive's access log is append-only."

    class Action(models.TextChoices):
        VIEW = "view", _("Viewed")
        DOWNLOAD = "download", _("Downloaded")

    item = models.ForeignKey(ArchiveItem, on_delete=models.PROTECT, related_name="access_log")
    user = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    action = models.CharField(_("action"), max_length=10, choices=Action.choices)
    file = models.ForeignKey(
        ArchiveFile, on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )
    request = models.ForeignKey(
        AccessRequest, on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )
    at = models.DateTimeField(_("at"), auto_now_add=True, db_index=True)

    class Meta:
        ordering = ["-at"]


class DestructionRequest(models.Model):
    """A proposal to destroy items whose retention has ended, from the yearly review; it needs the
    approval of two roles (the unit's archivist who did not propose it and a unit administrator)."""

    class State(models.TextChoices):
        PROPOSED = "proposed", _("Proposed")
        APPROVED = "approved", _("Destroyed")
        REFUSED = "refused", _("Refused")

    fonds = models.ForeignKey(FondsSettings, on_delete=models.PROTECT, related_name="+")
    items = models.ManyToManyField(ArchiveItem, related_name="destruction_requests")
    reason = models.TextField(_("reason"))
    proposed_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+"
    )
    proposed_at = models.DateTimeField(_("proposed at"), auto_now_add=True)
    state = models.CharField(
        _("state"), max_length=10, choices=State.choices, default=State.PROPOSED
    )

    def __str__(self):
        return f"{self.fonds.fonds_code}: {self.reason[:40]}"


class DestructionApproval(models.Model):
    request = models.ForeignKey(
        DestructionRequest, on_delete=models.CASCADE, related_name="approvals"
    )
    role = models.CharField(_("role"), max_length=20)
    user = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    approved = models.BooleanField(_("approved"))
    note = models.CharField(_("note"), max_length=300, blank=True)
    at = models.DateTimeField(_("at"), auto_now_add=True)

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["request", "role"], name="archive_approval_role_once")
        ]

    def __str__(self):
        return f"{self.role}: {self.user}"


class DestructionRecord(AppendOnlyModel):
    """The permanent record of a destroyed item (销毁清册): what, why, who and when, never the
    content."""

    append_only_refusal = "Destruction records are permanent."

    archive_code = models.CharField(_("archive code"), max_length=80)
    title = models.CharField(_("title"), max_length=300)
    doc_number = models.CharField(_("document number"), max_length=100, blank=True)
    year = models.PositiveSmallIntegerField(_("year"))
    retention = models.CharField(_("retention"), max_length=3, choices=Retention.choices)
    reason = models.TextField(_("reason"))
    proposed_by = models.CharField(_("proposed by"), max_length=150)
    approved_by = models.CharField(_("approved by"), max_length=300)
    destroyed_at = models.DateTimeField(_("destroyed at"), auto_now_add=True)
    fonds_code = models.CharField(_("fonds code"), max_length=12)

    class Meta:
        ordering = ["-destroyed_at"]


class RetentionExtension(AppendOnlyModel):
    """A retention review's decision to keep an item longer (鉴定延期): the item keeps its archive
    code as filed; its retention from then on is the latest extension's."""

    append_only_refusal = "Retention extensions are permanent."

    item = models.ForeignKey(
        ArchiveItem, on_delete=models.PROTECT, related_name="retention_extensions"
    )
    previous_retention = models.CharField(
        _("previous retention"), max_length=3, choices=Retention.choices
    )
    retention = models.CharField(_("new retention"), max_length=3, choices=Retention.choices)
    reason = models.CharField(_("reason"), max_length=300)
    review_year = models.PositiveSmallIntegerField(_("review year"))
    decided_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+"
    )
    at = models.DateTimeField(_("at"), auto_now_add=True)

    class Meta:
        ordering = ["-at"]


def private_storage():
    """settings.STORAGES["private"]: transfer packages are served only through a checked view."""
    from django.core.files.storage import storages

    return storages["private"]


class PackageExport(models.Model):
    """A transfer package (移交) of one unit's year, built in the background for an archivist and
    kept as a zip until downloaded by the unit's archivists."""

    class State(models.TextChoices):
        QUEUED = "queued", _("Queued")
        RUNNING = "running", _("Being built")
        DONE = "done", _("Ready")
        FAILED = "failed", _("Failed")

    fonds = models.ForeignKey(
        FondsSettings, verbose_name=_("fonds"), on_delete=models.PROTECT, related_name="exports"
    )
    year = models.PositiveSmallIntegerField(_("year"))
    requested_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("requested by"),
        on_delete=models.PROTECT,
        related_name="+",
    )
    requested_at = models.DateTimeField(_("requested at"), auto_now_add=True)
    state = models.CharField(_("state"), max_length=10, choices=State.choices, default=State.QUEUED)
    finished_at = models.DateTimeField(_("finished at"), null=True, blank=True)
    package = models.FileField(
        _("package"), storage=private_storage, upload_to="archive/packages/", max_length=300
    )
    size = models.PositiveBigIntegerField(_("size"), null=True, blank=True)
    item_count = models.PositiveIntegerField(_("items"), null=True, blank=True)
    error = models.CharField(_("error"), max_length=500, blank=True)

    class Meta:
        verbose_name = _("transfer package")
        verbose_name_plural = _("transfer packages")
        ordering = ["-requested_at"]
        constraints = [
            # One package of a year is built at a time.
            models.UniqueConstraint(
                fields=["fonds", "year"],
                condition=Q(state__in=["queued", "running"]),
                name="archive_export_one_running_per_year",
            )
        ]

    def __str__(self):
        return f"{self.fonds.fonds_code}-{self.year}"

"""The knowledge center (知识中心): a tree of categories, articles and files.

Categories nest to any depth under the index. Items are either articles (a rich body whose history
is Wagtail's revisions) or file items (one or more files, each keeping every uploaded version).
Who may see a category is stored beside it in `CategoryAccess` (see `permissions.py`).
"""

from datetime import timedelta
from pathlib import Path

from django.conf import settings
from django.contrib.auth.models import Group
from django.core.exceptions import ValidationError
from django.core.files.storage import Storage, storages
from django.db import models
from django.db.models import Q
from django.http import Http404
from django.utils import timezone
from django.utils.functional import cached_property
from django.utils.translation import gettext_lazy as _
from wagtail import blocks
from wagtail.admin.panels import FieldPanel, FieldRowPanel, MultiFieldPanel
from wagtail.fields import RichTextField, StreamField
from wagtail.models import Page
from wagtail.search import index

from core.blocks import DataTableBlock, HeadingBlock, ParagraphBlock, PlainImageBlock
from intranet.pages import IntranetPage, SectionIndexPage
from people.models import OrgUnit

REVIEW_INTERVAL_DAYS = 365


def default_review_date():
    return timezone.localdate() + timedelta(days=REVIEW_INTERVAL_DAYS)


def private_storage() -> Storage:
    """settings.STORAGES["private"]: a disk folder without URL, or a private bucket prefix."""
    return storages["private"]


class KnowledgeIndexPage(SectionIndexPage):
    """The root of the knowledge center."""

    navigation_section = "knowledge"
    subpage_types = ["knowledge.KnowledgeCategoryPage"]

    class Meta:
        verbose_name = _("knowledge center")

    def get_context(self, request, *args, **kwargs):
        from .selectors import index_context

        context = super().get_context(request, *args, **kwargs)
        context.update(index_context(self, request))
        return context

    def route(self, request, path_components):
        """The page below in one query, not two per level of the tree."""
        from .selectors import page_at

        if not path_components:
            return super().route(request, path_components)
        page = page_at(self, f"{self.url_path}{'/'.join(path_components)}/")
        if page is None:
            raise Http404
        return page.route(request, [])


class KnowledgeCategoryPage(IntranetPage):
    """A category (分类) of the knowledge center, e.g. 规章制度 or 安全生产."""

    intro = RichTextField(_("introduction"), blank=True, features=["bold", "italic", "link"])
    owner_unit = models.ForeignKey(
        OrgUnit,
        verbose_name=_("owning unit"),
        on_delete=models.PROTECT,
        related_name="+",
        null=True,
        blank=True,
        help_text=_("Its unit administrators manage who may view and edit this category."),
    )

    content_panels = [*Page.content_panels, FieldPanel("intro"), FieldPanel("owner_unit")]
    parent_page_types = ["knowledge.KnowledgeIndexPage", "knowledge.KnowledgeCategoryPage"]
    subpage_types = [
        "knowledge.KnowledgeCategoryPage",
        "knowledge.KnowledgeArticlePage",
        "knowledge.KnowledgeFilePage",
    ]

    class Meta:
        verbose_name = _("knowledge category")
        verbose_name_plural = _("knowledge categories")

    def get_context(self, request, *args, **kwargs):
        from .selectors import category_context

        context = super().get_context(request, *args, **kwargs)
        context.update(category_context(self, request))
        return context

    def serve(self, request, *args, **kwargs):
        from .permissions import require_view

        require_view(request.user, self)
        return super().serve(request, *args, **kwargs)


class CategoryAccess(models.Model):
    """Who may view a category and who may edit in it.

    Viewing: "inherit" shows the category to whoever sees its parent; "restricted" narrows it to
    the chosen units/departments (and everything below them) and groups. A restriction applies
    to the whole subtree and never widens what the parent allows.
    Editing: the chosen users and groups may add and edit pages in the category and below it,
    on top of the editors of the categories above (Wagtail page permissions inherit downwards).
    """

    class ViewRule(models.TextChoices):
        INHERIT = "inherit", _("Same as the parent category")
        RESTRICTED = "restricted", _("Only the chosen units, departments and groups")

    category = models.OneToOneField(
        KnowledgeCategoryPage,
        verbose_name=_("category"),
        on_delete=models.CASCADE,
        related_name="access",
    )
    view_rule = models.CharField(
        _("who may view"), max_length=12, choices=ViewRule.choices, default=ViewRule.INHERIT
    )
    view_units = models.ManyToManyField(
        OrgUnit,
        verbose_name=_("units and departments that may view"),
        related_name="+",
        blank=True,
        help_text=_("Everyone in these units and departments, including those below them."),
    )
    view_groups = models.ManyToManyField(
        Group, verbose_name=_("groups that may view"), related_name="+", blank=True
    )
    edit_users = models.ManyToManyField(
        settings.AUTH_USER_MODEL,
        verbose_name=_("users who may edit"),
        related_name="+",
        blank=True,
    )
    edit_groups = models.ManyToManyField(
        Group, verbose_name=_("groups that may edit"), related_name="+", blank=True
    )
    updated_at = models.DateTimeField(_("updated at"), auto_now=True)

    class Meta:
        verbose_name = _("category access")
        verbose_name_plural = _("category access")
        constraints = [
            models.CheckConstraint(
                condition=Q(view_rule__in=["inherit", "restricted"]),
                name="categoryaccess_view_rule_valid",
            )
        ]

    def __str__(self):
        return str(self.category)


class BodyBlock(blocks.StreamBlock):
    paragraph = ParagraphBlock()
    heading = HeadingBlock()
    image = PlainImageBlock()
    table = DataTableBlock()


class KnowledgeItemPage(IntranetPage):
    """What articles and file items share: ownership, keywords, validity, review and counters.

    The counters and the review fields change outside the page editor; `with_content_json`
    keeps their current values when a revision is published.
    """

    class Validity(models.TextChoices):
        EFFECTIVE = "effective", _("Effective")
        SUPERSEDED = "superseded", _("Superseded")

    owner_unit = models.ForeignKey(
        OrgUnit,
        verbose_name=_("owning unit"),
        on_delete=models.PROTECT,
        related_name="+",
        null=True,
    )
    responsible = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("responsible person"),
        on_delete=models.SET_NULL,
        related_name="+",
        null=True,
        blank=True,
        help_text=_("Keeps the content up to date and is reminded when its review is due."),
    )
    keywords = models.CharField(
        _("keywords"), max_length=200, blank=True, help_text=_("Separate keywords with commas.")
    )
    validity = models.CharField(
        _("validity"), max_length=12, choices=Validity.choices, default=Validity.EFFECTIVE
    )
    superseded_by = models.ForeignKey(
        "self",
        verbose_name=_("superseded by"),
        on_delete=models.SET_NULL,
        related_name="+",
        null=True,
        blank=True,
    )
    review_date = models.DateField(_("next review"), default=default_review_date)
    reviewed_at = models.DateTimeField(_("last reviewed"), null=True, blank=True)
    reviewed_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("reviewed by"),
        on_delete=models.SET_NULL,
        related_name="+",
        null=True,
        blank=True,
    )
    view_count = models.PositiveIntegerField(_("views"), default=0)
    download_count = models.PositiveIntegerField(_("downloads"), default=0)

    is_creatable = False
    parent_page_types = ["knowledge.KnowledgeCategoryPage"]
    subpage_types = []
    item_panels = [
        MultiFieldPanel(
            [
                FieldRowPanel([FieldPanel("owner_unit"), FieldPanel("responsible")]),
                FieldPanel("keywords"),
                FieldRowPanel([FieldPanel("validity"), FieldPanel("superseded_by")]),
            ],
            _("Ownership and validity"),
        )
    ]
    search_fields = [*Page.search_fields, index.SearchField("keywords")]
    PRESERVED_ON_PUBLISH = (
        "view_count",
        "download_count",
        "review_date",
        "reviewed_at",
        "reviewed_by_id",
    )

    class Meta:
        verbose_name = _("knowledge item")
        verbose_name_plural = _("knowledge items")
        indexes = [models.Index(fields=["review_date"], name="knowledge_item_review_idx")]
        constraints = [
            models.CheckConstraint(
                condition=Q(validity="superseded") | Q(superseded_by__isnull=True),
                name="knowledgeitem_only_superseded_names_successor",
            ),
            models.CheckConstraint(
                condition=Q(validity__in=["effective", "superseded"]),
                name="knowledgeitem_validity_valid",
            ),
        ]

    def clean(self):
        super().clean()
        if self.validity == self.Validity.SUPERSEDED and not self.superseded_by_id:
            raise ValidationError({"superseded_by": _("Name the item that supersedes this one.")})
        if self.validity == self.Validity.EFFECTIVE and self.superseded_by_id:
            raise ValidationError(
                {"superseded_by": _("Only a superseded item names its successor.")}
            )
        if self.superseded_by_id and self.superseded_by_id == self.pk:
            raise ValidationError({"superseded_by": _("An item cannot supersede itself.")})

    def save(self, *args, **kwargs):
        if self.responsible_id is None and self.owner_id is not None:
            self.responsible_id = self.owner_id
        super().save(*args, **kwargs)

    def with_content_json(self, content):
        page = super().with_content_json(content)
        # Read from the row, not from `self`: counters move while an editor works on a draft.
        current = (
            KnowledgeItemPage._base_manager.filter(pk=self.pk)
            .values(*self.PRESERVED_ON_PUBLISH)
            .first()
        )
        for field, value in (current or {}).items():
            setattr(page, field, value)
        return page

    @property
    def is_superseded(self) -> bool:
        return self.validity == self.Validity.SUPERSEDED

    @property
    def is_overdue(self) -> bool:
        """Past its review date and still in force: readers are told it may be out of date."""
        return not self.is_superseded and self.review_date < timezone.localdate()

    @cached_property
    def keyword_list(self) -> list[str]:
        separators = self.keywords.replace("，", ",").replace("、", ",")
        return [word.strip() for word in separators.split(",") if word.strip()]

    def serve(self, request, *args, **kwargs):
        from .permissions import require_view
        from .services import item_count_view

        require_view(request.user, self)
        item_count_view(self)
        return super().serve(request, *args, **kwargs)

    def get_context(self, request, *args, **kwargs):
        from .selectors import item_context

        context = super().get_context(request, *args, **kwargs)
        context.update(item_context(self, request))
        return context


class KnowledgeArticlePage(KnowledgeItemPage):
    """An article (文章): a rule, a manual chapter, an experience write-up."""

    summary = models.TextField(_("summary"), max_length=500, blank=True)
    body = StreamField(BodyBlock(), verbose_name=_("body"), blank=True)

    content_panels = [
        *Page.content_panels,
        FieldPanel("summary"),
        FieldPanel("body"),
        *KnowledgeItemPage.item_panels,
    ]
    search_fields = [
        *KnowledgeItemPage.search_fields,
        index.SearchField("summary"),
        index.SearchField("body"),
    ]
    is_creatable = True
    parent_page_types = ["knowledge.KnowledgeCategoryPage"]
    subpage_types = []

    class Meta:
        verbose_name = _("knowledge article")
        verbose_name_plural = _("knowledge articles")


class KnowledgeFilePage(KnowledgeItemPage):
    """A file item (文件): one or more files with a description; each file keeps its versions."""

    description = RichTextField(
        _("description"), blank=True, features=["bold", "italic", "link", "ol", "ul"]
    )

    content_panels = [
        *Page.content_panels,
        FieldPanel("description"),
        *KnowledgeItemPage.item_panels,
    ]
    search_fields = [*KnowledgeItemPage.search_fields, index.SearchField("description")]
    is_creatable = True
    parent_page_types = ["knowledge.KnowledgeCategoryPage"]
    subpage_types = []

    class Meta:
        verbose_name = _("knowledge file")
        verbose_name_plural = _("knowledge files")


class KnowledgeFile(models.Model):
    """One file of a file item; its content is the newest of its versions."""

    item = models.ForeignKey(
        KnowledgeFilePage, verbose_name=_("item"), on_delete=models.CASCADE, related_name="files"
    )
    title = models.CharField(_("title"), max_length=200)
    current_version = models.ForeignKey(
        "knowledge.KnowledgeFileVersion",
        verbose_name=_("current version"),
        on_delete=models.SET_NULL,
        related_name="+",
        null=True,
        blank=True,
    )
    created_at = models.DateTimeField(_("created at"), default=timezone.now)

    class Meta:
        verbose_name = _("file")
        verbose_name_plural = _("files")
        ordering = ["pk"]
        constraints = [
            models.UniqueConstraint(fields=["item", "title"], name="knowledgefile_unique_title")
        ]

    def __str__(self):
        return self.title


def version_upload_path(version, filename: str) -> str:
    extension = Path(filename).suffix.lower()
    return f"knowledge/{version.file.item_id}/{version.file_id}/v{version.number}{extension}"


class KnowledgeFileVersion(models.Model):
    """An uploaded version of a file: kept for good, with who, when, why, and its text."""

    class Extraction(models.TextChoices):
        PENDING = "pending", _("Waiting for text extraction")
        DONE = "done", _("Text extracted")
        FAILED = "failed", _("Text extraction failed")

    file = models.ForeignKey(
        KnowledgeFile, verbose_name=_("file"), on_delete=models.CASCADE, related_name="versions"
    )
    number = models.PositiveIntegerField(_("version"))
    blob = models.FileField(
        _("file content"), storage=private_storage, upload_to=version_upload_path, max_length=300
    )
    original_name = models.CharField(_("file name"), max_length=255)
    size = models.PositiveBigIntegerField(_("size"))
    sha256 = models.CharField(_("SHA-256"), max_length=64)
    content_type = models.CharField(_("content type"), max_length=100)
    change_note = models.CharField(_("change note"), max_length=300, blank=True)
    uploaded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("uploaded by"),
        on_delete=models.SET_NULL,
        related_name="+",
        null=True,
    )
    uploaded_at = models.DateTimeField(_("uploaded at"), default=timezone.now)
    extraction_status = models.CharField(
        _("text extraction"),
        max_length=10,
        choices=Extraction.choices,
        default=Extraction.PENDING,
    )
    extraction_error = models.TextField(_("extraction error"), blank=True)
    extracted_text = models.TextField(_("extracted text"), blank=True)
    page_count = models.PositiveIntegerField(_("page count"), default=0)
    ocr_page_count = models.PositiveIntegerField(_("pages read by OCR"), default=0)
    extracted_at = models.DateTimeField(_("extracted at"), null=True, blank=True)

    class Meta:
        verbose_name = _("file version")
        verbose_name_plural = _("file versions")
        ordering = ["-number"]
        constraints = [
            models.UniqueConstraint(fields=["file", "number"], name="knowledgefileversion_unique"),
            models.CheckConstraint(condition=Q(number__gte=1), name="knowledgefileversion_number"),
            models.CheckConstraint(
                condition=Q(extraction_status__in=["pending", "done", "failed"]),
                name="knowledgefileversion_extraction_valid",
            ),
        ]

    def __str__(self):
        return f"{self.file} v{self.number}"

    @property
    def is_pdf(self) -> bool:
        return self.content_type == "application/pdf"

    @property
    def is_image(self) -> bool:
        return self.content_type.startswith("image/")

    @property
    def extension(self) -> str:
        return Path(self.original_name).suffix.lstrip(".").upper()


class ReviewReminder(models.Model):
    """That an owner was reminded of their due reviews on a day (one reminder a day at most)."""

    user = models.ForeignKey(
        settings.AUTH_USER_MODEL, verbose_name=_("user"), on_delete=models.CASCADE, related_name="+"
    )
    sent_on = models.DateField(_("sent on"))
    item_count = models.PositiveIntegerField(_("items"))

    class Meta:
        verbose_name = _("review reminder")
        verbose_name_plural = _("review reminders")
        constraints = [
            models.UniqueConstraint(fields=["user", "sent_on"], name="reviewreminder_once_a_day")
        ]

    def __str__(self):
        return f"{self.user} {self.sent_on}"


class KnowledgeReview(models.Model):
    """One review of an item: when it was due and when it was done, so that reviews done on time
    can be told from late ones after the item's next review date has replaced the due one.

    `due_date` is empty for the reviews recorded before the due date was kept."""

    item = models.ForeignKey(
        KnowledgeItemPage,
        verbose_name=_("item"),
        on_delete=models.CASCADE,
        related_name="reviews",
    )
    due_date = models.DateField(_("due date"), null=True, blank=True)
    reviewed_at = models.DateTimeField(_("reviewed at"))
    reviewed_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("reviewed by"),
        on_delete=models.SET_NULL,
        related_name="+",
        null=True,
        blank=True,
    )

    class Meta:
        verbose_name = _("knowledge item review")
        verbose_name_plural = _("knowledge item reviews")
        indexes = [
            models.Index(fields=["reviewed_at"], name="knowledge_review_at_idx"),
            models.Index(fields=["due_date"], name="knowledge_review_due_idx"),
        ]

    def __str__(self):
        return f"{self.item_id} {self.reviewed_at:%Y-%m-%d} (due {self.due_date})"

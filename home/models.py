"""The portal home page, the news center with its columns, and notices with their audiences."""

import functools

from django.core.exceptions import ValidationError
from django.db import models
from django.http import Http404
from django.utils import timezone
from django.utils.functional import SimpleLazyObject
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy
from modelcluster.contrib.taggit import ClusterTaggableManager
from modelcluster.fields import ParentalKey, ParentalManyToManyField
from taggit.models import TaggedItemBase
from wagtail import blocks
from wagtail.admin.panels import FieldPanel, InlinePanel, MultiFieldPanel
from wagtail.fields import RichTextField, StreamField
from wagtail.models import GroupApprovalTask, Orderable, Page
from wagtail.search import index

from core.blocks import CaptionedImageBlock, DataTableBlock, EmbeddedDocumentBlock, ParagraphBlock
from intranet.navigation import section_urls
from intranet.pages import IntranetPage, SectionIndexPage
from intranet.portal import rendered_panels
from people.models import OrgUnit
from people.permissions import may_edit_content

from .forms import NoticePageForm

# The read paths import these models, so models reach them inside methods.


class HomePage(IntranetPage):
    """The portal (首页): a personal page for every signed-in employee."""

    subpage_types = ["home.NewsIndexPage", "home.NoticeIndexPage", "knowledge.KnowledgeIndexPage"]
    parent_page_types = ["wagtailcore.Page"]
    max_count = 1

    class Meta:
        verbose_name = _("portal home page")

    def route(self, request, path_components):
        from .routing import cached_route

        if not path_components:
            return super().route(request, path_components)
        portal_pages = (NewsIndexPage, NewsColumnPage, NewsPage, NoticeIndexPage, NoticePage)
        return cached_route(self, request, path_components, portal_pages)

    def get_context(self, request, *args, **kwargs):
        from .selectors import portal_context

        context = super().get_context(request, *args, **kwargs)
        context["portal_panels"] = rendered_panels(request)
        context["can_edit_content"] = may_edit_content(request.user)
        context["notices_url"] = section_urls(request).get(NoticeIndexPage.navigation_section)
        context.update(portal_context(self, request.user))
        return context


class ColumnSettings(models.Model):
    """What a publishing column (栏目) knows about its ownership and moderation."""

    owner_unit = models.ForeignKey(
        OrgUnit,
        verbose_name=_("owning unit"),
        on_delete=models.PROTECT,
        related_name="+",
        null=True,
        blank=True,
        help_text=_("The unit whose column administrators moderate this column."),
    )
    direct_publish = models.BooleanField(
        _("direct publish"),
        default=False,
        help_text=_("Editors publish without a moderator's approval."),
    )

    column_panels = [
        MultiFieldPanel(
            [FieldPanel("owner_unit"), FieldPanel("direct_publish")],
            pgettext_lazy("publishing", "Column"),
        ),
    ]

    class Meta:
        abstract = True


class NewsIndexPage(SectionIndexPage):
    """The news center (新闻中心); its children are the columns (栏目)."""

    navigation_section = "news"
    subpage_types = ["home.NewsColumnPage"]

    class Meta:
        verbose_name = _("news center")

    def get_context(self, request, *args, **kwargs):
        from .selectors import content_version, news_columns, news_list

        context = super().get_context(request, *args, **kwargs)
        columns = news_columns(self)
        current = next((c for c in columns if str(c.pk) == request.GET.get("column")), None)
        context["columns"] = columns
        context["current_column"] = current
        context["content_version"] = content_version()
        context["children"] = news_list(current or self, page_number=request.GET.get("page"))
        return context


class NewsColumnPage(IntranetPage, ColumnSettings):  # noqa: DJ008 (Page gives __str__)
    """A news column (栏目), e.g. 集团要闻 or 基层动态."""

    intro = RichTextField(_("introduction"), blank=True, features=["bold", "italic", "link"])

    content_panels = [*Page.content_panels, FieldPanel("intro")]
    settings_panels = [*Page.settings_panels, *ColumnSettings.column_panels]
    parent_page_types = ["home.NewsIndexPage"]
    subpage_types = ["home.NewsPage"]

    class Meta:
        verbose_name = _("news column")

    def get_context(self, request, *args, **kwargs):
        from .selectors import content_version, news_list

        context = super().get_context(request, *args, **kwargs)
        context["content_version"] = content_version()
        context["children"] = news_list(self, page_number=request.GET.get("page"))
        return context


class NewsPageTag(TaggedItemBase):
    content_object = ParentalKey(
        "home.NewsPage", related_name="tagged_items", on_delete=models.CASCADE
    )


class BodyBlock(blocks.StreamBlock):
    paragraph = ParagraphBlock()
    image = CaptionedImageBlock()
    document = EmbeddedDocumentBlock()
    table = DataTableBlock()


class NewsPage(IntranetPage):
    """A news item (新闻)."""

    subtitle = models.CharField(_("subtitle"), max_length=200, blank=True)
    source = models.CharField(_("source"), max_length=100, blank=True)
    author = models.CharField(_("author"), max_length=100, blank=True)
    news_date = models.DateField(_("date"), default=timezone.localdate)
    cover_image = models.ForeignKey(
        "wagtailimages.Image",
        verbose_name=_("cover image"),
        on_delete=models.SET_NULL,
        related_name="+",
        null=True,
        blank=True,
    )
    summary = models.TextField(_("summary"), blank=True, max_length=300)
    body = StreamField(BodyBlock(), verbose_name=_("body"), blank=True)
    tags = ClusterTaggableManager(through=NewsPageTag, blank=True, verbose_name=_("tags"))
    owner_unit = models.ForeignKey(
        OrgUnit,
        verbose_name=_("owning unit"),
        on_delete=models.PROTECT,
        related_name="+",
        null=True,
        blank=True,
    )

    content_panels = [
        *Page.content_panels,
        FieldPanel("subtitle"),
        MultiFieldPanel(
            [FieldPanel("source"), FieldPanel("author"), FieldPanel("news_date")], _("Byline")
        ),
        FieldPanel("cover_image"),
        FieldPanel("summary"),
        FieldPanel("body"),
        InlinePanel("attachments", label=_("Attachments")),
        FieldPanel("tags"),
    ]
    search_fields = [
        *Page.search_fields,
        index.SearchField("subtitle"),
        index.SearchField("summary"),
        index.SearchField("body"),
        index.FilterField("news_date"),
    ]
    parent_page_types = ["home.NewsColumnPage"]
    subpage_types = []

    class Meta:
        verbose_name = _("news")
        verbose_name_plural = _("news")

    def save(self, *args, **kwargs):
        # The creator's unit owns the item; the form does not offer the field, so revisions
        # carry it on unchanged.
        if self.owner_unit_id is None and self.owner_id and self.owner.department_id:
            self.owner_unit_id = self.owner.department.unit_id
        super().save(*args, **kwargs)

    def permissions_for_user(self, user):
        from .page_permissions import NewsPagePermissionTester

        return NewsPagePermissionTester(user, self)

    def get_context(self, request, *args, **kwargs):
        from .selectors import content_version, news_neighbours, related_news

        # Read only when the rendered page is not cached.
        neighbours = functools.cache(lambda: news_neighbours(self))
        context = super().get_context(request, *args, **kwargs)
        context["content_version"] = content_version()
        context["previous_news"] = SimpleLazyObject(lambda: neighbours()[0])
        context["next_news"] = SimpleLazyObject(lambda: neighbours()[1])
        context["related_news"] = SimpleLazyObject(lambda: related_news(self, limit=5))
        return context


class ColumnApprovalTask(GroupApprovalTask):
    """A column's moderation step (栏目审核): its moderators approve or request changes, except
    on a submission of their own, which another moderator decides."""

    class Meta:
        verbose_name = _("column review task")
        verbose_name_plural = _("column review tasks")

    @classmethod
    def get_description(cls):
        return _("The column's moderators decide; nobody decides their own submission.")

    def get_actions(self, obj, user):
        workflow_state = obj.current_workflow_state
        if workflow_state and workflow_state.requested_by_id == user.pk:
            return []
        return super().get_actions(obj, user)

    def get_task_states_user_can_moderate(self, user, **kwargs):
        states = super().get_task_states_user_can_moderate(user, **kwargs)
        return states.exclude(workflow_state__requested_by=user)


class NewsAttachment(Orderable):
    page = ParentalKey(NewsPage, on_delete=models.CASCADE, related_name="attachments")
    document = models.ForeignKey(
        "wagtaildocs.Document", verbose_name=_("file"), on_delete=models.CASCADE, related_name="+"
    )

    panels = [FieldPanel("document")]


class NoticeIndexPage(SectionIndexPage, ColumnSettings):  # noqa: DJ008 (Page gives __str__)
    """Notices and announcements (通知公告): itself a column, with notices below it."""

    navigation_section = "notices"
    settings_panels = [*Page.settings_panels, *ColumnSettings.column_panels]
    subpage_types = ["home.NoticePage"]

    class Meta:
        verbose_name = _("notices")

    def get_context(self, request, *args, **kwargs):
        from .selectors import notice_list

        context = super().get_context(request, *args, **kwargs)
        context["children"], context["notices_key"] = notice_list(
            request.user, page_number=request.GET.get("page")
        )
        return context


class NoticePage(IntranetPage):
    """A notice (通知公告) for the whole group or for chosen units and departments."""

    class Audience(models.TextChoices):
        EVERYONE = "everyone", _("The whole group")
        CHOSEN = "chosen", _("Chosen units and departments")

    class Priority(models.IntegerChoices):
        NORMAL = 0, _("Normal")
        IMPORTANT = 1, _("Important")
        URGENT = 2, _("Urgent")

    issuing_department = models.ForeignKey(
        OrgUnit,
        verbose_name=_("issuing department"),
        on_delete=models.PROTECT,
        related_name="+",
        null=True,
    )
    audience = models.CharField(
        _("audience"), max_length=10, choices=Audience.choices, default=Audience.EVERYONE
    )
    audience_units = ParentalManyToManyField(
        OrgUnit,
        verbose_name=_("audience units and departments"),
        related_name="+",
        blank=True,
        help_text=_("Everyone in these units and departments, including those below them."),
    )
    priority = models.PositiveSmallIntegerField(
        _("priority"), choices=Priority.choices, default=Priority.NORMAL
    )
    pinned_until = models.DateField(_("pinned until"), null=True, blank=True)
    expires_on = models.DateField(
        _("expires on"),
        null=True,
        blank=True,
        help_text=_("After this day the notice leaves the lists; its link keeps working."),
    )
    body = RichTextField(_("body"))

    content_panels = [
        *Page.content_panels,
        FieldPanel("issuing_department"),
        MultiFieldPanel([FieldPanel("audience"), FieldPanel("audience_units")], _("Audience")),
        MultiFieldPanel(
            [FieldPanel("priority"), FieldPanel("pinned_until"), FieldPanel("expires_on")],
            _("Display"),
        ),
        FieldPanel("body"),
        InlinePanel("attachments", label=_("Attachments")),
    ]
    search_fields = [*Page.search_fields, index.SearchField("body")]
    base_form_class = NoticePageForm
    parent_page_types = ["home.NoticeIndexPage"]
    subpage_types = []

    class Meta:
        verbose_name = _("notice")
        verbose_name_plural = _("notices")

    def clean(self):
        super().clean()
        errors = {}
        today = timezone.localdate()
        if self.pinned_until and self.pinned_until < today:
            errors["pinned_until"] = _("The pin date is in the past.")
        if self.expires_on and self.pinned_until and self.expires_on < self.pinned_until:
            errors["expires_on"] = _("The notice cannot expire before its pin ends.")
        if errors:
            raise ValidationError(errors)

    @property
    def is_expired(self) -> bool:
        return bool(self.expires_on and self.expires_on < timezone.localdate())

    @property
    def is_pinned(self) -> bool:
        return bool(self.pinned_until and self.pinned_until >= timezone.localdate())

    def get_context(self, request, *args, **kwargs):
        from .permissions import can_view_notice_stats
        from .selectors import content_version

        context = super().get_context(request, *args, **kwargs)
        context["can_view_reading"] = can_view_notice_stats(request.user, self)
        context["content_version"] = content_version()
        return context

    def permissions_for_user(self, user):
        from .page_permissions import ColumnItemPermissionTester

        return ColumnItemPermissionTester(user, self)

    def serve(self, request, *args, **kwargs):
        from .permissions import notice_visible_to
        from .services import notice_mark_read

        if not notice_visible_to(request.user, self):
            raise Http404

        notice_mark_read(notice=self, user=request.user)
        return super().serve(request, *args, **kwargs)


class NoticeAttachment(Orderable):
    page = ParentalKey(NoticePage, on_delete=models.CASCADE, related_name="attachments")
    document = models.ForeignKey(
        "wagtaildocs.Document", verbose_name=_("file"), on_delete=models.CASCADE, related_name="+"
    )

    panels = [FieldPanel("document")]


class NoticeReadReceipt(models.Model):
    """That a user opened a notice, and when first (one row per user and notice)."""

    notice = models.ForeignKey(NoticePage, on_delete=models.CASCADE, related_name="receipts")
    user = models.ForeignKey(
        "people.User", on_delete=models.CASCADE, related_name="notice_receipts"
    )
    read_at = models.DateTimeField(_("read at"), default=timezone.now)

    class Meta:
        verbose_name = _("read receipt")
        verbose_name_plural = _("read receipts")
        constraints = [
            models.UniqueConstraint(fields=["notice", "user"], name="noticereadreceipt_unique")
        ]

    def __str__(self):
        return f"{self.user} · {self.notice}"

"""The portal home page and the roots of the news center and the notices."""

from django.utils.translation import gettext_lazy as _
from wagtail.models import Page

from intranet.pages import SectionIndexPage
from people.selectors.admin import unseen_decisions
from workflow.selectors import pending_tasks_for

from .selectors import sections_with_latest_items


class HomePage(Page):
    """The portal (首页): a personal page for every signed-in employee."""

    subpage_types = ["home.NewsIndexPage", "home.NoticeIndexPage", "knowledge.KnowledgeIndexPage"]
    parent_page_types = ["wagtailcore.Page"]
    max_count = 1

    class Meta:
        verbose_name = _("portal home page")

    def get_context(self, request, *args, **kwargs):
        context = super().get_context(request, *args, **kwargs)
        context["pending_tasks"] = pending_tasks_for(request.user, limit=5)
        context["sections"] = sections_with_latest_items(self, limit=6)
        context["decisions"] = unseen_decisions(request.user)
        return context


class NewsIndexPage(SectionIndexPage):
    """The news center (新闻中心); columns (栏目) will live below it."""

    navigation_section = "news"

    class Meta:
        verbose_name = _("news center")


class NoticeIndexPage(SectionIndexPage):
    """Notices and announcements (通知公告)."""

    navigation_section = "notices"

    class Meta:
        verbose_name = _("notices")

"""Page shapes shared by the content apps."""

from django.utils.translation import gettext_lazy as _
from wagtail.admin.panels import FieldPanel
from wagtail.fields import RichTextField
from wagtail.models import Page, PageViewRestriction


class IntranetPage(Page):
    """The base of every page model of ours.

    Wagtail's page privacy is switched off: who reads a page is decided by the apps' own rules
    (a notice's audience, a knowledge category's access), which every read path (page, lists,
    API, feeds, search) applies. Page privacy would guard the page's URL only, so it is neither
    offered in the admin nor honoured if a restriction row appears anyway.
    """

    private_page_options = []

    class Meta:
        abstract = True

    def get_view_restrictions(self):
        return PageViewRestriction.objects.none()


class SectionIndexPage(IntranetPage):
    """A top-level section of the portal (news, notices, knowledge): an introduction and a list.

    `navigation_section` names the entry of the main navigation that leads here. Each section lists
    its own children (by its own reading rules) in `get_context`.
    """

    navigation_section = ""

    intro = RichTextField(_("introduction"), blank=True, features=["bold", "italic", "link"])

    content_panels = [*Page.content_panels, FieldPanel("intro")]
    parent_page_types = ["home.HomePage"]
    max_count = 1

    class Meta:
        abstract = True


def section_page_ensure(parent: Page, page_class, *, title: str, slug: str, intro: str) -> Page:
    """The single page of `page_class` below `parent`, created and published if missing."""
    existing = page_class.objects.child_of(parent).first()
    if existing:
        return existing
    page = parent.add_child(instance=page_class(title=title, slug=slug, intro=f"<p>{intro}</p>"))
    page.save_revision().publish()
    return page

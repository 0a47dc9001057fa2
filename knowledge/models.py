"""The knowledge center (知识中心): a tree of categories, articles and files."""

from django.utils.translation import gettext_lazy as _

from intranet.pages import SectionIndexPage


class KnowledgeIndexPage(SectionIndexPage):
    """The root of the knowledge center."""

    navigation_section = "knowledge"

    class Meta:
        verbose_name = _("knowledge center")

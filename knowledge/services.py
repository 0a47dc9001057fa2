"""Operations on the knowledge center's page tree."""

from django.db import transaction
from wagtail.models import Page

from intranet.pages import section_page_ensure

from .models import KnowledgeIndexPage


@transaction.atomic
def knowledge_root_ensure(home: Page) -> KnowledgeIndexPage:
    return section_page_ensure(
        home,
        KnowledgeIndexPage,
        title="知识中心",
        slug="knowledge",
        intro="规章制度、技术标准、办公模板与经验交流。",
    )

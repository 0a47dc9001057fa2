"""Knowledge-center pages, made the way editors make them: added below their parent and published
through a revision. They need the page tree (the `portal` fixture)."""

import factory
from django.core.files.uploadedfile import SimpleUploadedFile
from wagtail.rich_text import RichText

from knowledge.models import (
    KnowledgeArticlePage,
    KnowledgeCategoryPage,
    KnowledgeFilePage,
    KnowledgeIndexPage,
)
from knowledge.services import file_version_add
from people.models import OrgUnit
from tests.factories.people import OrgUnitFactory
from tests.factories.publishing import PageFactory


def some_unit() -> OrgUnit:
    return OrgUnit.objects.order_by("path").first() or OrgUnitFactory(
        code="KC-OWNER", name="知识中心归口单位", kind=OrgUnit.Kind.HEADQUARTERS
    )


class KnowledgeItemPageFactory(PageFactory):
    class Meta:
        abstract = True

    owner_unit = factory.LazyFunction(some_unit)


class KnowledgeCategoryPageFactory(PageFactory):
    class Meta:
        model = KnowledgeCategoryPage

    parent = factory.LazyFunction(lambda: KnowledgeIndexPage.objects.get())
    title = factory.Sequence(lambda n: f"分类{n}")
    slug = factory.Sequence(lambda n: f"category-{n}")


class KnowledgeArticlePageFactory(KnowledgeItemPageFactory):
    class Meta:
        model = KnowledgeArticlePage

    parent = factory.SubFactory(KnowledgeCategoryPageFactory)
    title = factory.Sequence(lambda n: f"文章{n}")
    slug = factory.Sequence(lambda n: f"article-{n}")
    summary = factory.LazyAttribute(lambda page: f"{page.title}的摘要。")
    body = factory.LazyAttribute(
        lambda page: [("paragraph", RichText(f"<p>{page.title}正文。</p>"))]
    )


class KnowledgeFilePageFactory(KnowledgeItemPageFactory):
    class Meta:
        model = KnowledgeFilePage

    parent = factory.SubFactory(KnowledgeCategoryPageFactory)
    title = factory.Sequence(lambda n: f"文件{n}")
    slug = factory.Sequence(lambda n: f"file-{n}")
    description = "<p>文件说明。</p>"


def upload(name: str, content: bytes, content_type: str = "application/octet-stream"):
    return SimpleUploadedFile(name, content, content_type=content_type)


def add_version(item, user, name: str, content: bytes, *, file=None, note: str = ""):
    """Upload as `user` (who must be an editor of the item)."""
    return file_version_add(
        item=item, user=user, uploaded=upload(name, content), file=file, change_note=note
    )

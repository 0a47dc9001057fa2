"""Pages of the news center and the notices, made the way editors make them: added below their
parent and published through a revision (`live=False` leaves a draft with one revision).

They need the page tree (the `portal` fixture): columns default to the news center, notices to
the notices page.
"""

import factory
from wagtail.rich_text import RichText

from home.models import NewsColumnPage, NewsIndexPage, NewsPage, NoticeIndexPage, NoticePage


class PageFactory(factory.Factory):
    class Meta:
        abstract = True

    title = factory.Sequence(lambda n: f"页面{n}")
    slug = factory.Sequence(lambda n: f"page-{n}")
    live = True

    @classmethod
    def _create(cls, model_class, *args, parent, live, **kwargs):
        page = parent.add_child(instance=model_class(live=False, **kwargs))
        revision = page.save_revision()
        if live:
            revision.publish()
            page.refresh_from_db()
        return page

    @classmethod
    def _build(cls, model_class, *args, **kwargs):
        raise NotImplementedError("Pages only exist in the tree; use create().")


class NewsColumnPageFactory(PageFactory):
    class Meta:
        model = NewsColumnPage

    parent = factory.LazyFunction(lambda: NewsIndexPage.objects.get())
    title = factory.Sequence(lambda n: f"栏目{n}")
    slug = factory.Sequence(lambda n: f"column-{n}")
    owner_unit = None
    direct_publish = False


class NewsPageFactory(PageFactory):
    class Meta:
        model = NewsPage

    parent = factory.SubFactory(NewsColumnPageFactory)
    title = factory.Sequence(lambda n: f"新闻{n}")
    slug = factory.Sequence(lambda n: f"news-{n}")
    owner_unit = factory.LazyAttribute(
        lambda page: getattr(page.parent.specific, "owner_unit", None)
    )
    summary = factory.LazyAttribute(lambda page: f"{page.title}的摘要。")
    body = factory.LazyAttribute(
        lambda page: [("paragraph", RichText(f"<p>{page.title}正文。</p>"))]
    )


class NoticePageFactory(PageFactory):
    class Meta:
        model = NoticePage

    parent = factory.LazyFunction(lambda: NoticeIndexPage.objects.get())
    title = factory.Sequence(lambda n: f"通知{n}")
    slug = factory.Sequence(lambda n: f"notice-{n}")
    audience = NoticePage.Audience.EVERYONE
    body = factory.LazyAttribute(lambda page: f"<p>{page.title}正文。</p>")

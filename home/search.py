"""How news and notices become search entries, and when they are sent to the index again.

News is for all staff. A notice carries its audience as the access list: everyone, or the chosen
org nodes (a user whose department or concurrent post is at or below one of them matches), which is
the rule of `home.selectors.visible_notices`. Expired notices stay searchable: their links work.
"""

from datetime import datetime, time

from django.db.models.signals import post_delete
from django.dispatch import receiver
from django.utils import timezone
from django.utils.html import strip_tags
from django.utils.translation import gettext_lazy as _
from wagtail.models import Page
from wagtail.signals import page_published, page_slug_changed, page_unpublished, post_page_move

from search import outbox
from search.registry import SearchEntry, SearchProvider, register

from .editorial import column_group_ids
from .models import NewsColumnPage, NewsPage, NoticeIndexPage, NoticePage

CHUNK = 500


def _plain(field_name: str, page: Page) -> str:
    field = type(page)._meta.get_field(field_name)
    content = field.get_searchable_content(getattr(page, field_name))
    return " ".join(strip_tags(str(part)) for part in content if part)


def _unit_of(node) -> tuple[str, str]:
    """The (code, name) of the headquarters or unit a node belongs to."""
    if node is None:
        return "", ""
    unit = node.unit if node.unit_id and node.unit_id != node.pk else node
    return unit.code, unit.display_name


def _attachment_titles(page: Page) -> str:
    return " ".join(attachment.document.title for attachment in page.attachments.all())


class NewsProvider(SearchProvider):
    kind = "news"
    label = _("News")

    def _pages(self):
        return (
            NewsPage.objects.live()
            .prefetch_related("tagged_items__tag", "attachments__document")
            .order_by("pk")
        )

    def _column_units(self) -> dict[str, tuple[str, str]]:
        columns = NewsColumnPage.objects.select_related("owner_unit", "owner_unit__unit")
        return {column.path: _unit_of(column.owner_unit) for column in columns}

    def entries(self):
        column_units = self._column_units()
        for page in self._pages().iterator(chunk_size=CHUNK):
            yield self._entry(page, column_units)

    def entry_for(self, key):
        page = self._pages().filter(pk=key).first()
        return self._entry(page, self._column_units()) if page else None

    def _entry(self, page: NewsPage, column_units) -> SearchEntry:
        unit, unit_name = column_units.get(page.path[: -Page.steplen], ("", ""))
        body = " ".join(
            filter(
                None,
                [
                    page.subtitle,
                    page.summary,
                    _plain("body", page),
                    page.source,
                    page.author,
                    _attachment_titles(page),
                ],
            )
        )
        return SearchEntry(
            kind=self.kind,
            key=str(page.pk),
            title=page.title,
            body=body,
            url=page.get_url() or "",
            unit=unit,
            unit_name=unit_name,
            date=timezone.make_aware(datetime.combine(page.news_date, time.min)),
            tags=tuple(item.tag.name for item in page.tagged_items.all()),
            access=("all",),
        )


class NoticeProvider(SearchProvider):
    kind = "notice"
    label = _("Notices")

    def _pages(self):
        return (
            NoticePage.objects.live()
            .select_related("issuing_department", "issuing_department__unit")
            .prefetch_related("audience_units", "attachments__document")
            .order_by("pk")
        )

    def _column_groups(self) -> dict[str, list[int]]:
        columns = dict(NoticeIndexPage.objects.values_list("pk", "path"))
        return {
            columns[column_id]: group_ids
            for column_id, group_ids in column_group_ids(columns).items()
        }

    def entries(self):
        column_groups = self._column_groups()
        for page in self._pages().iterator(chunk_size=CHUNK):
            yield self._entry(page, column_groups)

    def entry_for(self, key):
        page = self._pages().filter(pk=key).first()
        return self._entry(page, self._column_groups()) if page else None

    def _entry(self, page: NoticePage, column_groups: dict[str, list[int]]) -> SearchEntry:
        unit, unit_name = _unit_of(page.issuing_department)
        body = " ".join(filter(None, [_plain("body", page), _attachment_titles(page)]))
        return SearchEntry(
            kind=self.kind,
            key=str(page.pk),
            title=page.title,
            body=body,
            url=page.get_url() or "",
            unit=unit,
            unit_name=unit_name,
            date=page.first_published_at,
            access=notice_access(page, column_groups.get(page.path[: -Page.steplen], ())),
        )


def notice_access(page: NoticePage, column_group_ids=()) -> tuple[str, ...]:
    """The principals a notice reaches: everyone, or its audience's org nodes, its issuer and its
    column's editors and moderators (the rule of `visible_notices`)."""
    if page.audience == NoticePage.Audience.EVERYONE:
        return ("all",)
    principals = {f"org:{node.path}" for node in page.audience_units.all()}
    principals.update(f"group:{group_id}" for group_id in column_group_ids)
    if page.owner_id:
        principals.add(f"user:{page.owner_id}")
    return tuple(sorted(principals))


register(NewsProvider())
register(NoticeProvider())


def _kind_of(page) -> str | None:
    if isinstance(page, NewsPage):
        return "news"
    if isinstance(page, NoticePage):
        return "notice"
    return None


@receiver(page_published)
@receiver(page_unpublished)
def reindex_page(sender, instance, **kwargs):
    """In the publishing transaction: the page's entry (or its removal) is queued."""
    kind = _kind_of(instance)
    if kind:
        outbox.enqueue(kind, str(instance.pk))
    elif isinstance(instance, NewsColumnPage):  # its owning unit is every news item's facet
        outbox.enqueue_many(
            "news",
            [str(pk) for pk in NewsPage.objects.child_of(instance).values_list("pk", flat=True)],
        )


@receiver(post_page_move)
@receiver(page_slug_changed)
def reindex_moved_pages(sender, instance, **kwargs):
    """URLs of the page and everything below it changed."""
    pages = Page.objects.descendant_of(instance, inclusive=True)
    for model, kind in ((NewsPage, "news"), (NoticePage, "notice")):
        keys = model.objects.filter(pk__in=pages.values("pk")).values_list("pk", flat=True)
        outbox.enqueue_many(kind, [str(pk) for pk in keys])


@receiver(post_delete, sender=NewsPage)
@receiver(post_delete, sender=NoticePage)
def remove_deleted_page(sender, instance, **kwargs):
    outbox.enqueue_removal(_kind_of(instance), str(instance.pk))

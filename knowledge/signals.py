"""Keep the search index, the editors' Wagtail groups and the cached pages in step with the page
tree and the category access."""

from django.db.models.signals import m2m_changed, post_delete, post_save
from django.dispatch import receiver
from wagtail.signals import page_published, page_slug_changed, page_unpublished, post_page_move

from intranet.portal import panel_changed

from . import search_sync
from .caching import bump_access, bump_content
from .editorial import category_editors_remove
from .models import (
    CategoryAccess,
    KnowledgeArticlePage,
    KnowledgeCategoryPage,
    KnowledgeFilePage,
    KnowledgeIndexPage,
    KnowledgeItemPage,
)
from .portal import REVIEW_DUE_PANEL

KNOWLEDGE_PAGES = (
    KnowledgeIndexPage,
    KnowledgeCategoryPage,
    KnowledgeArticlePage,
    KnowledgeFilePage,
)


@receiver(page_published)
@receiver(page_unpublished)
def reindex_published_item(sender, instance, **kwargs):
    if isinstance(instance, KnowledgeItemPage):
        search_sync.item_changed(instance.pk)
        panel_changed(REVIEW_DUE_PANEL)


@receiver(post_page_move)
def reindex_moved_subtree(sender, instance, **kwargs):
    # A move can put pages under another category's restriction.
    page = instance.specific_deferred
    if isinstance(page, KnowledgeItemPage):
        search_sync.item_changed(page.pk)
    elif isinstance(page, KnowledgeCategoryPage):
        search_sync.subtree_changed(page)


@receiver(post_delete, sender=KnowledgeArticlePage)
@receiver(post_delete, sender=KnowledgeFilePage)
def forget_deleted_item(sender, instance, **kwargs):
    search_sync.item_changed(instance.pk)
    panel_changed(REVIEW_DUE_PANEL)


@receiver(post_save, sender=KnowledgeArticlePage)
@receiver(post_save, sender=KnowledgeFilePage)
def forget_review_due_lists(sender, instance, **kwargs):
    panel_changed(REVIEW_DUE_PANEL)


@receiver(post_delete, sender=KnowledgeCategoryPage)
def forget_category_editors(sender, instance, **kwargs):
    category_editors_remove(instance.pk)


@receiver(page_published)
@receiver(page_unpublished)
def forget_cached_knowledge_pages(sender, instance, **kwargs):
    if isinstance(instance, KNOWLEDGE_PAGES):
        bump_content()


for page_model in KNOWLEDGE_PAGES:
    post_save.connect(forget_cached_knowledge_pages, sender=page_model)
    post_delete.connect(forget_cached_knowledge_pages, sender=page_model)


@receiver(post_page_move)
def forget_cached_paths(sender, **kwargs):
    """A move changes the tree paths that the cached rights and routes name, and the addresses
    that a category's introduction may link to (so any page's move counts)."""
    bump_access()


@receiver(page_slug_changed)
def forget_cached_links(sender, **kwargs):
    bump_content()


@receiver([post_save, post_delete], sender=CategoryAccess)
def forget_cached_rights(sender, **kwargs):
    bump_access()


for through in (
    CategoryAccess.view_units.through,
    CategoryAccess.view_groups.through,
    CategoryAccess.edit_users.through,
    CategoryAccess.edit_groups.through,
):
    m2m_changed.connect(forget_cached_rights, sender=through)

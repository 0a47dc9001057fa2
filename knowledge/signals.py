"""Keep the search index and the editors' Wagtail groups in step with the page tree."""

from django.db.models.signals import post_delete, post_save
from django.dispatch import receiver
from wagtail.signals import page_published, page_unpublished, post_page_move

from intranet.portal import panel_changed

from . import search_sync
from .editorial import category_editors_remove
from .models import (
    KnowledgeArticlePage,
    KnowledgeCategoryPage,
    KnowledgeFilePage,
    KnowledgeItemPage,
)
from .portal import REVIEW_DUE_PANEL


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

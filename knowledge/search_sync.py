"""Telling the search index which knowledge items changed (in the caller's transaction)."""

from search.outbox import enqueue, enqueue_many

SEARCH_KIND = "knowledge"


def item_changed(item_id: int) -> None:
    enqueue(SEARCH_KIND, str(item_id))


def subtree_changed(page) -> None:
    """Every item below `page` (its access list or visibility may have changed)."""
    from .models import KnowledgeItemPage

    enqueue_many(
        SEARCH_KIND,
        (
            str(pk)
            for pk in KnowledgeItemPage.objects.descendant_of(page).values_list("pk", flat=True)
        ),
    )

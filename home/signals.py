from django.db.models.signals import post_delete
from django.dispatch import receiver
from wagtail.signals import page_published, page_slug_changed, page_unpublished, post_page_move

from .selectors import bump_content_version


@receiver(page_published)
@receiver(page_unpublished)
@receiver(page_slug_changed)
@receiver(post_page_move)
@receiver(post_delete, sender="wagtailcore.Page")
def forget_cached_pages(**kwargs):
    """Cached portal lists are dropped whenever the published tree changes."""
    bump_content_version()

from django.core.cache import cache
from django.db.models.signals import post_delete
from django.dispatch import receiver
from wagtail.signals import page_published, page_slug_changed, page_unpublished, post_page_move

from .selectors import SECTION_URLS_CACHE_KEY, bump_content_version


@receiver(page_published)
@receiver(page_unpublished)
@receiver(page_slug_changed)
@receiver(post_page_move)
@receiver(post_delete, sender="wagtailcore.Page")
def forget_cached_pages(**kwargs):
    """Cached navigation and portal lists are dropped whenever the published tree changes."""
    cache.delete(SECTION_URLS_CACHE_KEY)
    bump_content_version()

from django.core.cache import cache
from django.db.models.signals import post_delete
from django.dispatch import receiver
from wagtail.signals import page_published, page_slug_changed, page_unpublished

from .selectors import SECTION_URLS_CACHE_KEY


@receiver(page_published)
@receiver(page_unpublished)
@receiver(page_slug_changed)
@receiver(post_delete, sender="wagtailcore.Page")
def forget_section_urls(**kwargs):
    cache.delete(SECTION_URLS_CACHE_KEY)

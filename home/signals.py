from django.db.models.signals import m2m_changed, post_delete, post_save
from django.dispatch import receiver
from taggit.models import Tag
from wagtail.documents import get_document_model
from wagtail.images import get_image_model
from wagtail.signals import page_published, page_slug_changed, page_unpublished, post_page_move

from people.models import OrgUnit

from .models import (
    HomePage,
    NewsAttachment,
    NewsColumnPage,
    NewsIndexPage,
    NewsPage,
    NewsPageTag,
    NoticeAttachment,
    NoticeIndexPage,
    NoticePage,
)
from .selectors import bump_content_version

# What the cached routes, lists and rendered pages show besides the published tree: the pages'
# own rows (a save outside publishing too), their attachments, tags, files, pictures, and the
# names of the units issuing and receiving notices.
SHOWN_MODELS = [
    HomePage,
    NewsIndexPage,
    NewsColumnPage,
    NewsPage,
    NoticeIndexPage,
    NoticePage,
    NewsAttachment,
    NoticeAttachment,
    NewsPageTag,
    Tag,
    get_document_model(),
    get_image_model(),
    OrgUnit,
]


@receiver(page_published)
@receiver(page_unpublished)
@receiver(page_slug_changed)
@receiver(post_page_move)
@receiver(post_delete, sender="wagtailcore.Page")
def forget_cached_pages(**kwargs):
    """Cached portal routes, lists and pages are dropped whenever what they show changes."""
    bump_content_version()


for model in SHOWN_MODELS:
    post_save.connect(forget_cached_pages, sender=model, dispatch_uid=f"home-save-{model}")
    post_delete.connect(forget_cached_pages, sender=model, dispatch_uid=f"home-delete-{model}")
m2m_changed.connect(forget_cached_pages, sender=NoticePage.audience_units.through)

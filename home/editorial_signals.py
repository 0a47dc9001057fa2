"""Keep the columns' Wagtail groups and workflows in step with roles and column settings."""

from django.db.models.signals import post_delete, post_save
from django.dispatch import receiver

from people.events import roles_changed

from .editorial import column_access_remove, column_permissions_sync, user_columns_sync
from .models import NewsColumnPage, NoticeIndexPage

# Saving a draft revision touches none of these, so it costs no sync.
COLUMN_FIELDS = {"title", "live", "owner_unit", "direct_publish"}


@receiver(roles_changed)
def sync_columns_of_user(sender, user, **kwargs):
    user_columns_sync(user)


@receiver(post_save, sender=NewsColumnPage)
@receiver(post_save, sender=NoticeIndexPage)
def sync_column(sender, instance, raw=False, update_fields=None, **kwargs):
    if raw or (update_fields is not None and not COLUMN_FIELDS.intersection(update_fields)):
        return
    column_permissions_sync(instance)


@receiver(post_delete, sender=NewsColumnPage)
@receiver(post_delete, sender=NoticeIndexPage)
def forget_column(sender, instance, **kwargs):
    column_access_remove(instance.pk)

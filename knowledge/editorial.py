"""A category's edit grants, mapped onto Wagtail page permissions.

Each category with edit grants has a Wagtail group `knowledge-<page id>-editors` holding exactly
its chosen users; that group and every chosen group get add, change and publish permission on the
category's page, so Wagtail lets them work in the category and below it and nowhere else. The
groups also reach the admin and the image and document choosers (articles embed images).
Every sync recomputes from the `CategoryAccess` row, so it is idempotent.
"""

import re

from django.contrib.auth.models import Group
from django.db import transaction
from wagtail.models import GroupPagePermission

from core.wagtail_grants import page_permissions, page_rights_grant

from .models import CategoryAccess, KnowledgeCategoryPage

EDITOR_PAGE_PERMISSIONS = ("add_page", "change_page", "publish_page")
EDITORS_GROUP_NAME = re.compile(r"^knowledge-(?P<page_id>\d+)-editors$")


def editors_group_name(category_id: int) -> str:
    return f"knowledge-{category_id}-editors"


@transaction.atomic
def category_editors_sync(category: KnowledgeCategoryPage) -> None:
    access = CategoryAccess.objects.filter(category=category).first()
    user_ids = list(access.edit_users.values_list("pk", flat=True)) if access else []
    groups = list(access.edit_groups.all()) if access else []
    editor_permissions = page_permissions(EDITOR_PAGE_PERMISSIONS)

    own_group = Group.objects.filter(name=editors_group_name(category.pk)).first()
    if user_ids and own_group is None:
        own_group = Group.objects.create(name=editors_group_name(category.pk))
    if own_group is not None:
        own_group.user_set.set(user_ids)
        if user_ids:
            groups.append(own_group)
    granted = {group.pk for group in groups}
    GroupPagePermission.objects.filter(page=category, permission__in=editor_permissions).exclude(
        group__in=granted
    ).delete()
    for group in groups:
        page_rights_grant(group, category, editor_permissions)
    if own_group is not None and not user_ids:
        own_group.delete()


@transaction.atomic
def category_editors_remove(category_id: int) -> None:
    Group.objects.filter(name=editors_group_name(category_id)).delete()

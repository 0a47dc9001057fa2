"""Wagtail rights for a group that edits one page and what lies below it.

An editing group reaches the admin, holds the given page permissions on its page and may add and
choose images and documents (page bodies embed them). Home's columns and knowledge's categories
both map their own grants onto groups through these two functions.
"""

from django.contrib.auth.models import Group, Permission
from wagtail.models import Collection, GroupCollectionPermission, GroupPagePermission, Page

MEDIA_PERMISSIONS = (
    ("wagtailimages", "add_image"),
    ("wagtailimages", "choose_image"),
    ("wagtaildocs", "add_document"),
    ("wagtaildocs", "choose_document"),
)


def page_permissions(codenames: tuple[str, ...]) -> list[Permission]:
    return list(
        Permission.objects.filter(
            content_type__app_label="wagtailcore",
            content_type__model="page",
            codename__in=codenames,
        )
    )


def _admin_access() -> Permission:
    return Permission.objects.get(content_type__app_label="wagtailadmin", codename="access_admin")


def _media_permissions() -> list[Permission]:
    return [
        Permission.objects.get(content_type__app_label=app_label, codename=codename)
        for app_label, codename in MEDIA_PERMISSIONS
    ]


def page_rights_grant(group: Group, page: Page, permissions: list[Permission]) -> None:
    """Adds the editing rights on `page` to whatever else the group holds."""
    group.permissions.add(_admin_access())
    for permission in permissions:
        GroupPagePermission.objects.get_or_create(group=group, page=page, permission=permission)
    root_collection = Collection.get_first_root_node()
    for permission in _media_permissions():
        GroupCollectionPermission.objects.get_or_create(
            group=group, collection=root_collection, permission=permission
        )


def page_rights_set(group: Group, page: Page, permissions: list[Permission]) -> None:
    """Leaves the group exactly the editing rights on `page`, withdrawing any other."""
    group.permissions.set([_admin_access()])
    GroupPagePermission.objects.filter(group=group).exclude(
        page=page, permission__in=permissions
    ).delete()
    GroupCollectionPermission.objects.filter(group=group).exclude(
        collection=Collection.get_first_root_node(), permission__in=_media_permissions()
    ).delete()
    page_rights_grant(group, page, permissions)

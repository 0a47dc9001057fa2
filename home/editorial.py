"""Who edits and who moderates each column, mapped from `people` roles onto Wagtail.

A column (栏目) is a live news column or the notices page. For each one two Wagtail groups hold
its rights, identified by name (`column-<page id>-editors`, `column-<page id>-moderators`):

- editors: the column administrators granted that column, and the column administrators of its
  owning unit (granted at unit level, without a column). They add and edit pages in the column;
  in a direct-publish column they also publish.
- moderators: the unit-level column administrators of the owning unit (the headquarters' when the
  column has no owner) and the system administrators. They edit and publish, and are the group of
  the column's workflow (栏目审核), which every non-direct-publish column has.

Group memberships are always recomputed from the roles, so every sync is idempotent. Columns decide
their own moderation: workflows assigned above a column (Wagtail installs one on the root page)
are detached, otherwise a direct-publish column would inherit them.
"""

import re
from dataclasses import dataclass

from django.conf import settings
from django.contrib.auth.models import Group
from django.db import transaction
from django.utils import translation
from django.utils.translation import gettext
from wagtail.models import (
    GroupApprovalTask,
    Page,
    Workflow,
    WorkflowPage,
    WorkflowTask,
)

from core.wagtail_grants import page_permissions, page_rights_set
from people.models import OrgUnit, Role, RoleAssignment, User
from people.permissions import group_names

from .models import ColumnApprovalTask, NewsColumnPage, NoticeIndexPage

EDITOR_PAGE_PERMISSIONS = ("add_page", "change_page")
MODERATOR_PAGE_PERMISSIONS = ("add_page", "change_page", "publish_page")
COLUMN_GROUP_NAME = re.compile(r"^column-(?P<page_id>\d+)-(editors|moderators)$")


def editors_group_name(column_id: int) -> str:
    return f"column-{column_id}-editors"


def moderators_group_name(column_id: int) -> str:
    return f"column-{column_id}-moderators"


def is_column(page: Page) -> bool:
    return isinstance(page, NoticeIndexPage) or (isinstance(page, NewsColumnPage) and page.live)


def columns() -> list[Page]:
    """Every column: the live news columns and the notices page."""
    return [*NewsColumnPage.objects.live().order_by("path"), *NoticeIndexPage.objects.all()]


def column_ids_worked_in_by(user: User) -> list[int]:
    """The columns whose editors' or moderators' group the user is in."""
    return sorted(
        {
            int(match["page_id"])
            for name in group_names(user)
            if (match := COLUMN_GROUP_NAME.match(name))
        }
    )


def column_group_ids(column_ids) -> dict[int, list[int]]:
    """The editors' and moderators' group ids of each column."""
    names = {
        name: column_id
        for column_id in column_ids
        for name in (editors_group_name(column_id), moderators_group_name(column_id))
    }
    found: dict[int, list[int]] = {column_id: [] for column_id in column_ids}
    for group_id, name in Group.objects.filter(name__in=names).values_list("pk", "name"):
        found[names[name]].append(group_id)
    return found


@dataclass(frozen=True)
class ColumnGrants:
    """What one user's roles say about columns."""

    column_ids: frozenset[int]
    unit_ids: frozenset[int]  # units they are a unit-level column administrator of
    is_system_admin: bool

    def edits(self, column: Page) -> bool:
        return column.pk in self.column_ids or column.owner_unit_id in self.unit_ids

    def moderates(self, column: Page, headquarters_id: int | None) -> bool:
        return self.is_system_admin or (column.owner_unit_id or headquarters_id) in self.unit_ids


def _grants_by_user(users=None) -> dict[int, ColumnGrants]:
    assignments = RoleAssignment.objects.filter(
        user__is_active=True, role__in=[Role.COLUMN_ADMIN, Role.SYSTEM_ADMIN]
    )
    superusers = User.objects.filter(is_active=True, is_superuser=True)
    if users is not None:
        assignments = assignments.filter(user__in=users)
        superusers = superusers.filter(pk__in=[user.pk for user in users])
    collected: dict[int, tuple[set[int], set[int], list[bool]]] = {}

    def entry(user_id):
        return collected.setdefault(user_id, (set(), set(), [False]))

    for user_id, role, unit_id, column_id in assignments.values_list(
        "user_id", "role", "unit_id", "column_id"
    ):
        column_ids, unit_ids, system_admin = entry(user_id)
        if role == Role.SYSTEM_ADMIN:
            system_admin[0] = True
        elif column_id is None:
            unit_ids.add(unit_id)
        else:
            column_ids.add(column_id)
    for user_id in superusers.values_list("pk", flat=True):
        entry(user_id)[2][0] = True
    return {
        user_id: ColumnGrants(frozenset(column_ids), frozenset(unit_ids), system_admin[0])
        for user_id, (column_ids, unit_ids, system_admin) in collected.items()
    }


def _headquarters_id() -> int | None:
    return (
        OrgUnit.objects.filter(kind=OrgUnit.Kind.HEADQUARTERS)
        .order_by("path")
        .values_list("pk", flat=True)
        .first()
    )


def _review_name(column: Page) -> str:
    # Stored names are shown to everyone, so they are written in the site's language.
    with translation.override(settings.LANGUAGE_CODE):
        return gettext("Column review: %(title)s") % {"title": column.title}


@transaction.atomic
def column_permissions_sync(column: Page) -> None:
    """Bring the column's groups, page permissions, members and workflow in line with the roles.
    A page that is not (or no longer) a column loses them all."""
    if not is_column(column):
        column_access_remove(column.pk)
        return
    editors, _created = Group.objects.get_or_create(name=editors_group_name(column.pk))
    moderators, _created = Group.objects.get_or_create(name=moderators_group_name(column.pk))
    editor_permissions = EDITOR_PAGE_PERMISSIONS + (
        ("publish_page",) if column.direct_publish else ()
    )
    page_rights_set(editors, column, page_permissions(editor_permissions))
    page_rights_set(moderators, column, page_permissions(MODERATOR_PAGE_PERMISSIONS))

    grants = _grants_by_user()
    headquarters_id = _headquarters_id()
    editors.user_set.set([user_id for user_id, grant in grants.items() if grant.edits(column)])
    moderators.user_set.set(
        [user_id for user_id, grant in grants.items() if grant.moderates(column, headquarters_id)]
    )
    _workflow_sync(column, moderators)


def _workflow_sync(column: Page, moderators: Group) -> None:
    WorkflowPage.objects.filter(page__in=column.get_ancestors()).delete()
    task = ColumnApprovalTask.objects.filter(groups=moderators).order_by("pk").first()
    workflow = (
        Workflow.objects.filter(workflow_tasks__task=task).order_by("pk").first() if task else None
    )
    if column.direct_publish:
        if workflow and workflow.active:
            workflow.deactivate()
        WorkflowPage.objects.filter(page=column).delete()
        return

    name = _review_name(column)
    if task is None:
        task = ColumnApprovalTask.objects.create(name=name)
        task.groups.set([moderators])
    if workflow is None:
        workflow = Workflow.objects.create(name=name)
        WorkflowTask.objects.create(workflow=workflow, task=task, sort_order=0)
    if (task.name, task.active) != (name, True):
        task.name, task.active = name, True
        task.save(update_fields=["name", "active"])
    if (workflow.name, workflow.active) != (name, True):
        workflow.name, workflow.active = name, True
        workflow.save(update_fields=["name", "active"])
    WorkflowPage.objects.update_or_create(page=column, defaults={"workflow": workflow})


@transaction.atomic
def column_access_remove(column_id: int) -> None:
    """Drop a former column's groups (with their memberships and rights) and its workflow."""
    groups = Group.objects.filter(
        name__in=[editors_group_name(column_id), moderators_group_name(column_id)]
    )
    for task in GroupApprovalTask.objects.filter(groups__in=groups).distinct():
        for workflow in Workflow.objects.filter(workflow_tasks__task=task, active=True):
            workflow.deactivate()
        task.deactivate()
    groups.delete()


@transaction.atomic
def user_columns_sync(user: User) -> None:
    """Put the user in exactly the column groups their roles call for."""
    grant = _grants_by_user([user]).get(user.pk)
    headquarters_id = _headquarters_id()
    wanted_names = set()
    for column in columns():
        if grant and grant.edits(column):
            wanted_names.add(editors_group_name(column.pk))
        if grant and grant.moderates(column, headquarters_id):
            wanted_names.add(moderators_group_name(column.pk))
    wanted = list(Group.objects.filter(name__in=wanted_names))
    if len(wanted) < len(wanted_names):
        # A column that was never synced: its sync creates the groups, this user included.
        for column in columns():
            column_permissions_sync(column)
        return
    held = [group for group in user.groups.all() if COLUMN_GROUP_NAME.match(group.name)]
    user.groups.remove(*[group for group in held if group.name not in wanted_names])
    user.groups.add(*wanted)


@transaction.atomic
def column_permissions_sync_all() -> None:
    """Resync every column, and drop the groups of pages that are no longer columns."""
    current = columns()
    for column in current:
        column_permissions_sync(column)
    current_ids = {column.pk for column in current}
    stale_ids = set()
    for name in Group.objects.filter(name__startswith="column-").values_list("name", flat=True):
        match = COLUMN_GROUP_NAME.match(name)
        if match and int(match["page_id"]) not in current_ids:
            stale_ids.add(int(match["page_id"]))
    for column_id in stale_ids:
        column_access_remove(column_id)

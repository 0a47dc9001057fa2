"""Who may edit a unit's red-head template: its process administrator (流程管理员, held for that
very unit) and the system administrator (gongwen.md §11). Everyone else only uses it."""

from django.db.models import QuerySet

from people.models import OrgUnit, Role, User
from people.permissions import held_roles, holds_role_for_unit, is_system_admin
from workflow.numbering.permissions import numbering_unit


def can_edit_template(user: User, unit: OrgUnit) -> bool:
    if is_system_admin(user):
        return True
    return holds_role_for_unit(user, Role.PROCESS_ADMIN, numbering_unit(unit))


def editable_units(user: User) -> QuerySet[OrgUnit]:
    """The units whose template this user may edit, for the screen's unit choice."""
    unit_levels = OrgUnit.objects.filter(kind__in=[OrgUnit.Kind.HEADQUARTERS, OrgUnit.Kind.UNIT])
    if is_system_admin(user):
        return unit_levels.order_by("path")
    if Role.PROCESS_ADMIN not in held_roles(user):
        return OrgUnit.objects.none()
    return unit_levels.filter(
        role_assignments__user=user, role_assignments__role=Role.PROCESS_ADMIN
    ).order_by("path")


def can_edit_any_template(user: User) -> bool:
    """Whether to offer the red-head screen in this user's menu."""
    return is_system_admin(user) or Role.PROCESS_ADMIN in held_roles(user)

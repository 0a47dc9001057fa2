"""Who may number documents and keep the prefixes, serials and register of a unit.

The rules (gongwen.md §8, §11):
- The unit's document clerk (文件管理员: Role.FILE_CLERK held for the unit) and the system
  administrator manage the unit's prefixes, move its next serials forward, see its register,
  issue numbers in the numbering step and void numbers.
- The unit's process administrator (流程管理员) may also void a number, because cancelling a
  numbered document's process is theirs.
- Nobody else sees or changes any of it. Each unit numbers on its own, so the role must be held
  for that very unit: a clerk of one unit (the headquarters' included) has no say over another.
"""

from django.db.models import QuerySet

from people.models import OrgUnit, Role, User
from people.permissions import held_roles, holds_role_for_unit, is_system_admin

from .models import DocumentPrefix


def numbering_unit(node: OrgUnit) -> OrgUnit:
    """The headquarters or second-level unit that numbers for `node` (a department numbers as
    its unit)."""
    if node.is_unit_level or node.unit_id is None:
        return node
    return node.unit


def can_manage_numbering(user: User, unit: OrgUnit) -> bool:
    """Prefixes, next serials and the number register of `unit`."""
    if is_system_admin(user):
        return True
    return holds_role_for_unit(user, Role.FILE_CLERK, numbering_unit(unit))


def can_number(user: User, unit: OrgUnit) -> bool:
    """Issuing a number of `unit` in a document's numbering step."""
    return can_manage_numbering(user, unit)


def can_void(user: User, unit: OrgUnit) -> bool:
    if can_manage_numbering(user, unit):
        return True
    return holds_role_for_unit(user, Role.PROCESS_ADMIN, numbering_unit(unit))


def managed_units(user: User) -> QuerySet[OrgUnit]:
    """The units whose numbering this user keeps, for the screens' unit choice."""
    unit_levels = OrgUnit.objects.filter(kind__in=[OrgUnit.Kind.HEADQUARTERS, OrgUnit.Kind.UNIT])
    if is_system_admin(user):
        return unit_levels.order_by("path")
    if Role.FILE_CLERK not in held_roles(user):
        return OrgUnit.objects.none()
    return unit_levels.filter(
        role_assignments__user=user, role_assignments__role=Role.FILE_CLERK
    ).order_by("path")


def can_manage_any_numbering(user: User) -> bool:
    """Whether to offer the numbering screens in this user's menu."""
    return is_system_admin(user) or Role.FILE_CLERK in held_roles(user)


def prefixes_for(unit: OrgUnit) -> QuerySet[DocumentPrefix]:
    """The active prefixes the numbering step may choose from for a document of `unit` (never
    the incoming one)."""
    return DocumentPrefix.objects.filter(
        unit=numbering_unit(unit), is_active=True, purpose=DocumentPrefix.Purpose.OUTGOING
    ).order_by("order", "text")

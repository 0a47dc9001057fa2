"""Who sees which statistics.

- The group view (all units side by side) and the bulletins: system administrators and the
  headquarters' office (its office secretaries).
- A unit's view: the group viewers, and that unit's own administrators and office secretaries.
- The lists behind a unit's figures (drill-down): system administrators and that unit's own
  administrators and office secretaries only; nobody sees another unit's lists, so the
  headquarters' office sees its own lists, not a second-level unit's.
"""

from people.models import OrgUnit, Role
from people.permissions import held_roles, holds_role_for_unit, is_system_admin

from . import selectors
from .selectors import stats_units

UNIT_VIEWER_ROLES = (Role.UNIT_ADMIN, Role.SECRETARY)


def can_view_group(user) -> bool:
    if is_system_admin(user):
        return True
    if not user.is_authenticated:
        return False
    headquarters = selectors.headquarters()
    return headquarters is not None and holds_role_for_unit(user, Role.SECRETARY, headquarters)


def administers_unit_stats(user, unit: OrgUnit) -> bool:
    """One of the unit's own administrators or office secretaries."""
    return any(holds_role_for_unit(user, role, unit) for role in UNIT_VIEWER_ROLES)


def can_view_unit(user, unit: OrgUnit) -> bool:
    return can_view_group(user) or administers_unit_stats(user, unit)


def can_view_unit_lists(user, unit: OrgUnit) -> bool:
    return is_system_admin(user) or administers_unit_stats(user, unit)


def viewable_units(user) -> list[OrgUnit]:
    """The units whose view the user may open (for the menu and the index)."""
    units = list(stats_units())
    if can_view_group(user):
        return units
    return [unit for unit in units if administers_unit_stats(user, unit)]


def may_see_stats(user) -> bool:
    """For the menu: cheap, from the roles cached on the user."""
    if is_system_admin(user):
        return True
    return bool(held_roles(user) & {Role.UNIT_ADMIN, Role.SECRETARY})

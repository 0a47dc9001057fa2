"""Who may do what with a unit's seal."""

from people.models import OrgUnit, Role, User
from people.permissions import holds_role_for_unit


def can_apply_seal(user: User, unit: OrgUnit) -> bool:
    """Only a seal keeper (用印人) of exactly this unit, never anyone else: not a keeper of the
    headquarters above it, not even a system administrator."""
    return holds_role_for_unit(user, Role.SEAL_KEEPER, unit)

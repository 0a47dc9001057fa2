"""Who may do what with a unit's seal."""

from people.models import OrgUnit, User


def can_apply_seal(user: User, unit: OrgUnit) -> bool:
    """Only the unit's seal keepers, never anyone else: not even a system administrator."""
    if not (user.is_authenticated and user.is_active):
        return False
    return user.kept_seals.filter(unit=unit).exists()

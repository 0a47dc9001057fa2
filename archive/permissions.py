"""Who may do what in the archive. A unit's archivists (档案员, a unit-scoped role) file, classify,
number and export its items and decide its access requests."""

from people.models import OrgUnit, Role, User
from people.permissions import held_roles, holds_role_for_unit, units_holding_role
from search.principals import principals_for

from .models import ArchiveItem, FondsSettings


def archivist_unit_ids(user: User) -> list[int]:
    """The units whose archive the user keeps."""
    if not user.is_authenticated:
        return []
    return units_holding_role(user, Role.ARCHIVIST)


def is_archivist(user: User, fonds: FondsSettings) -> bool:
    return user.is_authenticated and holds_role_for_unit(user, Role.ARCHIVIST, fonds.unit)


def may_keep_settings(user: User, unit: OrgUnit) -> bool:
    """The unit's archive settings: its archivists and its unit administrators."""
    return user.is_authenticated and (
        holds_role_for_unit(user, Role.ARCHIVIST, unit)
        or holds_role_for_unit(user, Role.UNIT_ADMIN, unit)
    )


def settings_unit_ids(user: User) -> list[int]:
    if not user.is_authenticated:
        return []
    return sorted(
        {*units_holding_role(user, Role.ARCHIVIST), *units_holding_role(user, Role.UNIT_ADMIN)}
    )


def is_archivist_anywhere(user: User) -> bool:
    """Cheap (roles cached per request): whether to show the archive's menu."""
    return user.is_authenticated and Role.ARCHIVIST in held_roles(user)


def can_view_item(user: User, item: ArchiveItem) -> bool:
    """An item's page: the unit's archivists, and whoever could read its documents when they
    were filed (its audience, matched as search entries are)."""
    if not user.is_authenticated or not user.is_active:
        return False
    if is_archivist(user, item.fonds):
        return True
    return bool(set(principals_for(user)) & set(item.audience))

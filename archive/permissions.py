"""Who may do what in the archive. A unit's archivists (档案员, a unit-scoped role) file, classify,
number and export its items and decide its access requests."""

from people.models import Role, User
from people.permissions import holds_role_for_unit, units_holding_role

from .models import FondsSettings


def archivist_unit_ids(user: User) -> list[int]:
    """The units whose archive the user keeps."""
    if not user.is_authenticated:
        return []
    return units_holding_role(user, Role.ARCHIVIST)


def is_archivist(user: User, fonds: FondsSettings) -> bool:
    return user.is_authenticated and holds_role_for_unit(user, Role.ARCHIVIST, fonds.unit)


def may_read_catalogue(user: User, fonds: FondsSettings) -> bool:
    """The catalogue lists every item, restricted ones too: the unit's archivists only."""
    return is_archivist(user, fonds)


def may_export_package(user: User, fonds: FondsSettings) -> bool:
    """Transfer packages hold every file of a year: built and downloaded by the unit's
    archivists only."""
    return is_archivist(user, fonds)

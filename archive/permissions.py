"""Who may do what in the archive. A unit's archivists (档案员, a unit-scoped role) file, classify,
number and export its items and decide its access requests."""

from django.utils import timezone

from people.models import OrgUnit, Role, User
from people.permissions import held_roles, holds_role_for_unit, units_holding_role
from search.principals import principals_for

from .models import (
    AccessLogEntry,
    AccessRequest,
    ArchiveItem,
    DestructionRequest,
    FondsSettings,
)


def archivist_unit_ids(user: User) -> list[int]:
    """The units whose archive the user keeps."""
    if not user.is_authenticated:
        return []
    return units_holding_role(user, Role.ARCHIVIST)


def is_archivist(user: User, fonds: FondsSettings) -> bool:
    return user.is_authenticated and holds_role_for_unit(user, Role.ARCHIVIST, fonds.unit)


# Reading and borrowing (查阅/借阅), retention review (鉴定) and destruction (销毁)


def keeps_item(user: User, item) -> bool:
    """Whether the user is an archivist of the unit whose fonds holds the item."""
    return item.fonds.unit_id in archivist_unit_ids(user)


def _in_audience(user: User, item) -> bool:
    return bool(set(item.audience) & set(principals_for(user)))


def can_see_item(user: User, item) -> bool:
    """The item's catalogue entry (metadata): its audience while it is filed, and its unit's
    archivists always (a destroyed item's entry stays theirs)."""
    if not user.is_authenticated or not user.is_active:
        return False
    if keeps_item(user, item):
        return True
    return item.state == ArchiveItem.State.FILED and _in_audience(user, item)


def granting_request(user: User, item, action: str):
    """The approved, unexpired request that lets the user open the item's files for `action`:
    reading (view) under a read or borrow approval, downloading only under a borrow approval."""
    kinds = [AccessRequest.Kind.BORROW]
    if action == AccessLogEntry.Action.VIEW:
        kinds.append(AccessRequest.Kind.READ)
    return (
        AccessRequest.objects.filter(
            item=item,
            requester=user,
            kind__in=kinds,
            state=AccessRequest.State.APPROVED,
            expires_at__gt=timezone.now(),
        )
        .order_by("-expires_at")
        .first()
    )


def opens_freely(user: User, item) -> bool:
    """Archivists open every file of their unit's items; an open item's audience opens its
    files; everyone else needs an approved request."""
    if item.state != ArchiveItem.State.FILED or not user.is_authenticated or not user.is_active:
        return False
    if keeps_item(user, item):
        return True
    return item.access == ArchiveItem.Access.OPEN and _in_audience(user, item)


def can_open_files(user: User, item, action: str = AccessLogEntry.Action.VIEW) -> bool:
    if opens_freely(user, item):
        return True
    if item.state != ArchiveItem.State.FILED or not can_see_item(user, item):
        return False
    return granting_request(user, item, action) is not None


def can_request_access(user: User, item) -> bool:
    """Whoever sees a filed item and may not download its files freely may ask."""
    return (
        item.state == ArchiveItem.State.FILED
        and can_see_item(user, item)
        and not opens_freely(user, item)
    )


def can_decide_request(user: User, access_request: AccessRequest) -> bool:
    """The item's unit's archivists decide, never on their own request."""
    return access_request.requester_id != user.pk and keeps_item(user, access_request.item)


def is_unit_admin(user: User, fonds: FondsSettings) -> bool:
    return fonds.unit_id in units_holding_role(user, Role.UNIT_ADMIN)


def can_review(user: User, fonds: FondsSettings) -> bool:
    """The retention review (鉴定) and destruction proposals are the unit's archivists' work."""
    return fonds.unit_id in archivist_unit_ids(user)


def sees_destruction(user: User, fonds: FondsSettings) -> bool:
    """Destruction requests and the destruction register: the unit's archivists and
    administrators."""
    return can_review(user, fonds) or is_unit_admin(user, fonds)


def destruction_unit_ids(user: User) -> list[int]:
    if not user.is_authenticated:
        return []
    return sorted(set(archivist_unit_ids(user)) | set(units_holding_role(user, Role.UNIT_ADMIN)))


def destruction_roles_open_to(user: User, destruction) -> list[str]:
    """The approving roles the user may still take on a proposed destruction: never its
    proposer, never someone who has already decided it, and each role once."""
    if destruction.state != DestructionRequest.State.PROPOSED:
        return []
    if destruction.proposed_by_id == user.pk:
        return []
    decided = list(destruction.approvals.all())
    if any(approval.user_id == user.pk for approval in decided):
        return []
    taken = {approval.role for approval in decided}
    roles = []
    if Role.ARCHIVIST not in taken and can_review(user, destruction.fonds):
        roles.append(Role.ARCHIVIST)
    if Role.UNIT_ADMIN not in taken and is_unit_admin(user, destruction.fonds):
        roles.append(Role.UNIT_ADMIN)
    return roles


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


def may_read_catalogue(user: User, fonds: FondsSettings) -> bool:
    """The catalogue lists every item, restricted ones too: the unit's archivists only."""
    return is_archivist(user, fonds)


def may_export_package(user: User, fonds: FondsSettings) -> bool:
    """Transfer packages hold every file of a year: built and downloaded by the unit's
    archivists only."""
    return is_archivist(user, fonds)

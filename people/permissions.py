"""Who may do what with the organization and accounts. Every other app asks here.

The rules:
- A system administrator (系统管理员) may do everything: manage units, appoint unit
  administrators, administer every account and grant every role.
- A unit administrator (单位管理员) administers the accounts inside the subtree of the unit(s)
  they were appointed for, and grants the unit-scoped roles (process administrator, column
  administrator, document clerk) inside it; never system or unit administration, never to
  themselves.
- Everyone else administers nothing.
"""

from django.db.models import Q, QuerySet

from .caching import cached_for_user
from .models import ConcurrentPost, OrgUnit, PermissionRequest, Role, RoleAssignment, User

UNIT_GRANTABLE_ROLES = (
    Role.PROCESS_ADMIN,
    Role.COLUMN_ADMIN,
    Role.FILE_CLERK,
    Role.SECRETARY,
    Role.SEAL_KEEPER,
)


def held_roles(user: User) -> frozenset[str]:
    """The roles the user holds anywhere, read once per request (cached on the user object)."""
    if not user.is_authenticated or not user.is_active:
        return frozenset()
    cached = getattr(user, "_held_roles", None)
    if cached is None:
        cached = cached_for_user(
            user,
            "roles",
            lambda: frozenset(
                RoleAssignment.objects.filter(user=user).values_list("role", flat=True)
            ),
        )
        user._held_roles = cached
    return cached


def group_names(user: User) -> frozenset[str]:
    """The names of the user's groups (Wagtail's column editors and moderators), read once per
    request from the cache that group changes invalidate (people.signals)."""
    if not user.is_authenticated:
        return frozenset()
    cached = getattr(user, "_group_names", None)
    if cached is None:
        cached = cached_for_user(
            user, "groups", lambda: frozenset(user.groups.values_list("name", flat=True))
        )
        user._group_names = cached
    return cached


def is_system_admin(user: User) -> bool:
    if user.is_authenticated and user.is_active and user.is_superuser:
        return True
    return Role.SYSTEM_ADMIN in held_roles(user)


def may_edit_content(user: User) -> bool:
    """Whether to offer the content administration (Wagtail) to this user."""
    if user.is_authenticated and user.is_active and (user.is_superuser or user.is_staff):
        return True
    return Role.COLUMN_ADMIN in held_roles(user)


def holds_role_for(user: User, role: Role, node: OrgUnit) -> bool:
    """Whether the user holds `role` for a unit whose subtree contains `node`."""
    if not user.is_authenticated or not user.is_active:
        return False
    return RoleAssignment.objects.filter(
        user=user, role=role, unit__path__in=ancestor_paths(node)
    ).exists()


def holds_role_for_unit(user: User, role: str, unit: OrgUnit) -> bool:
    """Whether the user holds `role` for exactly this unit: a role held for an ancestor does not
    count, because each unit keeps its own documents, numbers and templates."""
    return (role, unit.pk) in _unit_roles(user)


def units_holding_role(user: User, role: str) -> list[int]:
    """Ids of the units for which the user holds `role` exactly."""
    return sorted(unit_id for held, unit_id in _unit_roles(user) if held == role)


def _unit_roles(user: User) -> frozenset[tuple[str, int]]:
    """The (role, unit id) pairs the user holds, read once per request (cached on the user
    object) from the cache that role grants and revocations invalidate (people.caching)."""
    if not user.is_authenticated or not user.is_active:
        return frozenset()
    held = getattr(user, "_unit_roles", None)
    if held is None:
        held = cached_for_user(
            user,
            "unit-roles",
            lambda: frozenset(
                RoleAssignment.objects.filter(user=user, unit__isnull=False).values_list(
                    "role", "unit_id"
                )
            ),
        )
        user._unit_roles = held
    return held


def org_paths(user: User) -> list[str]:
    """Tree paths of the user's departments (primary and concurrent posts) and of every node above
    them: the nodes an audience or an access list may name to reach the user. One query."""
    if not user.is_authenticated:
        return []
    departments = OrgUnit.objects.filter(
        Q(pk=user.department_id)
        | Q(pk__in=ConcurrentPost.objects.filter(user=user).values("department_id"))
    ).only("path")
    paths: set[str] = set()
    for department in departments:
        paths.update(ancestor_paths(department))
    return sorted(paths)


def ancestor_paths(node: OrgUnit) -> list[str]:
    """Materialised paths of the node and all its ancestors."""
    step = OrgUnit.steplen
    return [node.path[:end] for end in range(step, len(node.path) + 1, step)]


def administered_units(user: User) -> QuerySet[OrgUnit]:
    """The unit-level nodes whose subtrees this user administers accounts in."""
    if is_system_admin(user):
        return OrgUnit.objects.filter(kind__in=[OrgUnit.Kind.HEADQUARTERS, OrgUnit.Kind.UNIT])
    if not user.is_authenticated or not user.is_active:
        return OrgUnit.objects.none()
    return OrgUnit.objects.filter(
        role_assignments__user=user, role_assignments__role=Role.UNIT_ADMIN
    ).distinct()


def administered_nodes(user: User) -> QuerySet[OrgUnit]:
    """Every node (units and departments) inside the subtrees this user administers."""
    if is_system_admin(user):
        return OrgUnit.objects.all()
    paths = list(administered_units(user).values_list("path", flat=True))
    if not paths:
        return OrgUnit.objects.none()
    condition = Q()
    for path in paths:
        condition |= Q(path__startswith=path)
    return OrgUnit.objects.filter(condition)


def administered_users(user: User) -> QuerySet[User]:
    """The accounts this user may see and change on the administration screens."""
    if is_system_admin(user):
        return User.objects.all()
    paths = list(administered_units(user).values_list("path", flat=True))
    if not paths:
        return User.objects.none()
    condition = Q()
    for path in paths:
        condition |= Q(department__path__startswith=path)
    return User.objects.filter(condition)


def can_administer_any(user: User) -> bool:
    """Whether the user administers any accounts at all (for every page's menu)."""
    return is_system_admin(user) or Role.UNIT_ADMIN in held_roles(user)


def can_administer_node(user: User, node: OrgUnit) -> bool:
    if is_system_admin(user):
        return True
    return holds_role_for(user, Role.UNIT_ADMIN, node)


def can_administer_user(actor: User, target: User) -> bool:
    if is_system_admin(actor):
        return True
    if target.department_id is None or target.is_superuser:
        return False
    if is_system_admin(target):
        return False
    return can_administer_node(actor, target.department)


def can_manage_units(user: User) -> bool:
    """Creating, editing and moving units and departments is the system administrator's."""
    return is_system_admin(user)


def grantable_roles(actor: User, target: User) -> list[Role]:
    """The roles `actor` may grant to (or revoke from) `target`."""
    if actor.pk == target.pk and not actor.is_superuser:
        return []
    if is_system_admin(actor):
        return list(Role)
    if can_administer_user(actor, target):
        return list(UNIT_GRANTABLE_ROLES)
    return []


def can_grant(actor: User, target: User, role: Role, unit: OrgUnit | None, column=None) -> bool:
    """`column` (a column page) narrows a column administrator's right; its owning unit must be
    one the actor administers too, so no one hands out another unit's column."""
    if role not in grantable_roles(actor, target):
        return False
    if role == Role.SYSTEM_ADMIN:
        return unit is None and column is None
    if unit is None or (column is not None and role != Role.COLUMN_ADMIN):
        return False
    if is_system_admin(actor):
        return True
    if not can_administer_node(actor, unit):
        return False
    if column is None:
        return True
    owner = getattr(column.specific, "owner_unit", None)
    return owner is not None and can_administer_node(actor, owner)


def can_view_audit_log(user: User) -> bool:
    return is_system_admin(user)


def administered_columns(user: User) -> list[int]:
    """Ids of the column pages this user was granted as a column administrator."""
    if not user.is_authenticated or not user.is_active:
        return []
    return list(
        RoleAssignment.objects.filter(
            user=user, role=Role.COLUMN_ADMIN, column__isnull=False
        ).values_list("column_id", flat=True)
    )


def decides_requests_for(user: User) -> QuerySet[PermissionRequest]:
    """Permission requests this user may decide: system-wide ones for system administrators,
    unit-scoped ones for the administrators of that unit."""
    if is_system_admin(user):
        return PermissionRequest.objects.all()
    nodes = administered_nodes(user)
    return PermissionRequest.objects.filter(
        unit__in=nodes, role__in=[role.value for role in UNIT_GRANTABLE_ROLES]
    )


def can_unlock(actor: User, target: User | None) -> bool:
    """Unlocking an account locked by login throttling. System administrators may also clear
    attempts on names that match no account."""
    if is_system_admin(actor):
        return True
    return target is not None and can_administer_user(actor, target)


def _sees_every_mobile(viewer: User) -> bool:
    cached = getattr(viewer, "_sees_every_mobile", None)
    if cached is None:
        cached = viewer.is_leader or can_administer_any(viewer)
        viewer._sees_every_mobile = cached
    return cached


def _unit_id(user: User) -> int | None:
    return user.department.unit_id if user.department_id else None


def can_see_mobile(viewer: User, person: User) -> bool:
    """Mobiles are private: seen by colleagues of the same unit, leaders and administrators."""
    if viewer.pk == person.pk or _sees_every_mobile(viewer):
        return True
    viewer_unit_id = _unit_id(viewer)
    return viewer_unit_id is not None and viewer_unit_id == _unit_id(person)


def mobile_scope(viewer: User) -> str:
    """Names whose mobiles the viewer sees, as `can_see_mobile` decides: viewers with the same
    scope see the same mobiles."""
    if _sees_every_mobile(viewer):
        return "all"
    viewer_unit_id = _unit_id(viewer)
    return f"user:{viewer.pk}" if viewer_unit_id is None else f"unit:{viewer_unit_id}"


def mobile_visible_filter(viewer: User) -> Q:
    """The people whose mobile `viewer` may see, as a filter: the same rule as `can_see_mobile`."""
    if _sees_every_mobile(viewer):
        return Q()
    viewer_unit_id = _unit_id(viewer)
    if viewer_unit_id is None:
        return Q(pk=viewer.pk)
    return Q(pk=viewer.pk) | Q(department__unit_id=viewer_unit_id)

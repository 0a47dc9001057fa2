"""Who may do what with the organization; every other app asks here."""

from .models import OrgUnit, Role, RoleAssignment, User


def is_system_admin(user: User) -> bool:
    if not user.is_authenticated:
        return False
    return (
        user.is_superuser
        or RoleAssignment.objects.filter(user=user, role=Role.SYSTEM_ADMIN).exists()
    )


def holds_role_for(user: User, role: Role, node: OrgUnit) -> bool:
    """Whether the user holds `role` for a unit whose subtree contains `node`."""
    if not user.is_authenticated:
        return False
    return RoleAssignment.objects.filter(
        user=user, role=role, unit__path__in=_ancestor_paths(node)
    ).exists()


def _ancestor_paths(node: OrgUnit) -> list[str]:
    step = OrgUnit.steplen
    return [node.path[:end] for end in range(step, len(node.path) + 1, step)]

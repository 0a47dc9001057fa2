"""Read paths over the organization and accounts."""

from ..models import RoleAssignment, User


def user_roles(user: User) -> list[RoleAssignment]:
    return list(
        RoleAssignment.objects.filter(user=user)
        .select_related("unit")
        .order_by("role", "unit__path")
    )

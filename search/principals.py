"""The principals a user holds: what an entry's access list is matched against.

"all"; "org:<path>" for the user's department, concurrent posts' departments and everything above
them; "group:<id>"; "user:<id>"; "role:<role>:<unit id>" for each role held for a unit.
"""

from people.caching import cached_for_user
from people.models import RoleAssignment, User
from people.permissions import org_paths

EVERYONE = "all"


def org(path: str) -> str:
    return f"org:{path}"


def group(group_id: int) -> str:
    return f"group:{group_id}"


def user(user_id: int) -> str:
    return f"user:{user_id}"


def role(role_value: str, unit_id: int) -> str:
    return f"role:{role_value}:{unit_id}"


def sees_everything(searcher: User) -> bool:
    """Django superusers read every notice (home.selectors.visible_notices) and so every entry.

    A system administrator by role is an ordinary searcher: access lists decide what they see.
    """
    return bool(searcher.is_authenticated and searcher.is_active and searcher.is_superuser)


def principals_for(searcher: User) -> tuple[str, ...]:
    """Everything the searcher matches: three queries, cached while the searcher's people data
    (posts, groups, roles, the organization) is unchanged, and kept on the user object."""
    if not searcher.is_authenticated or not searcher.is_active:
        return ()
    cached = getattr(searcher, "_search_principals", None)
    if cached is None:
        cached = cached_for_user(searcher, "search-principals", lambda: _held_by(searcher))
        searcher._search_principals = cached
    return cached


def _held_by(searcher: User) -> tuple[str, ...]:
    held = {EVERYONE, user(searcher.pk)}
    held.update(org(path) for path in org_paths(searcher))
    held.update(group(pk) for pk in searcher.groups.values_list("pk", flat=True))
    assignments = RoleAssignment.objects.filter(user=searcher, unit__isnull=False)
    held.update(role(r, unit_id) for r, unit_id in assignments.values_list("role", "unit_id"))
    return tuple(sorted(held))

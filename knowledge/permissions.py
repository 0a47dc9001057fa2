"""Who may see and who may change what in the knowledge center: the one place that decides.

Viewing is decided by the restricted categories (`CategoryAccess.view_rule == "restricted"`) a
page lies under: the user must be allowed by every one of them. A restricted category allows the
users of its chosen org nodes (and of the nodes below them), the members of its chosen groups,
and its own editors. Everything else in the knowledge center is open to every signed-in user.

`hidden_paths(user)` lists the tree paths of the restricted categories that do not allow the user
(cached per user under the access version and the user's people data, and remembered on the user
object for the request); every read path filters by them:
pages (`require_view`), lists and the tree (`visible_knowledge`), file downloads, the API, the
feeds and the search access list (`access_principals`).

Editing is Wagtail's: `editorial.py` turns each category's edit grants into page permissions, and
`can_edit` asks Wagtail.
"""

from django.core.exceptions import PermissionDenied
from django.db.models import Q, QuerySet
from django.http import Http404
from wagtail.models import Page

from people.caching import cached_for_user
from people.models import Role, User
from people.permissions import group_names, holds_role_for, is_system_admin, org_paths

from .caching import access_version
from .models import CategoryAccess, KnowledgeCategoryPage, KnowledgeIndexPage


def hidden_paths(user: User) -> tuple[str, ...]:
    """Tree paths of the restricted categories this user may not see (their subtrees are hidden)."""
    cached = getattr(user, "_knowledge_hidden_paths", None)
    if cached is not None:
        return cached
    if user.is_authenticated and user.is_active and user.is_superuser:
        paths = ()
    elif not user.is_authenticated or not user.is_active:
        paths = ("",)  # every path starts with the empty string: nothing is visible
    else:
        paths = cached_for_user(
            user, f"knowledge-hidden:{access_version()}", lambda: _paths_hidden_from(user)
        )
    user._knowledge_hidden_paths = paths
    return paths


def _paths_hidden_from(user: User) -> tuple[str, ...]:
    restricted = CategoryAccess.objects.filter(view_rule=CategoryAccess.ViewRule.RESTRICTED)
    allowing = restricted.filter(
        Q(view_units__path__in=org_paths(user))
        | Q(view_groups__user=user)
        | Q(edit_users=user)
        | Q(edit_groups__user=user)
    )
    return tuple(
        restricted.exclude(pk__in=allowing.values("pk"))
        .order_by("category__path")
        .values_list("category__path", flat=True)
    )


def forget_cached_access(user: User) -> None:
    user.__dict__.pop("_knowledge_hidden_paths", None)


def visibility_filter(user: User) -> Q:
    """A filter over pages (any page model) that keeps what the user may see."""
    condition = Q()
    for path in hidden_paths(user):
        condition &= ~Q(path__startswith=path)
    return condition


def knowledge_pages(model=Page, *, within: Page | None = None) -> QuerySet:
    """Every live page of `model` in the knowledge center (or inside `within`), whoever asks:
    for the search index, whose entries carry their own access lists."""
    pages = model.objects.live()
    if within is not None:
        return pages.descendant_of(within)
    in_knowledge = Q()
    for root_path in KnowledgeIndexPage.objects.values_list("path", flat=True):
        in_knowledge |= Q(path__startswith=root_path)
    return pages.filter(in_knowledge) if in_knowledge else model.objects.none()


def visible_knowledge(user: User, model=Page, *, within: Page | None = None) -> QuerySet:
    """Live pages of `model` that the user may see, inside `within` (a page of the knowledge
    center) or anywhere in the knowledge center."""
    return knowledge_pages(model, within=within).filter(visibility_filter(user))


def is_hidden_from(user: User, page: Page) -> bool:
    return any(page.path.startswith(path) for path in hidden_paths(user))


def can_view(user: User, page: Page) -> bool:
    """Whether the user may see the page on the site. Drafts are seen in Wagtail's preview."""
    if not user.is_authenticated or not user.is_active:
        return False
    return page.live and not is_hidden_from(user, page)


def require_view(user: User, page: Page) -> None:
    """For views: 404 for what the user may not see (its existence is not confirmed)."""
    if not can_view(user, page):
        raise Http404


def can_edit(user: User, page: Page) -> bool:
    """Editors of the category holding the page (or above it) and administrators."""
    if not user.is_authenticated or not user.is_active:
        return False
    if not (user.is_superuser or group_names(user)):
        return False  # page permissions and moderation tasks are given to groups only
    return page.permissions_for_user(user).can_edit()


def require_edit(user: User, page: Page) -> None:
    if not can_view(user, page) and not can_edit(user, page):
        raise Http404
    if not can_edit(user, page):
        raise PermissionDenied


def can_mark_reviewed(user: User, item) -> bool:
    return user.is_authenticated and (item.responsible_id == user.pk or can_edit(user, item))


def can_manage_access(user: User, category: KnowledgeCategoryPage) -> bool:
    """System administrators, and the unit administrators of the category's owning unit."""
    if is_system_admin(user):
        return True
    if category.owner_unit_id is None:
        return False
    return holds_role_for(user, Role.UNIT_ADMIN, category.owner_unit)


# Search access lists (principals as the search contract defines them)


def restricted_categories() -> list[CategoryAccess]:
    """Every view restriction with its principals (five queries), for `access_principals`."""
    return list(
        CategoryAccess.objects.filter(view_rule=CategoryAccess.ViewRule.RESTRICTED)
        .select_related("category")
        .prefetch_related("view_units", "view_groups", "edit_users", "edit_groups")
        .order_by("category__path")
    )


def access_principals(
    page: Page, restrictions: list[CategoryAccess] | None = None
) -> tuple[str, ...]:
    """Principals that may see the page: ("all",) unless a category above it is restricted.

    Under nested restrictions a user must pass every one; principals only express "any one of",
    so the list keeps what every restriction allows: org nodes inside all of them, and groups and
    users that every restriction names. It may leave out someone the page shows itself to, never
    the other way round.
    """
    if restrictions is None:
        restrictions = restricted_categories()
    ancestors = set(_ancestor_page_paths(page))
    applying = [r for r in restrictions if r.category.path in ancestors]
    if not applying:
        return ("all",)
    org_paths, others = _principals_of(applying[0])
    for restriction in applying[1:]:
        next_paths, next_others = _principals_of(restriction)
        org_paths = _subtree_intersection(org_paths, next_paths)
        others &= next_others
    return tuple(sorted({f"org:{path}" for path in org_paths} | others))


def _ancestor_page_paths(page: Page) -> list[str]:
    step = Page.steplen
    return [page.path[:end] for end in range(step, len(page.path) + 1, step)]


def _principals_of(restriction: CategoryAccess) -> tuple[set[str], set[str]]:
    org_paths = {unit.path for unit in restriction.view_units.all()}
    others = {f"group:{group.pk}" for group in restriction.view_groups.all()}
    others |= {f"group:{group.pk}" for group in restriction.edit_groups.all()}
    others |= {f"user:{user.pk}" for user in restriction.edit_users.all()}
    return org_paths, others


def _subtree_intersection(first: set[str], second: set[str]) -> set[str]:
    """Nodes whose subtree lies in both: of two nested nodes the lower one survives."""
    kept = set()
    for a in first:
        for b in second:
            if a.startswith(b):
                kept.add(a)
            elif b.startswith(a):
                kept.add(b)
    return kept

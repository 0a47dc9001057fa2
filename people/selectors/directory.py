"""Read paths of the people directory (通讯录): who is listed, the org tree, who sees mobiles."""

from dataclasses import dataclass, field

from django.db.models import F, Prefetch, Q, QuerySet

from ..models import ConcurrentPost, OrgUnit, User
from ..permissions import mobile_visible_filter


@dataclass
class OrgTreeNode:
    """A node of the browse panel with its active children, in tree order."""

    unit: OrgUnit
    depth: int
    children: list["OrgTreeNode"] = field(default_factory=list)


def directory_people(
    *,
    unit: OrgUnit | None = None,
    department: OrgUnit | None = None,
    query: str = "",
    viewer: User | None = None,
) -> QuerySet[User]:
    """Active people, in tree order, leaders first, then by pinyin initials and name.

    A unit or department narrows the list to its whole subtree. The query matches a mobile number
    only among people whose mobile `viewer` may see, so the search cannot reveal whose number it is.
    """
    people = (
        User.objects.filter(is_active=True)
        .select_related("department", "department__unit")
        .prefetch_related(
            Prefetch(
                "concurrent_posts",
                queryset=ConcurrentPost.objects.select_related(
                    "department", "department__unit"
                ).order_by("department__path"),
            )
        )
        .order_by(
            F("department__path").asc(nulls_last=True), "-is_leader", "name_initials", "name", "pk"
        )
    )
    for node in (unit, department):
        if node is not None:
            people = people.filter(department__path__startswith=node.path)
    query = query.strip()
    if query:
        matches = (
            Q(name__icontains=query)
            | Q(name_initials__startswith=query.lower())
            | Q(employee_no__istartswith=query)
            | Q(position__icontains=query)
        )
        if viewer is not None:
            matches |= Q(mobile__startswith=query) & mobile_visible_filter(viewer)
        people = people.filter(matches)
    return people


def directory_tree() -> list[OrgTreeNode]:
    """The active organization tree in one query; an inactive node hides its whole subtree."""
    roots: list[OrgTreeNode] = []
    by_path: dict[str, OrgTreeNode] = {}
    step = OrgUnit.steplen
    for unit in OrgUnit.objects.filter(is_active=True).order_by("path"):
        parent_path = unit.path[:-step]
        depth = len(unit.path) // step - 1
        tree_node = OrgTreeNode(unit=unit, depth=depth)
        if not parent_path:
            roots.append(tree_node)
        elif parent_path in by_path:
            by_path[parent_path].children.append(tree_node)
        else:
            continue
        by_path[unit.path] = tree_node
    return roots


def flatten_tree(nodes: list[OrgTreeNode]) -> list[OrgTreeNode]:
    """The tree in display order, for a template that indents by depth."""
    flat = []
    for tree_node in nodes:
        flat.append(tree_node)
        flat.extend(flatten_tree(tree_node.children))
    return flat

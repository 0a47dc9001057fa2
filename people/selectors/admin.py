"""Read paths of the administration screens."""

from django.apps import apps
from django.conf import settings
from django.db.models import Prefetch, Q, QuerySet
from wagtail.models import Page

from .. import permissions
from ..models import AuditEntry, PermissionRequest, RoleAssignment, User


def user_roles(user: User) -> list[RoleAssignment]:
    return list(
        RoleAssignment.objects.filter(user=user)
        .select_related("unit", "column")
        .order_by("role", "unit__path")
    )


def administered_user_list(
    actor: User,
    *,
    query: str = "",
    unit=None,
    department=None,
    role: str = "",
    active: str = "",
) -> QuerySet[User]:
    """The accounts the actor administers, filtered as on the user list, roles prefetched."""
    users = permissions.administered_users(actor)
    if query:
        users = users.filter(
            Q(username__icontains=query)
            | Q(name__icontains=query)
            | Q(employee_no__icontains=query)
            | Q(name_initials__startswith=query.lower())
        )
    if unit is not None:
        users = users.filter(department__path__startswith=unit.path)
    if department is not None:
        users = users.filter(department__path__startswith=department.path)
    if role == "ordinary":
        users = users.filter(role_assignments__isnull=True)
    elif role:
        # A subquery, not a join, so that an account with two grants is listed once.
        holders = RoleAssignment.objects.filter(role=role).values("user_id")
        users = users.filter(pk__in=holders)
    if active in {"0", "1"}:
        users = users.filter(is_active=active == "1")
    roles = RoleAssignment.objects.select_related("unit").order_by("role")
    return (
        users.select_related("department", "department__unit")
        .prefetch_related(Prefetch("role_assignments", queryset=roles))
        .order_by("department__path", "-is_leader", "username")
    )


def pending_requests_for_review(actor: User) -> QuerySet[PermissionRequest]:
    return (
        permissions.decides_requests_for(actor)
        .filter(status=PermissionRequest.Status.PENDING)
        .exclude(requester=actor)
        .select_related("requester", "requester__department", "unit", "column")
    )


def decided_requests_for_review(actor: User, *, limit: int) -> list[PermissionRequest]:
    return list(
        permissions.decides_requests_for(actor)
        .exclude(status=PermissionRequest.Status.PENDING)
        .select_related("requester", "unit", "decided_by", "column")[:limit]
    )


def my_requests(user: User) -> QuerySet[PermissionRequest]:
    return PermissionRequest.objects.filter(requester=user).select_related(
        "unit", "decided_by", "column"
    )


def audit_entries(*, action="", unit=None, query="", since=None, until=None):
    entries = AuditEntry.objects.select_related("actor", "target_user", "unit")
    if action:
        entries = entries.filter(action=action)
    if unit is not None:
        entries = entries.filter(unit__path__startswith=unit.path)
    if query:
        entries = entries.filter(
            Q(actor__username__icontains=query)
            | Q(actor__name__icontains=query)
            | Q(target_user__username__icontains=query)
            | Q(target_user__name__icontains=query)
        )
    if since:
        entries = entries.filter(created_at__date__gte=since)
    if until:
        entries = entries.filter(created_at__date__lte=until)
    return entries


def column_pages() -> QuerySet[Page]:
    """Live pages that are publishing columns. Which page types are columns is configuration
    (`PEOPLE_COLUMN_PAGE_MODELS`), so people depends on no publishing app."""
    models = [apps.get_model(label) for label in settings.PEOPLE_COLUMN_PAGE_MODELS]
    return Page.objects.live().type(*models).order_by("path")

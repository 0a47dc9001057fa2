"""Operations that change the organization and accounts."""

from django.db import transaction

from .models import OrgUnit, Role, RoleAssignment, User


@transaction.atomic
def org_unit_create(
    *,
    parent: OrgUnit | None,
    code: str,
    name: str,
    kind: str,
    short_name: str = "",
    sort_order: int = 0,
    doc_prefix: str = "",
) -> OrgUnit:
    fields = {
        "code": code,
        "name": name,
        "kind": kind,
        "short_name": short_name,
        "sort_order": sort_order,
        "doc_prefix": doc_prefix,
    }
    node = OrgUnit.add_root(**fields) if parent is None else parent.add_child(**fields)
    node.unit = node if node.is_unit_level else parent.unit
    node.save(update_fields=["unit"])
    return node


@transaction.atomic
def role_grant(*, user: User, role: Role, unit: OrgUnit | None = None) -> RoleAssignment:
    assignment, _created = RoleAssignment.objects.get_or_create(user=user, role=role, unit=unit)
    return assignment

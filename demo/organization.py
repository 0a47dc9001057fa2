"""The demo group company's organization and accounts (data: demo/data/organization.yaml)."""

from django.contrib.auth.hashers import make_password

from people.models import OrgUnit, Role, User
from people.services import name_initials, org_unit_create, role_grant


def organization_ensure(data: dict) -> dict[str, OrgUnit]:
    existing = {unit.code: unit for unit in OrgUnit.objects.all()}

    def ensure(parent, spec: dict, kind, code=None, order=0):
        code = code or spec["code"]
        if code not in existing:
            existing[code] = org_unit_create(
                parent=parent,
                code=code,
                name=spec["name"],
                kind=kind,
                short_name=spec.get("short_name", ""),
                doc_prefix=spec.get("doc_prefix", ""),
                sort_order=order,
            )
        return existing[code]

    headquarters = ensure(None, data["headquarters"], OrgUnit.Kind.HEADQUARTERS)
    for order, department in enumerate(data["headquarters_departments"]):
        ensure(headquarters, department, OrgUnit.Kind.DEPARTMENT, order=order)
    for order, spec in enumerate(data["units"], start=10):
        unit = ensure(headquarters, spec, OrgUnit.Kind.UNIT, order=order)
        for department_order, department in enumerate(data["unit_departments"]):
            code = f"{spec['code']}-{department['suffix']}"
            ensure(unit, department, OrgUnit.Kind.DEPARTMENT, code=code, order=department_order)
    return existing


def people_ensure(data: dict, units: dict[str, OrgUnit]) -> int:
    """The demo accounts, all with the demo password; returns how many were new."""
    existing = set(User.objects.values_list("username", flat=True))
    password_hash = None
    created = 0
    for index, person in enumerate(data["people"], 1):
        username = person["username"]
        if username in existing:
            continue
        password_hash = password_hash or make_password(data["password"])
        roles = person.get("roles", ())
        is_system_admin = any(grant["role"] == Role.SYSTEM_ADMIN for grant in roles)
        user = User.objects.create(
            username=username,
            password=password_hash,
            name=person["name"],
            name_initials=name_initials(person["name"]),
            employee_no=f"E{index:05d}",
            department=units[person["department"]],
            position=person["position"],
            is_leader=person.get("leader", False),
            email=f"{username}@demo.xietong.invalid",
            mobile=f"1390379{index:04d}",
            office_phone=f"0379-6486{index:04d}",
            is_staff=is_system_admin,
            is_superuser=is_system_admin,
        )
        for grant in roles:
            scope = units[grant["unit"]] if grant["unit"] else None
            role_grant(actor=None, user=user, role=Role(grant["role"]), unit=scope)
        created += 1
    return created

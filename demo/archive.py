"""The demo's archive settings (data: demo/data/archive.yaml): every unit's fonds code and the
organisation codes of some of its departments, set through the archive's services by the unit's
archivist. A unit whose archive is already set up, or that has no archivist, is left alone."""

from archive import services
from archive.models import ClassScheme, FondsSettings
from people.models import OrgUnit, Role, User


def archive_demo_ensure(data: dict) -> None:
    for spec in data["fonds"]:
        unit = OrgUnit.objects.filter(code=spec["unit"]).first()
        if unit is None or FondsSettings.objects.filter(unit=unit).exists():
            continue
        if FondsSettings.objects.filter(fonds_code=spec["fonds_code"]).exists():
            continue
        archivist = (
            User.objects.filter(role_assignments__role=Role.ARCHIVIST, role_assignments__unit=unit)
            .order_by("pk")
            .first()
        )
        if archivist is None:
            continue
        fonds = services.fonds_save(
            user=archivist,
            unit=unit,
            fonds_code=spec["fonds_code"],
            category_code="WS",
            scheme=ClassScheme.ORGANISATION,
        )
        for department_code, code in spec["class_codes"].items():
            department = OrgUnit.objects.get(code=department_code)
            services.class_code_add(
                user=archivist, fonds=fonds, code=code, name=department.name, department=department
            )

"""Checking the rows of an HR export: every error of every row, with the row it is on, in a bounded
number of queries for the whole file."""

from collections.abc import Callable, Iterator
from dataclasses import dataclass
from datetime import date, datetime
from typing import Any

from django.core.exceptions import ValidationError
from django.core.validators import EmailValidator
from django.utils.translation import gettext as _

from .. import permissions
from ..models import OrgUnit, Role, RoleAssignment, User
from .reading import COLUMN_LABELS, COLUMNS, Row, cell_text

PROGRESS_EVERY = 100
QUERY_CHUNK = 500

REQUIRED_COLUMNS = ("employee_no", "name", "unit_code", "department_code")
GENDERS = {
    "男": User.Gender.MALE,
    "male": User.Gender.MALE,
    "女": User.Gender.FEMALE,
    "female": User.Gender.FEMALE,
}
ACTIVE_STATUSES = {"在职", "active"}
DISABLED_STATUSES = {"离职", "inactive", "disabled"}
DATE_FORMATS = ("%Y-%m-%d", "%Y/%m/%d")
validate_email = EmailValidator()
TEXT_LIMITS = {
    name: User._meta.get_field(name).max_length
    for name in ("employee_no", "name", "position", "mobile", "email")
}


@dataclass(frozen=True)
class RowError:
    row: int
    column: str
    message: str

    @property
    def column_label(self) -> str:
        return str(COLUMN_LABELS[self.column])


@dataclass
class ValidRow:
    row: int
    employee_no: str
    name: str
    department: OrgUnit
    unit: OrgUnit
    active: bool
    optional: dict[str, Any]


@dataclass
class CheckedRows:
    valid: list[ValidRow]
    errors: list[RowError]
    # The accounts the file names that exist already, by employee number.
    existing: dict[str, User]


class _Lookups:
    """Everything the checks need, fetched in a bounded number of queries for the whole file."""

    def __init__(self, employee_numbers: list[str], actor: User | None) -> None:
        org = OrgUnit.objects.only("id", "code", "kind", "path", "unit_id")
        self.units = {
            node.code: node
            for node in org.filter(kind__in=[OrgUnit.Kind.HEADQUARTERS, OrgUnit.Kind.UNIT])
        }
        self.departments = {node.code: node for node in org.filter(kind=OrgUnit.Kind.DEPARTMENT)}
        self.existing: dict[str, User] = {}
        self.usernames: set[str] = set()
        for chunk in _chunks(employee_numbers, QUERY_CHUNK):
            for user in User.objects.filter(employee_no__in=chunk).select_related("department"):
                self.existing[user.employee_no] = user
            self.usernames.update(
                User.objects.filter(username__in=chunk).values_list("username", flat=True)
            )
        self.actor = actor
        self.allowed_paths: list[str] | None = None
        self.protected_ids: set[int] = set()
        if actor is not None and not permissions.is_system_admin(actor):
            self.allowed_paths = list(
                permissions.administered_units(actor).values_list("path", flat=True)
            )
            self.protected_ids = set(
                RoleAssignment.objects.filter(role=Role.SYSTEM_ADMIN).values_list(
                    "user_id", flat=True
                )
            )

    def may_administer(self, node: OrgUnit | None) -> bool:
        if self.allowed_paths is None:
            return True
        return node is not None and any(node.path.startswith(p) for p in self.allowed_paths)

    def may_administer_user(self, user: User) -> bool:
        if self.allowed_paths is None:
            return True
        if user.is_superuser or user.pk in self.protected_ids:
            return False
        return self.may_administer(user.department)


def _chunks(items: list[str], size: int) -> Iterator[list[str]]:
    for start in range(0, len(items), size):
        yield items[start : start + size]


def check_rows(
    rows: list[Row],
    actor: User | None,
    progress: Callable[[int, int], None] | None = None,
) -> CheckedRows:
    """Every row checked as `actor` (None: the operator, who may import into every unit)."""
    employee_numbers = list(dict.fromkeys(cell_text(values["employee_no"]) for _, values in rows))
    lookups = _Lookups([number for number in employee_numbers if number], actor)
    checked = CheckedRows(valid=[], errors=[], existing=lookups.existing)
    first_row_of: dict[str, int] = {}
    for done, (row, values) in enumerate(rows, start=1):
        employee_no = cell_text(values["employee_no"])
        if employee_no in first_row_of:
            checked.errors.append(
                RowError(
                    row=row,
                    column="employee_no",
                    message=_("Employee number %(employee_no)s already appears in row %(row)d.")
                    % {"employee_no": employee_no, "row": first_row_of[employee_no]},
                )
            )
        else:
            if employee_no:
                first_row_of[employee_no] = row
            valid = _check_row(row, values, lookups, checked.errors)
            if valid is not None:
                checked.valid.append(valid)
        if progress is not None and (done % PROGRESS_EVERY == 0 or done == len(rows)):
            progress(done, len(rows))
    checked.errors.sort(key=lambda error: error.row)
    return checked


def _check_row(
    row: int, values: dict[str, Any], lookups: _Lookups, errors: list[RowError]
) -> ValidRow | None:
    row_errors: list[RowError] = []

    def error(column: str, message: str) -> None:
        row_errors.append(RowError(row=row, column=column, message=message))

    text = {column: cell_text(values[column]) for column in COLUMNS if column != "entry_date"}
    for column in REQUIRED_COLUMNS:
        if not text[column]:
            error(column, _("This field is required."))
    for column, limit in TEXT_LIMITS.items():
        if len(text[column]) > limit:
            error(column, _("At most %(limit)d characters.") % {"limit": limit})

    unit = department = None
    if text["unit_code"]:
        unit = lookups.units.get(text["unit_code"])
        if unit is None:
            error("unit_code", _("Unknown unit code “%(code)s”.") % {"code": text["unit_code"]})
        elif not lookups.may_administer(unit):
            error(
                "unit_code", _("“%(code)s” is not in a unit you administer.") % {"code": unit.code}
            )
    if text["department_code"] and unit is not None:
        department = lookups.departments.get(text["department_code"])
        if department is None:
            error(
                "department_code",
                _("Unknown department code “%(code)s”.") % {"code": text["department_code"]},
            )
        elif department.unit_id != unit.pk:
            error(
                "department_code",
                _("Department “%(department)s” is not in unit “%(unit)s”.")
                % {"department": department.code, "unit": unit.code},
            )
            department = None

    gender = ""
    if text["gender"]:
        gender = GENDERS.get(text["gender"].lower(), "")
        if not gender:
            error("gender", _("Gender must be 男 or 女 (male or female)."))

    status = text["status"].lower()
    if status and status not in ACTIVE_STATUSES | DISABLED_STATUSES:
        error("status", _("Status must be 在职 or 离职 (active or inactive)."))

    if text["email"]:
        try:
            validate_email(text["email"])
        except ValidationError:
            error(
                "email", _("“%(email)s” is not a valid email address.") % {"email": text["email"]}
            )

    entry_date = _parse_date(values["entry_date"])
    if entry_date is False:
        error("entry_date", _("Write the date as YYYY-MM-DD, e.g. 2024-07-01."))

    existing = lookups.existing.get(text["employee_no"])
    if existing is not None:
        if not lookups.may_administer_user(existing):
            error(
                "employee_no",
                _("The account of %(employee_no)s is not in a unit you administer.")
                % {"employee_no": text["employee_no"]},
            )
        if (
            lookups.actor is not None
            and existing.pk == lookups.actor.pk
            and status in DISABLED_STATUSES
        ):
            error("status", _("You cannot disable your own account."))
    elif text["employee_no"] in lookups.usernames:
        error(
            "employee_no",
            _("The account name %(employee_no)s is already taken by another account.")
            % {"employee_no": text["employee_no"]},
        )

    errors.extend(row_errors)
    if row_errors or unit is None or department is None:
        return None
    optional = {
        "gender": gender,
        "position": text["position"],
        "mobile": text["mobile"],
        "email": text["email"],
        "entry_date": entry_date,
    }
    return ValidRow(
        row=row,
        employee_no=text["employee_no"],
        name=text["name"],
        department=department,
        unit=unit,
        active=status not in DISABLED_STATUSES,
        optional={name: value for name, value in optional.items() if value},
    )


def _parse_date(value: Any) -> date | bool | None:
    """The date, None when the cell is empty, False when it is not a date."""
    if isinstance(value, datetime):
        return value.date()
    if isinstance(value, date):
        return value
    text = cell_text(value)
    if not text:
        return None
    for date_format in DATE_FORMATS:
        try:
            return datetime.strptime(text, date_format).date()
        except ValueError:
            continue
    return False

"""Accounts from the HR system: read the HR export (CSV or XLSX), check every row, apply it.

A file is all or nothing: if any row has an error, nothing is imported and the result lists every
error with its row number (the row as a spreadsheet shows it, the header being row 1). A dry run
checks and reports the same way without writing. Rows that match their account already are not
written at all, so importing the same file twice changes nothing the second time.
"""

import csv
import io
from collections.abc import Callable, Iterable, Iterator
from dataclasses import dataclass, field
from datetime import date, datetime
from pathlib import Path
from typing import Any

from django.core.exceptions import PermissionDenied, ValidationError
from django.core.files.base import ContentFile
from django.core.validators import EmailValidator
from django.db import IntegrityError, transaction
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from core.spreadsheets import xlsx_rows
from core.uploads import HR_IMPORT, XLSX, check_upload, decode_text
from core.xlsx import workbook_bytes

from . import permissions
from .audit import audit_record
from .caching import forget_everyone
from .models import AuditEntry, OrgUnit, Role, RoleAssignment, User
from .services import name_initials

# A header row may carry columns of its own beyond the template's; cells further right are not read.
MAX_COLUMNS = 64
MAX_ROWS = 100_000
PROGRESS_EVERY = 100
QUERY_CHUNK = 500

COLUMNS = (
    "employee_no",
    "name",
    "gender",
    "unit_code",
    "department_code",
    "position",
    "mobile",
    "email",
    "entry_date",
    "status",
)
CHINESE_HEADERS = {
    "employee_no": "工号",
    "name": "姓名",
    "gender": "性别",
    "unit_code": "单位编码",
    "department_code": "部门编码",
    "position": "职务",
    "mobile": "手机",
    "email": "电子邮箱",
    "entry_date": "入职日期",
    "status": "状态",
}
COLUMN_LABELS = {
    "employee_no": gettext_lazy("Employee number"),
    "name": gettext_lazy("Full name"),
    "gender": gettext_lazy("Gender"),
    "unit_code": gettext_lazy("Unit code"),
    "department_code": gettext_lazy("Department code"),
    "position": gettext_lazy("Position"),
    "mobile": gettext_lazy("Mobile"),
    "email": gettext_lazy("Email"),
    "entry_date": gettext_lazy("Entry date"),
    "status": gettext_lazy("Status"),
}
ACTION_LABELS = {
    "created": gettext_lazy("New account"),
    "updated": gettext_lazy("Updated"),
    "disabled": gettext_lazy("Disabled"),
    "enabled": gettext_lazy("Re-enabled"),
    "unchanged": gettext_lazy("Unchanged"),
}
REQUIRED_COLUMNS = ("employee_no", "name", "unit_code", "department_code")
TEMPLATE_EXAMPLE_ROW = (
    "E0001",
    "张三",
    "男",
    "HQ",
    "HQ-BGS",
    "科员",
    "13800000000",
    "zhangsan@example.com",
    "2024-07-01",
    "在职",
)

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

# The account fields an HR row sets; an empty optional cell leaves the account's value alone,
# so contact details people entered themselves are not wiped by a sparse export.
SYNCED_FIELDS = ("name", "gender", "department", "position", "mobile", "email", "entry_date")
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


@dataclass(frozen=True)
class RowOutcome:
    """What the import does (or, in a dry run, would do) with one valid row."""

    CREATED = "created"
    UPDATED = "updated"
    DISABLED = "disabled"
    ENABLED = "enabled"
    UNCHANGED = "unchanged"
    ACTIONS = (CREATED, UPDATED, DISABLED, ENABLED, UNCHANGED)

    row: int
    employee_no: str
    name: str
    action: str
    changed_fields: tuple[str, ...] = ()

    @property
    def action_label(self) -> str:
        return str(ACTION_LABELS[self.action])

    @property
    def changed_labels(self) -> list[str]:
        return [str(User._meta.get_field(name).verbose_name) for name in self.changed_fields]


@dataclass
class ImportResult:
    file_name: str
    dry_run: bool
    row_count: int = 0
    outcomes: list[RowOutcome] = field(default_factory=list)
    errors: list[RowError] = field(default_factory=list)
    applied: bool = False

    @property
    def ok(self) -> bool:
        return not self.errors

    def count(self, action: str) -> int:
        return sum(1 for outcome in self.outcomes if outcome.action == action)

    @property
    def counts(self) -> dict[str, int]:
        counts = dict.fromkeys(RowOutcome.ACTIONS, 0)
        for outcome in self.outcomes:
            counts[outcome.action] += 1
        counts["errors"] = len(self.errors)
        return counts

    @property
    def changes(self) -> list[RowOutcome]:
        return [outcome for outcome in self.outcomes if outcome.action != RowOutcome.UNCHANGED]

    @property
    def changed_count(self) -> int:
        return len(self.outcomes) - self.count(RowOutcome.UNCHANGED)


# Reading the file ------------------------------------------------------------------------------


def read_rows(file_name: str, content: bytes) -> list[tuple[int, dict[str, Any]]]:
    """The data rows of an HR export as (spreadsheet row number, {column: raw value})."""
    kind = check_upload(ContentFile(content, name=Path(file_name).name), HR_IMPORT)
    table = _xlsx_rows(content) if kind == XLSX else _csv_rows(content)
    return _rows_by_header(table)


def _xlsx_rows(content: bytes) -> Iterator[tuple[int, tuple[Any, ...]]]:
    for _sheet, number, cells in xlsx_rows(
        io.BytesIO(content), max_columns=MAX_COLUMNS, first_sheet_only=True
    ):
        yield number, cells


def _csv_rows(content: bytes) -> Iterator[tuple[int, list[str]]]:
    text = decode_text(content)
    if text is None:
        raise ValidationError(
            _("The file is not a CSV text file in UTF-8 or GB18030 encoding."), code="format"
        )
    return enumerate(csv.reader(io.StringIO(text, newline="")), start=1)


def _rows_by_header(
    table: Iterable[tuple[int, Iterable[Any]]],
) -> list[tuple[int, dict[str, Any]]]:
    header_aliases = {alias: column for column, alias in CHINESE_HEADERS.items()}
    header_aliases.update({column: column for column in COLUMNS})
    rows = iter(table)
    _header_number, header = next(rows, (1, None))
    if header is None:
        raise ValidationError(_("The file is empty."), code="empty")
    positions: dict[str, int] = {}
    for position, cell in enumerate(header):
        column = header_aliases.get(_text(cell).lower())
        if column and column not in positions:
            positions[column] = position
    missing = [column for column in COLUMNS if column not in positions]
    if missing:
        raise ValidationError(
            _("The first row must hold the template's column headers; missing: %(columns)s.")
            % {"columns": "、".join(CHINESE_HEADERS[column] for column in missing)},
            code="header",
        )
    data = []
    for row_number, cells in rows:
        if len(data) >= MAX_ROWS:
            raise ValidationError(
                _("The file has more than %(limit)s data rows; split it.") % {"limit": MAX_ROWS},
                code="too_large",
            )
        cells = tuple(cells)
        values = {
            column: cells[position] if position < len(cells) else None
            for column, position in positions.items()
        }
        if any(_text(value) for value in values.values()):
            data.append((row_number, values))
    if not data:
        raise ValidationError(_("The file has no data rows."), code="empty")
    return data


def _text(value: Any) -> str:
    if value is None:
        return ""
    if isinstance(value, float) and value.is_integer():
        value = int(value)  # Excel stores numbers typed as 10001 as 10001.0
    return str(value).strip()


# Checking the rows -----------------------------------------------------------------------------


@dataclass
class _ValidRow:
    row: int
    employee_no: str
    name: str
    department: OrgUnit
    unit: OrgUnit
    active: bool
    optional: dict[str, Any]


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


def _check_row(
    row: int, values: dict[str, Any], lookups: _Lookups, errors: list[RowError]
) -> _ValidRow | None:
    row_errors: list[RowError] = []

    def error(column: str, message: str) -> None:
        row_errors.append(RowError(row=row, column=column, message=message))

    text = {column: _text(values[column]) for column in COLUMNS if column != "entry_date"}
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
    return _ValidRow(
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
    text = _text(value)
    if not text:
        return None
    for date_format in DATE_FORMATS:
        try:
            return datetime.strptime(text, date_format).date()
        except ValueError:
            continue
    return False


# Applying ---------------------------------------------------------------------------------------


def _plan(
    valid_rows: list[_ValidRow], existing: dict[str, User]
) -> tuple[list[User], list[User], list[RowOutcome]]:
    """The accounts to create and to update, and what happens to each row."""
    to_create: list[User] = []
    to_update: list[User] = []
    outcomes: list[RowOutcome] = []
    for valid in valid_rows:
        user = existing.get(valid.employee_no)
        if user is None:
            user = User(
                username=valid.employee_no,
                employee_no=valid.employee_no,
                name=valid.name,
                name_initials=name_initials(valid.name),
                department=valid.department,
                is_active=valid.active,
                **valid.optional,
            )
            user.set_unusable_password()
            to_create.append(user)
            outcomes.append(_outcome(valid, RowOutcome.CREATED))
            continue
        wanted = {"name": valid.name, "department": valid.department, **valid.optional}
        changed = tuple(
            name
            for name in SYNCED_FIELDS
            if name in wanted and _current(user, name) != _wanted(wanted[name])
        )
        for name in changed:
            setattr(user, name, wanted[name])
        if "name" in changed:
            user.name_initials = name_initials(user.name)
        action = RowOutcome.UPDATED if changed else RowOutcome.UNCHANGED
        if user.is_active != valid.active:
            user.is_active = valid.active
            action = RowOutcome.ENABLED if valid.active else RowOutcome.DISABLED
        if action != RowOutcome.UNCHANGED:
            to_update.append(user)
        outcomes.append(_outcome(valid, action, changed))
    return to_create, to_update, outcomes


def _current(user: User, name: str) -> Any:
    return user.department_id if name == "department" else getattr(user, name)


def _wanted(value: Any) -> Any:
    return value.pk if isinstance(value, OrgUnit) else value


def _outcome(valid: _ValidRow, action: str, changed: tuple[str, ...] = ()) -> RowOutcome:
    return RowOutcome(
        row=valid.row,
        employee_no=valid.employee_no,
        name=valid.name,
        action=action,
        changed_fields=changed,
    )


def import_users(
    *,
    content: bytes,
    file_name: str,
    actor: User | None,
    dry_run: bool,
    ip_address: str | None = None,
    progress: Callable[[int, int], None] | None = None,
) -> ImportResult:
    """Check the HR export and, unless it is a dry run and if every row is valid, apply it.

    `actor=None` is the operator on the command line, who may import into every unit. Raises
    `ValidationError` when the file itself cannot be read, `PermissionDenied` when the actor
    administers no unit.
    """
    if actor is not None and not permissions.can_administer_any(actor):
        raise PermissionDenied(_("You are not allowed to do this."))
    rows = read_rows(file_name, content)
    result = ImportResult(file_name=file_name, dry_run=dry_run, row_count=len(rows))
    try:
        with transaction.atomic():
            _check_and_apply(rows, result, actor, ip_address, progress)
    except IntegrityError as error:
        raise ValidationError(
            _("Accounts changed while the file was being imported; import it again."),
            code="conflict",
        ) from error
    return result


def _check_and_apply(
    rows: list[tuple[int, dict[str, Any]]],
    result: ImportResult,
    actor: User | None,
    ip_address: str | None,
    progress: Callable[[int, int], None] | None,
) -> None:
    employee_numbers = list(dict.fromkeys(_text(values["employee_no"]) for _, values in rows))
    lookups = _Lookups([number for number in employee_numbers if number], actor)
    first_row_of: dict[str, int] = {}
    valid_rows: list[_ValidRow] = []
    for done, (row, values) in enumerate(rows, start=1):
        employee_no = _text(values["employee_no"])
        if employee_no in first_row_of:
            result.errors.append(
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
            valid = _check_row(row, values, lookups, result.errors)
            if valid is not None:
                valid_rows.append(valid)
        if progress is not None and (done % PROGRESS_EVERY == 0 or done == len(rows)):
            progress(done, len(rows))
    result.errors.sort(key=lambda error: error.row)
    if result.errors:
        return
    to_create, to_update, result.outcomes = _plan(valid_rows, lookups.existing)
    if result.dry_run:
        return
    result.applied = True
    if not (to_create or to_update):
        return
    User.objects.bulk_create(to_create, batch_size=QUERY_CHUNK)
    User.objects.bulk_update(
        to_update, [*SYNCED_FIELDS, "name_initials", "is_active"], batch_size=QUERY_CHUNK
    )
    forget_everyone()  # bulk writes send no signals
    units = {valid.unit for valid in valid_rows}
    counts = result.counts
    audit_record(
        actor=actor,
        action=AuditEntry.Action.USERS_IMPORTED,
        summary=_(
            "Imported %(file)s: %(created)d created, %(updated)d updated, "
            "%(disabled)d disabled, %(enabled)d enabled"
        )
        % {"file": result.file_name, **counts},
        unit=units.pop() if len(units) == 1 else None,
        details={**counts, "file": result.file_name},
        ip_address=ip_address,
    )


# The template -----------------------------------------------------------------------------------


def template_csv() -> bytes:
    buffer = io.StringIO(newline="")
    writer = csv.writer(buffer)
    writer.writerow([CHINESE_HEADERS[column] for column in COLUMNS])
    writer.writerow(TEMPLATE_EXAMPLE_ROW)
    # The byte-order mark makes Excel open the file as UTF-8 instead of the system code page.
    return buffer.getvalue().encode("utf-8-sig")


def template_xlsx() -> bytes:
    import openpyxl

    workbook = openpyxl.Workbook()
    sheet = workbook.active
    sheet.title = "人员"
    sheet.append([CHINESE_HEADERS[column] for column in COLUMNS])
    sheet.append(TEMPLATE_EXAMPLE_ROW)
    # Text format keeps Excel from turning employee numbers like 00123 into 123.
    for column_cells in sheet.iter_cols(min_row=2, max_row=2):
        for cell in column_cells:
            cell.number_format = "@"
    return workbook_bytes(workbook)

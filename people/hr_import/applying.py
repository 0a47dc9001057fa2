"""Applying an HR export: the file read and checked, then, if every row is valid and it is not a dry
run, the accounts written in bulk with one audit entry."""

from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Any

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import IntegrityError, transaction
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from .. import permissions
from ..audit import audit_record
from ..caching import forget_everyone
from ..models import AuditEntry, OrgUnit, User
from ..services import name_initials
from .checking import QUERY_CHUNK, CheckedRows, RowError, ValidRow, check_rows
from .reading import read_rows

ACTION_LABELS = {
    "created": gettext_lazy("New account"),
    "updated": gettext_lazy("Updated"),
    "disabled": gettext_lazy("Disabled"),
    "enabled": gettext_lazy("Re-enabled"),
    "unchanged": gettext_lazy("Unchanged"),
}
# The account fields an HR row sets; an empty optional cell leaves the account's value alone,
# so contact details people entered themselves are not wiped by a sparse export.
SYNCED_FIELDS = ("name", "gender", "department", "position", "mobile", "email", "entry_date")


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
            checked = check_rows(rows, actor, progress)
            result.errors = checked.errors
            if result.ok:
                _apply(checked, result, actor, ip_address)
    except IntegrityError as error:
        raise ValidationError(
            _("Accounts changed while the file was being imported; import it again."),
            code="conflict",
        ) from error
    return result


def _apply(
    checked: CheckedRows, result: ImportResult, actor: User | None, ip_address: str | None
) -> None:
    to_create, to_update, result.outcomes = _plan(checked.valid, checked.existing)
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
    units = {valid.unit for valid in checked.valid}
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


def _plan(
    valid_rows: list[ValidRow], existing: dict[str, User]
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


def _outcome(valid: ValidRow, action: str, changed: tuple[str, ...] = ()) -> RowOutcome:
    return RowOutcome(
        row=valid.row,
        employee_no=valid.employee_no,
        name=valid.name,
        action=action,
        changed_fields=changed,
    )

"""Issuing, voiding and keeping document numbers: outgoing (发文字号) and incoming (收文编号).

Every function checks the actor's permission through `workflow.numbering.permissions`, runs in a
transaction and raises `NumberingError` (a ValidationError with a translated message) on bad
input, changing nothing. `user=None` means the system itself (demo data, data migrations).
"""

from zoneinfo import ZoneInfo

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import IntegrityError, connection, transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from people.models import OrgUnit, User

from . import permissions
from .models import DocumentPrefix, IssuedNumber, NumberCounter, NumberingChange

NUMBERING_TIME_ZONE = ZoneInfo("Asia/Shanghai")
FORBIDDEN_PREFIX_CHARACTERS = frozenset("〔〕[]()（）【】")
MAX_YEAR = 9999
DEFAULT_INCOMING_PREFIX = "收"


class NumberingError(ValidationError):
    """Bad input to a numbering action; the message is translated and nothing was changed."""


def format_number(
    prefix_text: str,
    year: int,
    serial: int,
    number_format: str = DocumentPrefix.NumberFormat.BRACKETED,
    *,
    is_order: bool = False,
) -> str:
    """The number as printed. Bracketed (every 发文字号, and incoming by default): prefix +
    〔year〕 + serial + 号, e.g. 一拖〔2026〕15号 — hexagonal brackets 〔〕, the full year, the
    serial without leading zeros and without 第. An order's number (令号, GB/T 9704 10.2) is
    第 + serial + 号, e.g. 第15号. Year-serial (an incoming choice): 2026-0037, the serial on at
    least four digits.
    """
    if is_order:
        return f"第{int(serial)}号"
    if number_format == DocumentPrefix.NumberFormat.YEAR_SERIAL:
        return f"{int(year)}-{int(serial):04d}"
    return f"{prefix_text}〔{int(year)}〕{int(serial)}号"


def current_year() -> int:
    """The year of today in China (Asia/Shanghai), whatever the server's time zone."""
    return timezone.localdate(timezone=NUMBERING_TIME_ZONE).year


def assign_number(
    *, prefix: DocumentPrefix, user: User | None, year: int | None = None, subject: str = ""
) -> IssuedNumber:
    """Issue the next number of `prefix` for `year` (default: the current year in China).

    The (prefix, year) counter row is locked (created at 1 for a new year), the serial issued
    and the counter moved on, all in `transaction.atomic()`. Called inside the numbering step's
    transaction, the row lock is held until that step commits, so the serials a unit gives out
    are continuous and unique; if the step rolls back, so does the number. `subject` (optional)
    is the document's title, shown in the number register.

    Raises PermissionDenied unless `user` is the unit's document clerk or a system
    administrator; NumberingError for an inactive prefix or an impossible year.
    """
    _require(user is None or permissions.can_number(user, prefix.unit))
    year = current_year() if year is None else _valid_year(year)
    issue = _issue_in_one_statement if connection.vendor == "postgresql" else _issue_with_row_lock
    # No savepoint of its own: inside the step's transaction, releasing one would be one more
    # round trip while the counter row is locked and every other clerk waits.
    with transaction.atomic(savepoint=False):
        number = issue(prefix, year, user, subject[:300])
        if number is None:
            _counter_ensure(prefix, year)
            number = issue(prefix, year, user, subject[:300])
    if number is None:
        # Raised outside the block, so that the caller's transaction stays usable.
        raise NumberingError(
            _("The prefix %(prefix)s is no longer in use.") % {"prefix": prefix.text}
        )
    return number


def assign_incoming_number(
    *, unit: OrgUnit, user: User | None, year: int | None = None, subject: str = ""
) -> IssuedNumber:
    """Issue the next incoming registration number (收文编号) of `unit` for `year`: the
    unit's own counter, apart from its outgoing ones, under the same row lock as
    `assign_number`, so it is gapless and never duplicated. A unit that has not set up its
    incoming numbering gets the default (收〔year〕serial号) on its first number.
    """
    _require(user is None or permissions.can_number(user, unit))
    return assign_number(
        prefix=_incoming_prefix(permissions.numbering_unit(unit)),
        user=user,
        year=year,
        subject=subject,
    )


@transaction.atomic
def incoming_numbering_set(
    *, unit: OrgUnit, user: User | None, text: str, number_format: str
) -> DocumentPrefix:
    """Set how `unit` prints its incoming numbers: the prefix (e.g. 收 or 收文) and the format
    (收〔2026〕37号 or 2026-0037). The counter carries on; numbers issued keep their text.
    Logged like any prefix change."""
    _require(user is None or permissions.can_manage_numbering(user, unit))
    if number_format not in DocumentPrefix.NumberFormat.values:
        raise NumberingError(_("Choose a number format."))
    prefix = _incoming_prefix(permissions.numbering_unit(unit), text)
    return prefix_update(prefix=prefix, user=user, text=text, number_format=number_format)


@transaction.atomic
def void_number(*, number: IssuedNumber, user: User | None, reason: str) -> IssuedNumber:
    """Void (作废) an issued number, e.g. when its document is cancelled. The reason is
    required and shown in the register; the serial is never given out again.

    Raises PermissionDenied unless `user` is the unit's document clerk, process administrator
    or a system administrator; NumberingError without a reason or for a number already void.
    """
    unit = number.prefix.unit
    _require(user is None or permissions.can_void(user, unit))
    reason = (reason or "").strip()
    if not reason:
        raise NumberingError(_("Give the reason for voiding the number."))
    if len(reason) > 300:
        raise NumberingError(_("The reason is too long (at most 300 characters)."))
    locked = IssuedNumber.objects.select_for_update().get(pk=number.pk)
    if locked.is_void:
        raise NumberingError(_("The number %(number)s is already void.") % {"number": locked})
    locked.voided_at = timezone.now()
    locked.voided_by = user
    locked.void_reason = reason
    locked.save(update_fields=["voided_at", "voided_by", "void_reason"])
    number.voided_at, number.voided_by, number.void_reason = locked.voided_at, user, reason
    _log(
        user,
        NumberingChange.Action.NUMBER_VOIDED,
        locked.prefix,
        year=locked.year,
        before={"number": locked.text},
        after={"number": locked.text, "void": True},
        reason=reason,
    )
    return locked


@transaction.atomic
def set_next_serial(
    *, prefix: DocumentPrefix, year: int, next_serial: int, user: User | None
) -> NumberCounter:
    """Move the next serial of `prefix` in `year` forward (e.g. past numbers used on paper).

    Only forward: a value at or below the current next serial is refused, so no serial is ever
    issued twice. The change is logged in NumberingChange with before and after.
    """
    _require(user is None or permissions.can_manage_numbering(user, prefix.unit))
    year = _valid_year(year)
    if not isinstance(next_serial, int) or next_serial < 1:
        raise NumberingError(_("The next serial must be a whole number of at least 1."))
    counter = _locked_counter(prefix, year)
    if next_serial <= counter.next_serial:
        raise NumberingError(
            _(
                "The next serial can only move forward: %(prefix)s in %(year)s is at "
                "%(current)s now, so choose a number above that."
            )
            % {"prefix": prefix.text, "year": year, "current": counter.next_serial}
        )
    before = counter.next_serial
    counter.next_serial = next_serial
    counter.save(update_fields=["next_serial"])
    _log(
        user,
        NumberingChange.Action.NEXT_SERIAL_SET,
        prefix,
        year=year,
        before={"next_serial": before},
        after={"next_serial": next_serial},
    )
    return counter


@transaction.atomic
def prefix_create(
    *,
    unit: OrgUnit,
    text: str,
    user: User | None,
    order: int = 0,
    is_active: bool = True,
    is_order: bool = False,
    purpose: str = DocumentPrefix.Purpose.OUTGOING,
) -> DocumentPrefix:
    """Add a 文件代字 to a unit (the headquarters or a second-level unit), or, with
    `purpose=INCOMING`, its incoming prefix."""
    _require(user is None or permissions.can_manage_numbering(user, unit))
    if not unit.is_unit_level:
        raise NumberingError(
            _("Prefixes belong to the headquarters or a second-level unit, not a department.")
        )
    text = _valid_prefix_text(text)
    if DocumentPrefix.objects.filter(unit=unit, text=text).exists():
        raise NumberingError(
            _("%(unit)s already has the prefix %(prefix)s.") % {"unit": unit, "prefix": text}
        )
    prefix = DocumentPrefix.objects.create(
        unit=unit,
        text=text,
        order=_valid_order(order),
        is_active=is_active,
        is_order=is_order,
        purpose=purpose,
    )
    _log(
        user,
        NumberingChange.Action.PREFIX_CREATED,
        prefix,
        after=_prefix_state(prefix),
    )
    return prefix


@transaction.atomic
def prefix_update(
    *,
    prefix: DocumentPrefix,
    user: User | None,
    text: str | None = None,
    is_active: bool | None = None,
    order: int | None = None,
    is_order: bool | None = None,
    number_format: str | None = None,
) -> DocumentPrefix:
    """Rename, reorder, retire or reactivate a prefix (an incoming one may also change its
    format). Numbers already issued keep their text; the yearly counters carry on under the
    new text. Logged with before and after."""
    _require(user is None or permissions.can_manage_numbering(user, prefix.unit))
    locked = DocumentPrefix.objects.select_for_update().get(pk=prefix.pk)
    before = _prefix_state(locked)
    if text is not None:
        text = _valid_prefix_text(text)
        clash = DocumentPrefix.objects.filter(unit_id=locked.unit_id, text=text)
        if clash.exclude(pk=locked.pk).exists():
            raise NumberingError(
                _("%(unit)s already has the prefix %(prefix)s.")
                % {"unit": locked.unit, "prefix": text}
            )
        locked.text = text
    if is_active is not None:
        locked.is_active = is_active
    if order is not None:
        locked.order = _valid_order(order)
    if is_order is not None:
        locked.is_order = is_order
    if number_format is not None:
        locked.number_format = number_format
    after = _prefix_state(locked)
    if after == before:
        return prefix
    locked.save(update_fields=["text", "is_active", "order", "is_order", "number_format"])
    prefix.text, prefix.is_active, prefix.order = locked.text, locked.is_active, locked.order
    prefix.is_order, prefix.number_format = locked.is_order, locked.number_format
    _log(user, NumberingChange.Action.PREFIX_UPDATED, locked, before=before, after=after)
    return prefix


@transaction.atomic
def prefixes_ensure_from_units() -> int:
    """Give every unit with a 代字 on its organization record (OrgUnit.doc_prefix) that prefix,
    for demo data and first installs. Idempotent; returns how many prefixes were added."""
    added = 0
    units = OrgUnit.objects.filter(kind__in=[OrgUnit.Kind.HEADQUARTERS, OrgUnit.Kind.UNIT]).exclude(
        doc_prefix=""
    )
    for unit in units:
        text = unit.doc_prefix.strip()
        if text and not DocumentPrefix.objects.filter(unit=unit, text=text).exists():
            prefix_create(unit=unit, text=text, user=None)
            added += 1
    return added


def _issue_with_row_lock(
    prefix: DocumentPrefix, year: int, user: User | None, subject: str
) -> IssuedNumber | None:
    """Lock the counter row (SELECT … FOR UPDATE), issue its serial, move it on. None when the
    counter does not exist yet or the prefix has been retired."""
    counter = (
        NumberCounter.objects.select_for_update(of=("self",))
        .select_related("prefix")
        .filter(prefix=prefix, year=year)
        .first()
    )
    if counter is None or not counter.prefix.is_active:
        return None
    serial = counter.next_serial
    NumberCounter.objects.filter(pk=counter.pk).update(next_serial=serial + 1)
    return IssuedNumber.objects.create(
        prefix=counter.prefix,
        year=year,
        serial=serial,
        text=format_number(
            counter.prefix.text,
            year,
            serial,
            counter.prefix.number_format,
            is_order=counter.prefix.is_order,
        ),
        subject=subject,
        issued_by=user,
    )


def _issue_in_one_statement(
    prefix: DocumentPrefix, year: int, user: User | None, subject: str
) -> IssuedNumber | None:
    """The same as `_issue_with_row_lock`, on PostgreSQL in a single statement: the UPDATE
    takes the counter row's lock, and the number is inserted in the same round trip.

    While the lock is held, every other clerk of the prefix waits, so what runs under it
    decides the throughput. Here that is this one statement and the commit; the
    SELECT … FOR UPDATE, UPDATE, INSERT sequence needs the Python process scheduled three
    times under the lock, which on a busy server gave a third of the numbers per second
    (bench/numbering.py, docs/numbering-and-redhead.md).
    """
    fields = IssuedNumber._meta.concrete_fields
    statement = _ISSUE_STATEMENT.format(
        counters=NumberCounter._meta.db_table,
        prefixes=DocumentPrefix._meta.db_table,
        numbers=IssuedNumber._meta.db_table,
        returning=", ".join(f"issued.{field.column}" for field in fields),
    )
    with connection.cursor() as cursor:
        cursor.execute(
            statement,
            {
                "prefix": prefix.pk,
                "year": year,
                "subject": subject,
                "issued_at": timezone.now(),
                "issued_by": user.pk if user is not None else None,
            },
        )
        row = cursor.fetchone()
    if row is None:
        return None
    number = IssuedNumber.from_db(connection.alias, [field.attname for field in fields], row)
    number.prefix = prefix
    number.issued_by = user
    return number


# The number's text is format_number's, written in SQL: prefix〔year〕serial号, 第serial号 or
# year-0037.
_ISSUE_STATEMENT = """
WITH counter AS (
    UPDATE {counters} AS counter
    SET next_serial = counter.next_serial + 1
    FROM {prefixes} AS prefix
    WHERE counter.prefix_id = %(prefix)s AND counter.year = %(year)s
      AND prefix.id = counter.prefix_id AND prefix.is_active
    RETURNING counter.next_serial - 1 AS serial, prefix.text AS prefix_text,
        prefix.is_order AS is_order, prefix.number_format AS number_format
), issued AS (
    INSERT INTO {numbers}
        (prefix_id, year, serial, text, subject, issued_at, issued_by_id, void_reason)
    SELECT %(prefix)s, %(year)s, counter.serial,
           CASE
               WHEN counter.is_order THEN '第' || counter.serial || '号'
               WHEN counter.number_format = 'year_serial' THEN %(year)s || '-'
                   || repeat('0', 4 - length(counter.serial::text)) || counter.serial
               ELSE counter.prefix_text || '〔' || %(year)s || '〕' || counter.serial || '号'
           END,
           %(subject)s, %(issued_at)s, %(issued_by)s, ''
    FROM counter
    RETURNING *
)
SELECT {returning} FROM issued
"""


def _incoming_prefix(unit: OrgUnit, text: str = DEFAULT_INCOMING_PREFIX) -> DocumentPrefix:
    """The unit's incoming prefix, created with `text` and the bracketed format when missing.

    Two first registrations may both miss it: the loser's insert hits the unique constraint,
    or its check for the text sees the winner's row once that commits; either way it then
    reads the winner's prefix. Any other refusal (e.g. an outgoing prefix with that text)
    stands."""
    incoming = DocumentPrefix.objects.filter(unit=unit, purpose=DocumentPrefix.Purpose.INCOMING)
    prefix = incoming.first()
    if prefix is not None:
        return prefix
    try:
        with transaction.atomic():
            return prefix_create(
                unit=unit, text=text, user=None, purpose=DocumentPrefix.Purpose.INCOMING
            )
    except (IntegrityError, NumberingError):
        prefix = incoming.first()
        if prefix is None:
            raise
        return prefix


def _counter_ensure(prefix: DocumentPrefix, year: int) -> None:
    """Create the (prefix, year) counter at serial 1 unless it exists.

    Two transactions may both miss the row; the unique constraint lets one insert win, the
    other's insert fails inside its savepoint and its retry then waits for the winner's lock.
    """
    if NumberCounter.objects.filter(prefix=prefix, year=year).exists():
        return
    try:
        with transaction.atomic():
            NumberCounter.objects.create(prefix=prefix, year=year, next_serial=1)
    except IntegrityError:
        pass


def _locked_counter(prefix: DocumentPrefix, year: int) -> NumberCounter:
    """The (prefix, year) counter row under SELECT … FOR UPDATE, created when missing."""
    counters = NumberCounter.objects.select_for_update(of=("self",))
    counter = counters.filter(prefix=prefix, year=year).first()
    if counter is None:
        _counter_ensure(prefix, year)
        counter = counters.get(prefix=prefix, year=year)
    return counter


def _log(
    user: User | None,
    action: NumberingChange.Action,
    prefix: DocumentPrefix,
    *,
    year: int | None = None,
    before: dict | None = None,
    after: dict | None = None,
    reason: str = "",
) -> NumberingChange:
    return NumberingChange.objects.create(
        actor=user if user is not None and user.pk else None,
        action=action,
        unit_id=prefix.unit_id,
        prefix=prefix,
        year=year,
        before=before or {},
        after=after or {},
        reason=reason,
    )


def _prefix_state(prefix: DocumentPrefix) -> dict:
    state = {
        "text": prefix.text,
        "is_active": prefix.is_active,
        "order": prefix.order,
        "is_order": prefix.is_order,
    }
    if prefix.purpose == DocumentPrefix.Purpose.INCOMING:
        state["number_format"] = prefix.number_format
    return state


def _valid_prefix_text(text: str) -> str:
    text = (text or "").strip()
    if not text:
        raise NumberingError(_("Enter the prefix, e.g. 一拖."))
    if len(text) > 20:
        raise NumberingError(_("The prefix is too long (at most 20 characters)."))
    if any(character.isspace() or character.isdigit() for character in text) or (
        FORBIDDEN_PREFIX_CHARACTERS & set(text)
    ):
        raise NumberingError(
            _("The prefix is the 代字 only, without spaces, digits or brackets, e.g. 一拖.")
        )
    return text


def _valid_order(order: int) -> int:
    if not isinstance(order, int) or order < 0:
        raise NumberingError(_("The order must be a whole number of at least 0."))
    return order


def _valid_year(year: int) -> int:
    if not isinstance(year, int) or not 1 <= year <= MAX_YEAR:
        raise NumberingError(_("The year must be a full year such as 2026."))
    return year


def _require(allowed: bool) -> None:
    if not allowed:
        raise PermissionDenied(_("You are not allowed to do this."))

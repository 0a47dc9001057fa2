"""Read paths over numbering: the number register, counters and the change log of a unit."""

from django.db.models import QuerySet

from people.models import OrgUnit

from .models import DocumentPrefix, IssuedNumber, NumberCounter, NumberingChange


def unit_prefixes(unit: OrgUnit) -> QuerySet[DocumentPrefix]:
    """All prefixes of the unit, retired ones included, in their order."""
    return DocumentPrefix.objects.filter(unit=unit).order_by("-is_active", "order", "text")


def unit_counters(unit: OrgUnit, year: int) -> dict[int, int]:
    """The next serial of each of the unit's prefixes in `year`, by prefix id (1 if unused)."""
    return dict(
        NumberCounter.objects.filter(prefix__unit=unit, year=year).values_list(
            "prefix_id", "next_serial"
        )
    )


def register(unit: OrgUnit, year: int, prefix: DocumentPrefix | None = None):
    """The number register (发文字号登记): every number the unit issued in `year`, voided ones
    included, newest first."""
    numbers = IssuedNumber.objects.filter(prefix__unit=unit, year=year).select_related(
        "prefix", "issued_by", "voided_by"
    )
    if prefix is not None:
        numbers = numbers.filter(prefix=prefix)
    return numbers.order_by("prefix__order", "prefix__text", "-serial")


def register_years(unit: OrgUnit, current: int) -> list[int]:
    """The years the unit issued numbers in, and the current year, newest first."""
    years = set(
        IssuedNumber.objects.filter(prefix__unit=unit).values_list("year", flat=True).distinct()
    )
    return sorted(years | {current}, reverse=True)


def recent_changes(unit: OrgUnit, *, limit: int = 20) -> list[NumberingChange]:
    return list(
        NumberingChange.objects.filter(unit=unit)
        .select_related("actor", "prefix")
        .order_by("-created_at", "-pk")[:limit]
    )

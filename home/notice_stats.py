"""Who a notice reaches and who has read it: the read path behind the issuer's statistics.

Every function here runs a fixed number of queries whatever the audience's size: the audience is
one filtered user query, and whether someone has read the notice is a subquery on the receipts.
"""

from dataclasses import dataclass

from django.db.models import Count, Exists, OuterRef, Q, QuerySet, Subquery

from people.models import ConcurrentPost, User

from .models import NoticePage, NoticeReadReceipt


def notice_audience(notice: NoticePage) -> QuerySet[User]:
    """The active users the notice is addressed to, by the same rule as `visible_notices`:
    a primary department or a concurrent post at or below one of the audience nodes."""
    users = User.objects.filter(is_active=True)
    if notice.audience == NoticePage.Audience.EVERYONE:
        return users
    paths = list(notice.audience_units.values_list("path", flat=True))
    if not paths:
        return users.none()
    # Both a user's department and a concurrent post's department are reached the same way.
    reached_department = Q()
    for path in paths:
        reached_department |= Q(department__path__startswith=path)
    posted_here = ConcurrentPost.objects.filter(reached_department).values("user_id")
    return users.filter(department__isnull=False).filter(reached_department | Q(pk__in=posted_here))


def _receipts(notice: NoticePage) -> QuerySet[NoticeReadReceipt]:
    return NoticeReadReceipt.objects.filter(notice=notice, user=OuterRef("pk"))


@dataclass(frozen=True)
class UnitReading:
    """How far a notice has been read inside one unit (the unit of each reader's department)."""

    unit_id: int | None
    unit_name: str
    audience: int
    read: int

    @property
    def unread(self) -> int:
        return self.audience - self.read

    @property
    def percent(self) -> int:
        return round(100 * self.read / self.audience) if self.audience else 0


@dataclass(frozen=True)
class NoticeReading:
    units: list[UnitReading]

    @property
    def audience(self) -> int:
        return sum(unit.audience for unit in self.units)

    @property
    def read(self) -> int:
        return sum(unit.read for unit in self.units)

    @property
    def unread(self) -> int:
        return self.audience - self.read

    @property
    def percent(self) -> int:
        return round(100 * self.read / self.audience) if self.audience else 0


def notice_reading(notice: NoticePage) -> NoticeReading:
    """Audience, read and unread counts per unit, in the organization tree's order (one query)."""
    rows = (
        notice_audience(notice)
        .values("department__unit", "department__unit__name", "department__unit__path")
        .annotate(audience=Count("pk"), read=Count("pk", filter=Q(Exists(_receipts(notice)))))
        .order_by("department__unit__path")
    )
    return NoticeReading(
        units=[
            UnitReading(
                unit_id=row["department__unit"],
                unit_name=row["department__unit__name"] or "",
                audience=row["audience"],
                read=row["read"],
            )
            for row in rows
        ]
    )


def _in_org_order(users: QuerySet[User]) -> QuerySet[User]:
    return users.select_related("department__unit").order_by(
        "department__unit__path", "department__path", "name_initials", "name", "pk"
    )


def notice_unread_users(notice: NoticePage, *, unit_id: int | None = None) -> QuerySet[User]:
    """Who in the audience has not opened the notice yet, optionally inside one unit."""
    users = notice_audience(notice).filter(~Exists(_receipts(notice)))
    if unit_id is not None:
        users = users.filter(department__unit_id=unit_id)
    return _in_org_order(users)


def notice_audience_with_read_times(notice: NoticePage) -> QuerySet[User]:
    """Everyone in the audience, each annotated with `read_at` (None when not read yet)."""
    first_read = _receipts(notice).values("read_at")[:1]
    return _in_org_order(notice_audience(notice).annotate(read_at=Subquery(first_read)))

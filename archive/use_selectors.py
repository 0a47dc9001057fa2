"""Reads of the archive's use: requests, the access log, the retention review and destruction,
each bounded to what the user may see and to a fixed number of queries."""

from datetime import date, datetime, time, timedelta

from django.db.models import BooleanField, Case, Exists, OuterRef, Q, Subquery, Value, When
from django.db.models.functions import Coalesce, Now
from django.utils import timezone

from people.models import User

from . import permissions
from .models import (
    AccessLogEntry,
    AccessRequest,
    ArchiveItem,
    DestructionRecord,
    DestructionRequest,
    FondsSettings,
    Retention,
    RetentionExtension,
)

RETENTION_YEARS = {Retention.TEN_YEARS: 10, Retention.THIRTY_YEARS: 30}
LOG_PAGE = 200


def with_expiry(requests):
    """Marks approvals whose time has passed: they stay approved but open nothing."""
    return requests.annotate(
        expired=Case(
            When(state=AccessRequest.State.APPROVED, expires_at__lte=Now(), then=Value(True)),
            default=Value(False),
            output_field=BooleanField(),
        )
    )


def requests_of(user: User, item: ArchiveItem | None = None):
    requests = AccessRequest.objects.filter(requester=user).select_related("item", "decided_by")
    if item is not None:
        requests = requests.filter(item=item)
    return with_expiry(requests)


def requests_to_decide(user: User):
    """The requests of the user's units' items: pending first, then the approved borrowings."""
    units = permissions.archivist_unit_ids(user)
    requests = AccessRequest.objects.filter(item__fonds__unit_id__in=units).select_related(
        "item", "requester", "decided_by"
    )
    pending = requests.filter(state=AccessRequest.State.PENDING).order_by("requested_at")
    borrowed = with_expiry(
        requests.filter(kind=AccessRequest.Kind.BORROW, state=AccessRequest.State.APPROVED)
    ).order_by("expires_at")
    return pending, borrowed


def access_log(
    user: User,
    *,
    archive_code: str = "",
    person: str = "",
    since: date | None = None,
    until: date | None = None,
):
    """The access log (利用登记) of the user's units' items, newest first, filtered by the item's
    archive code, the person's name or username and the dates (inclusive)."""
    entries = AccessLogEntry.objects.filter(
        item__fonds__unit_id__in=permissions.archivist_unit_ids(user)
    ).select_related("item", "user", "file", "request")
    if archive_code:
        entries = entries.filter(item__archive_code__icontains=archive_code)
    if person:
        entries = entries.filter(Q(user__name__icontains=person) | Q(user__username=person))
    if since:
        entries = entries.filter(at__gte=timezone.make_aware(datetime.combine(since, time.min)))
    if until:
        end = timezone.make_aware(datetime.combine(until + timedelta(days=1), time.min))
        entries = entries.filter(at__lt=end)
    return entries.order_by("-at")[:LOG_PAGE]


def _latest_extension():
    return Subquery(
        RetentionExtension.objects.filter(item=OuterRef("pk"))
        .order_by("-at")
        .values("retention")[:1]
    )


def with_effective_retention(items):
    return items.annotate(current_retention=Coalesce(_latest_extension(), "retention"))


def effective_retention(item: ArchiveItem) -> str:
    latest = item.retention_extensions.order_by("-at").values_list("retention", flat=True).first()
    return latest or item.retention


def items_due_for_review(fonds: FondsSettings, review_year: int):
    """The unit's filed items whose retention (as last extended) has ended by `review_year`
    (year + 10 or 30 ≤ the review year; permanent never) and that no open proposal holds."""
    proposed = DestructionRequest.objects.filter(
        items=OuterRef("pk"), state=DestructionRequest.State.PROPOSED
    )
    ended = Q()
    for retention, years in RETENTION_YEARS.items():
        ended |= Q(current_retention=retention, year__lte=review_year - years)
    return (
        with_effective_retention(
            ArchiveItem.objects.filter(fonds=fonds, state=ArchiveItem.State.FILED)
        )
        .filter(ended)
        .exclude(Exists(proposed))
        .order_by("year", "retention", "class_code", "item_number")
    )


def destructions_for(user: User):
    return (
        DestructionRequest.objects.filter(fonds__unit_id__in=permissions.destruction_unit_ids(user))
        .select_related("fonds__unit", "proposed_by")
        .prefetch_related("items", "approvals__user")
        .order_by("-proposed_at")
    )


def destruction_register(fonds: FondsSettings):
    return DestructionRecord.objects.filter(fonds_code=fonds.fonds_code).order_by(
        "destroyed_at", "archive_code"
    )

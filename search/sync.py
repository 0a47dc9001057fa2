"""Draining the outbox: build the entries of queued changes and send them to the indexes in bulk.

The database table is always written (it is the index without Elasticsearch, and the fallback
with it). Elasticsearch gets the same batch through the bulk API; when it cannot be reached, the
rows stay queued with an exponential backoff and the error is kept for the status screen. Nothing
is lost: a row is marked done only after every index accepted its entry.
"""

import logging
from dataclasses import dataclass, field, replace
from datetime import datetime, timedelta

from django.conf import settings
from django.db import transaction
from django.db.models import Q
from django.utils import timezone

from . import registry
from .backends import database
from .highlight import strip_markers
from .models import OutboxEntry, SyncState

logger = logging.getLogger(__name__)


def batch_size() -> int:
    return getattr(settings, "SEARCH_OUTBOX_BATCH_SIZE", 500)


def backoff(attempts: int) -> timedelta:
    base = getattr(settings, "SEARCH_RETRY_BASE_SECONDS", 10)
    ceiling = getattr(settings, "SEARCH_RETRY_MAX_SECONDS", 3600)
    return timedelta(seconds=min(ceiling, base * 2 ** max(attempts - 1, 0)))


@dataclass
class DrainReport:
    sent: int = 0
    failed: int = 0
    retry_at: datetime | None = None
    errors: list[str] = field(default_factory=list)

    def as_dict(self) -> dict:
        return {
            "sent": self.sent,
            "failed": self.failed,
            "retry_at": self.retry_at.isoformat() if self.retry_at else None,
        }


def due_rows():
    now = timezone.now()
    return OutboxEntry.objects.filter(done_at__isnull=True).filter(
        Q(next_attempt_at__isnull=True) | Q(next_attempt_at__lte=now)
    )


def pending_count() -> int:
    return OutboxEntry.objects.filter(done_at__isnull=True).count()


def drain(max_batches: int | None = None) -> DrainReport:
    """Send due outbox rows batch by batch until none is due (or `max_batches` were sent)."""
    report = DrainReport()
    batches = 0
    while max_batches is None or batches < max_batches:
        batches += 1
        if not _drain_batch(report):
            break
    _purge_done_rows()
    return report


def _drain_batch(report: DrainReport) -> bool:
    """One batch in one transaction; False when there was nothing due or the index failed."""
    with transaction.atomic():
        rows = list(due_rows().select_for_update(skip_locked=True).order_by("id")[: batch_size()])
        if not rows:
            return False
        latest: dict[tuple[str, str], OutboxEntry] = {}
        for row in rows:
            latest[(row.kind, row.key)] = row
        entries, removals, broken = _build(latest)
        database.write(entries, removals)
        failures: dict[tuple[str, str], str] = dict(broken)
        unreachable = None
        if elasticsearch_enabled():
            from .backends import elasticsearch

            paused_until = elasticsearch.unreachable_until()
            if paused_until:
                _wait_for_elasticsearch(rows, paused_until, report)
                return False
            try:
                failures.update(elasticsearch.write(entries, removals))
            except elasticsearch.IndexUnavailable as error:
                unreachable = str(error)
        now = timezone.now()
        if unreachable:
            _postpone(rows, unreachable, now, report)
            _record_error(unreachable, now)
            return False
        done, failed = [], []
        for row in rows:
            (failed if (row.kind, row.key) in failures else done).append(row)
        OutboxEntry.objects.filter(pk__in=[row.pk for row in done]).update(
            done_at=now, last_error=""
        )
        if failed:
            for row in failed:
                _postpone([row], failures[(row.kind, row.key)], now, report)
            _record_error(next(iter(failures.values())), now)
        report.sent += len(done)
        if done:
            SyncState.objects.update_or_create(name="index", defaults={"last_success_at": now})
    return True


def _build(latest: dict[tuple[str, str], OutboxEntry]):
    entries, removals, broken = [], [], {}
    for (kind, key), row in latest.items():
        provider = registry.provider_for(kind)
        if row.op == OutboxEntry.Operation.REMOVE or provider is None:
            removals.append((kind, key))
            continue
        try:
            entry = provider.entry_for(key)
        except Exception as error:  # one broken object must not hold back the batch
            logger.exception("Building the search entry %s:%s failed", kind, key)
            broken[(kind, key)] = f"{type(error).__name__}: {error}"
            continue
        if entry is None:
            removals.append((kind, key))
        else:
            entries.append(clean_entry(entry))
    return entries, removals, broken


def clean_entry(entry: registry.SearchEntry) -> registry.SearchEntry:
    """Strip the private-use characters the Elasticsearch highlighter uses as markers."""
    return replace(entry, title=strip_markers(entry.title), body=strip_markers(entry.body))


def _postpone(rows, error: str, now, report: DrainReport) -> None:
    for row in rows:
        row.attempts += 1
        row.next_attempt_at = now + backoff(row.attempts)
        row.last_error = error[:2000]
        report.failed += 1
        if report.retry_at is None or row.next_attempt_at < report.retry_at:
            report.retry_at = row.next_attempt_at
    OutboxEntry.objects.bulk_update(rows, ["attempts", "next_attempt_at", "last_error"])
    report.errors.append(error)


def _wait_for_elasticsearch(rows, until: datetime, report: DrainReport) -> None:
    """Elasticsearch failed moments ago: the rows wait for the end of that pause untried, so a
    drain running inside a request (immediate task backend) does not wait through the timeout."""
    OutboxEntry.objects.filter(pk__in=[row.pk for row in rows]).update(next_attempt_at=until)
    report.failed += len(rows)
    if report.retry_at is None or until < report.retry_at:
        report.retry_at = until


def _record_error(error: str, now) -> None:
    SyncState.objects.update_or_create(
        name="index", defaults={"last_error": error[:2000], "last_error_at": now}
    )


def _purge_done_rows() -> None:
    days = getattr(settings, "SEARCH_OUTBOX_RETENTION_DAYS", 7)
    OutboxEntry.objects.filter(done_at__lt=timezone.now() - timedelta(days=days)).delete()


def elasticsearch_enabled() -> bool:
    return bool(getattr(settings, "ELASTICSEARCH_URL", None))

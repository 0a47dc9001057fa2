"""Circulation (传阅), one mechanism for incoming and dispatched outgoing documents: chosen
readers read in parallel and each signs 已阅 with the time and a remark; whoever sent a round
sees each receipt and reminds those who have not read, at most once an hour each."""

from datetime import timedelta

from django.conf import settings
from django.db import transaction
from django.utils import timezone, translation
from django.utils.translation import gettext as _

from notifications.services import notifications_settle, notify
from people.models import User

from .. import permissions, selectors, trace
from ..models import Circulation, CirculationReader, Document, TraceEntry
from .documents import enqueue_search
from .errors import DocumentError, require

CIRCULATION_STEP = "circulate"
# Notification kinds, registered in workflow.notifications.
TO_READ = "workflow.circulation"
READ_REMINDER = "workflow.circulation_reminder"
REMINDER_INTERVAL = timedelta(hours=1)


@transaction.atomic
def circulate(document: Document, *, readers, by: User, note: str = "") -> Circulation:
    """Send `document` round `readers` (people who are already reading it are not asked twice).

    Raises PermissionDenied unless `by` may send it round; DocumentError for a reader outside
    the document's unit, no reader, or a note too long."""
    require(permissions.can_circulate(by, document))
    note = (note or "").strip()
    if len(note) > 300:
        raise DocumentError({"note": _("The note is too long (at most 300 characters).")})
    readers = list(dict.fromkeys(readers))
    if not readers:
        raise DocumentError({"readers": _("Choose at least one reader.")})
    candidates = set(
        permissions.circulation_reader_candidates(document).values_list("pk", flat=True)
    )
    if any(reader.pk not in candidates for reader in readers):
        raise DocumentError({"readers": _("Readers are chosen among the unit's staff.")})
    unread = set(
        CirculationReader.objects.filter(
            circulation__document=document, read_at__isnull=True
        ).values_list("reader_id", flat=True)
    )
    readers = [reader for reader in readers if reader.pk not in unread]
    if not readers:
        raise DocumentError({"readers": _("Everyone chosen is already reading it.")})
    circulation = Circulation.objects.create(document=document, started_by=by, note=note)
    receipts = CirculationReader.objects.bulk_create(
        CirculationReader(circulation=circulation, reader=reader) for reader in readers
    )
    trace.append(
        document,
        step=CIRCULATION_STEP,
        action=TraceEntry.Action.CIRCULATE,
        actor=by,
        opinion=note,
        next_users=readers,
    )
    # The readers may now find it in the search.
    enqueue_search(document)
    url = selectors.document_url(document)
    with translation.override(settings.LANGUAGE_CODE):
        for receipt in receipts:
            notify(
                receipt.reader_id,
                kind=TO_READ,
                title=_("To read: %(title)s") % {"title": document.title},
                body=note,
                url=url,
                source=receipt,
            )
    return circulation


@transaction.atomic
def circulation_read(receipt: CirculationReader, *, user: User, remark: str = "") -> None:
    """The reader signs 已阅; signing twice is refused and changes nothing."""
    receipt = CirculationReader.objects.select_for_update().get(pk=receipt.pk)
    require(receipt.reader_id == user.pk)
    if receipt.read_at is not None:
        raise DocumentError({"__all__": _("You have already signed this as read.")})
    remark = (remark or "").strip()
    if len(remark) > 300:
        raise DocumentError({"remark": _("The remark is too long (at most 300 characters).")})
    receipt.read_at = timezone.now()
    receipt.remark = remark
    receipt.save(update_fields=["read_at", "remark"])
    trace.append(
        receipt.circulation.document,
        step=CIRCULATION_STEP,
        action=TraceEntry.Action.READ,
        actor=user,
        opinion=remark,
    )
    notifications_settle(receipt)


@transaction.atomic
def circulation_remind(circulation: Circulation, *, by: User) -> int:
    """Remind the readers of a round who have not read it, skipping anyone reminded within the
    last hour; traced once (REMIND, naming them). Returns how many were reminded."""
    require(permissions.can_remind_readers(by, circulation))
    now = timezone.now()
    unread = list(
        CirculationReader.objects.select_for_update()
        .filter(circulation=circulation, read_at__isnull=True)
        .select_related("reader")
        .order_by("pk")
    )
    if not unread:
        raise DocumentError({"__all__": _("Everyone has read it; there is nobody to remind.")})
    due = [r for r in unread if r.reminded_at is None or now - r.reminded_at >= REMINDER_INTERVAL]
    if not due:
        raise DocumentError(
            {"__all__": _("Those who have not read it were reminded less than an hour ago.")}
        )
    CirculationReader.objects.filter(pk__in=[r.pk for r in due]).update(reminded_at=now)
    document = circulation.document
    entry = trace.append(
        document,
        step=CIRCULATION_STEP,
        action=TraceEntry.Action.REMIND,
        actor=by,
        next_users=[receipt.reader for receipt in due],
    )
    with translation.override(settings.LANGUAGE_CODE):
        notify(
            [receipt.reader_id for receipt in due],
            kind=READ_REMINDER,
            title=_("Reminder, please read: %(title)s") % {"title": document.title},
            url=selectors.document_url(document),
            source=entry,
        )
    return len(due)

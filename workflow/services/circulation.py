"""Circulation (传阅), one mechanism for incoming and dispatched outgoing documents: chosen
readers read in parallel and each signs 已阅 with the time and a remark. Callers check who may
send a document round; a receipt is signed only by its own reader."""

from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from people.models import User

from .. import trace
from ..models import Circulation, CirculationReader, Document, TraceEntry
from .documents import enqueue_search
from .errors import DocumentError, require

CIRCULATION_STEP = "circulate"


@transaction.atomic
def circulate(document: Document, *, readers, by: User, note: str = "") -> Circulation:
    """Send `document` round `readers` (people who are already reading it are not asked twice)."""
    note = (note or "").strip()
    if len(note) > 300:
        raise DocumentError({"note": _("The note is too long (at most 300 characters).")})
    readers = list(dict.fromkeys(readers))
    if not readers:
        raise DocumentError({"readers": _("Choose at least one reader.")})
    unread = set(
        CirculationReader.objects.filter(
            circulation__document=document, read_at__isnull=True
        ).values_list("reader_id", flat=True)
    )
    readers = [reader for reader in readers if reader.pk not in unread]
    if not readers:
        raise DocumentError({"readers": _("Everyone chosen is already reading it.")})
    circulation = Circulation.objects.create(document=document, started_by=by, note=note)
    CirculationReader.objects.bulk_create(
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

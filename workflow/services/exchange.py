"""The electronic exchange between units (gongwen.md §7): dispatch puts the document into each
recipient unit's 待签收 list as a `Delivery`; that unit's clerk signs for it (签收: the unit's
incoming document, linked to the sender's, with the PDF and attachments as sent) or refuses it
(退文) with a reason; the sender's clerk sends a refused delivery again, and closes the
outgoing document (办结), which also closes itself once every recipient unit has signed for it.

Locks are taken in one order, the delivery before the sender's document, so a sign-for and a
resend never wait on each other crosswise; the sender's document row is locked before its trace
is appended, because several units may sign for one document at the same moment.
"""

from django.core.files.base import ContentFile
from django.db import transaction
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext as _

from intranet.transaction_files import TransactionFiles, atomic_with_files
from people.models import OrgUnit, Role, User

from .. import permissions, trace
from ..models import (
    Delivery,
    DocumentAttachment,
    DocumentRecipient,
    IncomingDocument,
    OutgoingDocument,
    TraceEntry,
)
from ..steps import PROCESS_STEP
from .documents import enqueue_search
from .errors import DocumentError, require
from .incoming import REGISTER_STEP, incoming_register, on_refusal

Action = TraceEntry.Action
EXCHANGE_STEP = "dispatch"
MAX_REASON_CHARS = 300
INBOX_PANEL = "deliveries"


class DeliveryAlreadyHandled(DocumentError):
    """Another clerk signed for or refused the delivery first; nothing was changed."""

    def __init__(self, delivery: Delivery):
        if delivery.status == Delivery.Status.SIGNED_FOR:
            message = _(
                "%(name)s already signed for this document at %(time)s; nothing was changed."
            ) % {
                "name": delivery.signed_by.get_full_name(),
                "time": timezone.localtime(delivery.signed_at).strftime("%Y-%m-%d %H:%M"),
            }
        else:
            message = _(
                "%(name)s already refused this document at %(time)s; nothing was changed."
            ) % {
                "name": delivery.refused_by.get_full_name(),
                "time": timezone.localtime(delivery.refused_at).strftime("%Y-%m-%d %H:%M"),
            }
        super().__init__(message)


def recipient_units(document: OutgoingDocument) -> list[OrgUnit]:
    """The units that receive the document electronically: each unit of the organisation tree
    among its recipients (a department stands for its unit), once, without the sender's own
    unit, whose departments it reaches internally. Typed-in names receive it on paper."""
    units: dict[int, OrgUnit] = {}
    for recipient in document.recipients.select_related("org_unit__unit"):
        if recipient.org_unit_id is None:
            continue
        unit = recipient.org_unit if recipient.org_unit.is_unit_level else recipient.org_unit.unit
        if unit is not None and unit.pk != document.unit_id:
            units.setdefault(unit.pk, unit)
    return list(units.values())


def deliveries_create(document: OutgoingDocument, *, files: TransactionFiles, now) -> list:
    """The deliveries of a dispatch, inside the dispatch step's transaction: one stored copy of
    the PDF as sent, shared by every delivery of this dispatch."""
    units = recipient_units(document)
    if not units:
        return []
    deliveries = [
        Delivery(
            document=document,
            recipient_unit=unit,
            pdf_sha256=document.final_pdf_sha256,
            sent_at=now,
        )
        for unit in units
    ]
    with document.final_pdf.open("rb") as source:
        content = ContentFile(source.read())
    files.save(deliveries[0].pdf, f"{document.pk}.pdf", content)
    for delivery in deliveries[1:]:
        delivery.pdf.name = deliveries[0].pdf.name
    Delivery.objects.bulk_create(deliveries)
    _inbox_changed()
    return deliveries


def _locked_delivery(delivery: Delivery) -> Delivery:
    """The delivery's row, locked and read afresh. Nothing is joined: after waiting for a
    lock, PostgreSQL re-reads the locked row but not the joined ones, so a clerk who signed
    for it meanwhile would show as nobody."""
    return Delivery.objects.select_for_update().get(pk=delivery.pk)


def _locked_sender(delivery: Delivery) -> OutgoingDocument:
    return OutgoingDocument.objects.select_for_update().get(pk=delivery.document_id)


def delivery_sign_for(*, delivery: Delivery, user: User) -> IncomingDocument:
    """The recipient unit's clerk signs for the document (签收): the unit's incoming document is
    registered with the next incoming number, linked to the sender's, with the PDF and the
    attachments as sent. The second of two clerks gets `DeliveryAlreadyHandled`."""
    from ..seal.verification import verify

    require(permissions.can_receive_delivery(user, delivery))
    # The PDF as sent never changes: read and verified before any lock is taken.
    with delivery.pdf.open("rb") as source:
        pdf = source.read()
    seal = verify(pdf)
    with atomic_with_files() as files:
        delivery = _locked_delivery(delivery)
        if delivery.status != Delivery.Status.SENT:
            raise DeliveryAlreadyHandled(delivery)
        sender = _locked_sender(delivery)
        incoming = incoming_register(
            user=user,
            unit=delivery.recipient_unit,
            title=sender.title,
            received_on=timezone.localdate(),
            sender_unit=sender.unit,
            sender_number=sender.number_text,
            urgency=sender.urgency,
            classification=sender.classification,
            source_document=sender,
        )
        files.save(incoming.scan, f"{incoming.pk}.pdf", ContentFile(pdf))
        incoming.save(update_fields=["scan", "updated_at"])
        _copy_attachments(sender, incoming, user, files)

        now = timezone.now()
        delivery.status = Delivery.Status.SIGNED_FOR
        delivery.signed_by = user
        delivery.signed_at = now
        delivery.incoming_document = incoming
        delivery.save(update_fields=["status", "signed_by", "signed_at", "incoming_document"])
        _recipients_of(delivery).update(
            status=DocumentRecipient.DispatchStatus.RECEIVED, received_at=now
        )
        trace.append(
            sender,
            step=EXCHANGE_STEP,
            action=Action.SIGN_FOR,
            actor=user,
            role=Role.FILE_CLERK,
            extra={"unit": delivery.recipient_unit.name, "incoming_number": incoming.number_text},
        )
        trace.append(
            incoming,
            step=REGISTER_STEP,
            action=Action.SIGN_FOR,
            actor=user,
            role=Role.FILE_CLERK,
            extra={
                "sender_number": sender.number_text,
                "sha256": delivery.pdf_sha256,
                "seal": seal.verdict,
                "seal_signer": seal.signer,
            },
        )
        if sender.status == OutgoingDocument.Status.DISPATCHED and _all_signed_for(sender):
            _close(sender, user=None, opinion=_("Every recipient unit has signed for it."))
        _inbox_changed()
        return incoming


def _recipients_of(delivery: Delivery):
    """The document's recipients the delivery stands for: the unit and its departments."""
    unit_id = delivery.recipient_unit_id
    return DocumentRecipient.objects.filter(document_id=delivery.document_id).filter(
        Q(org_unit_id=unit_id) | Q(org_unit__unit_id=unit_id)
    )


def _copy_attachments(sender, incoming, user: User, files: TransactionFiles) -> None:
    for attachment in sender.attachments.all():
        copy = DocumentAttachment(
            document=incoming,
            name=attachment.name,
            is_paper_only=attachment.is_paper_only,
            size=attachment.size,
            content_type=attachment.content_type,
            order=attachment.order,
            uploaded_by=user,
        )
        if not attachment.is_paper_only:
            with attachment.file.open("rb") as source:
                content = ContentFile(source.read())
            files.save(copy.file, attachment.file.name.rsplit("/", 1)[-1], content)
        copy.save()


def _all_signed_for(document: OutgoingDocument) -> bool:
    """Every unit the document went to has signed for it: none waits, and each refusal was
    followed by a resend that was signed for."""
    deliveries = list(document.deliveries.values_list("recipient_unit_id", "status"))
    signed = {unit for unit, status in deliveries if status == Delivery.Status.SIGNED_FOR}
    return bool(deliveries) and all(unit in signed for unit, _status in deliveries)


def delivery_refuse(*, delivery: Delivery, user: User, reason: str) -> Delivery:
    """The recipient unit's clerk returns the document to the sender (退文) with a reason."""
    reason = (reason or "").strip()
    if not reason:
        raise DocumentError({"reason": _("Give the reason for returning the document.")})
    if len(reason) > MAX_REASON_CHARS:
        raise DocumentError({"reason": _("The reason is too long (at most 300 characters).")})
    with transaction.atomic():
        delivery = _locked_delivery(delivery)
        require(permissions.can_receive_delivery(user, delivery))
        if delivery.status != Delivery.Status.SENT:
            raise DeliveryAlreadyHandled(delivery)
        _mark_refused(delivery, user=user, reason=reason)
        return delivery


@on_refusal
def _return_to_sender(document: IncomingDocument, user: User, reason: str) -> None:
    """An exchanged document the unit refuses at its initial review (初审) goes back to the
    sender as a refusal (退文) of its delivery, so the sender sees it and may send it again."""
    delivery = (
        Delivery.objects.select_for_update()
        .filter(incoming_document=document, status=Delivery.Status.SIGNED_FOR)
        .first()
    )
    if delivery is None:
        return
    sender = _mark_refused(delivery, user=user, reason=reason)
    last_close = sender.trace_entries.filter(action=Action.CLOSE).order_by("-pk").first()
    if sender.status == OutgoingDocument.Status.CLOSED and last_close.actor_id is None:
        # It had closed itself when every unit signed for it; one has now returned it.
        sender.status = OutgoingDocument.Status.DISPATCHED
        sender.closed_at = None
        sender.save(update_fields=["status", "closed_at", "updated_at"])
        enqueue_search(sender)


def _mark_refused(delivery: Delivery, *, user: User, reason: str) -> OutgoingDocument:
    sender = _locked_sender(delivery)
    delivery.status = Delivery.Status.REFUSED
    delivery.refused_by = user
    delivery.refused_at = timezone.now()
    delivery.refusal_reason = reason
    delivery.save(update_fields=["status", "refused_by", "refused_at", "refusal_reason"])
    trace.append(
        sender,
        step=EXCHANGE_STEP,
        action=Action.REFUSE,
        actor=user,
        role=Role.FILE_CLERK,
        opinion=reason,
        extra={"unit": delivery.recipient_unit.name},
    )
    _inbox_changed()
    return sender


def delivery_resend(*, delivery: Delivery, user: User) -> Delivery:
    """The sender's clerk sends a refused document again to that unit (traced RESEND): a new
    delivery of the PDF as first sent, while the document is not closed."""
    with transaction.atomic():
        delivery = _locked_delivery(delivery)
        sender = _locked_sender(delivery)
        require(permissions.can_manage_dispatch(user, sender))
        if delivery.status != Delivery.Status.REFUSED:
            raise DocumentError(_("Only a refused document can be sent again."))
        live = Delivery.objects.filter(
            document=sender, recipient_unit=delivery.recipient_unit
        ).exclude(status=Delivery.Status.REFUSED)
        if live.exists():
            raise DocumentError(
                _("It has already been sent again to this unit; nothing was changed.")
            )
        if sender.status != OutgoingDocument.Status.DISPATCHED:
            raise DocumentError(_("The document is closed; it cannot be sent again."))
        resent = Delivery.objects.create(
            document=sender,
            recipient_unit=delivery.recipient_unit,
            pdf=delivery.pdf.name,
            pdf_sha256=delivery.pdf_sha256,
            sent_at=timezone.now(),
        )
        trace.append(
            sender,
            step=EXCHANGE_STEP,
            action=Action.RESEND,
            actor=user,
            role=Role.FILE_CLERK,
            extra={"unit": delivery.recipient_unit.name},
        )
        _inbox_changed()
        return resent


def outgoing_close(*, document: OutgoingDocument, user: User, opinion: str = "") -> None:
    """The clerk closes a dispatched document (办结); it is then ready for archiving."""
    opinion = (opinion or "").strip()
    if len(opinion) > MAX_REASON_CHARS:
        raise DocumentError({"opinion": _("The remark is too long (at most 300 characters).")})
    with transaction.atomic():
        document = OutgoingDocument.objects.select_for_update().get(pk=document.pk)
        require(permissions.can_manage_dispatch(user, document))
        if document.status != OutgoingDocument.Status.DISPATCHED:
            raise DocumentError(_("Only a dispatched document can be closed; nothing was changed."))
        _close(document, user=user, opinion=opinion)


def _close(document: OutgoingDocument, *, user: User | None, opinion: str) -> None:
    document.status = OutgoingDocument.Status.CLOSED
    document.closed_at = timezone.now()
    document.save(update_fields=["status", "closed_at", "updated_at"])
    trace.append(
        document,
        step=PROCESS_STEP,
        action=Action.CLOSE,
        actor=user,
        role=Role.FILE_CLERK if user else "",
        opinion=opinion,
    )
    enqueue_search(document)


def _inbox_changed() -> None:
    from intranet.portal import panel_changed

    panel_changed(INBOX_PANEL)

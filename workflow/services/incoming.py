"""The incoming document (收文): registration by the receiving unit's document clerk, with the
unit's own incoming number (gongwen.md §6, §8)."""

from datetime import date, datetime

from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from people.models import OrgUnit, Role, User

from .. import permissions, trace
from ..models import Classification, Document, IncomingDocument, TraceEntry, Urgency
from .documents import validated_fields
from .errors import DocumentError, require

REGISTER_STEP = "register"


@transaction.atomic
def incoming_register(
    *,
    user: User,
    unit: OrgUnit,
    title: str,
    received_on: date,
    sender_unit: OrgUnit | None = None,
    sender_name: str = "",
    sender_number: str = "",
    urgency: str = Urgency.NORMAL,
    classification: str = Classification.NON_SECRET,
    copies: int = 1,
    source_document: Document | None = None,
) -> IncomingDocument:
    """Register a paper document `unit` received (收文登记) and give it the unit's next
    incoming number, in one transaction: if anything is refused, neither the document nor a
    number exists. 来文单位 is a unit of the organisation tree or a name typed in, not both.
    A document signed for from the electronic exchange names the sender's `source_document`.

    Raises PermissionDenied unless `user` is the unit's document clerk; DocumentError (with
    the field named) for a classified document or any other bad element.
    """
    from ..numbering.services import assign_incoming_number

    require(permissions.can_register_incoming(user, unit))
    values = validated_fields(
        {"title": title, "classification": classification, "urgency": urgency, "copies": copies}
    )
    sender_name = (sender_name or "").strip()
    if (sender_unit is None) == (not sender_name):
        raise DocumentError(
            {"sender_name": _("Choose the sending unit or type its name, not both.")}
        )
    if len(sender_name) > 100:
        raise DocumentError(
            {"sender_name": _("The sender's name is too long (at most 100 characters).")}
        )
    sender_number = (sender_number or "").strip()
    if len(sender_number) > 60:
        raise DocumentError(
            {"sender_number": _("The sender's number is too long (at most 60 characters).")}
        )
    if not isinstance(received_on, date) or isinstance(received_on, datetime):
        raise DocumentError({"received_on": _("Enter the date the document was received.")})
    if received_on > timezone.localdate():
        raise DocumentError({"received_on": _("The date received cannot be in the future.")})

    document = IncomingDocument.objects.create(
        unit=unit,
        sender_unit=sender_unit,
        sender_name=sender_name,
        sender_number=sender_number,
        received_on=received_on,
        registered_by=user,
        source_document=source_document,
        **values,
    )
    # Taken last, so the unit's counter row stays locked for as short a time as possible.
    issued = assign_incoming_number(unit=unit, user=user, subject=document.title)
    document.number = issued
    document.number_text = issued.text
    document.save(update_fields=["number", "number_text", "updated_at"])
    trace.append(
        document,
        step=REGISTER_STEP,
        action=TraceEntry.Action.REGISTER,
        actor=user,
        role=Role.FILE_CLERK,
        extra={"number": issued.text},
    )
    return document

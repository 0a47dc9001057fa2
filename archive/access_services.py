"""Reading and borrowing filed items (查阅/借阅): requests, the archivist's decisions, returns and
the log of every file opened (利用登记). Each action checks permission, runs in a transaction and
refuses with a translated `ArchiveUseError`."""

from datetime import timedelta

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _

from notifications.services import notify
from people.models import Role, User

from . import permissions
from .labels import ACCESS_KINDS
from .models import AccessLogEntry, AccessRequest, ArchiveFile, ArchiveItem
from .notifications import ACCESS_DECIDED, ACCESS_REQUESTED

DEFAULT_DAYS = {AccessRequest.Kind.READ: 7, AccessRequest.Kind.BORROW: 30}
MAX_DAYS = 90
REASON_LENGTH = 300


class ArchiveUseError(ValidationError):
    """A refused archive action; the message says why, in the user's language."""


def _require(allowed: bool) -> None:
    if not allowed:
        raise PermissionDenied


def archivists_of(unit_id: int):
    return User.objects.filter(
        is_active=True,
        role_assignments__role=Role.ARCHIVIST,
        role_assignments__unit_id=unit_id,
    ).distinct()


def _text(value: str, *, field: str, required_message: str) -> str:
    value = (value or "").strip()
    if not value:
        raise ArchiveUseError({field: required_message})
    if len(value) > REASON_LENGTH:
        raise ArchiveUseError(
            {field: _("Keep it to %(count)d characters.") % {"count": REASON_LENGTH}}
        )
    return value


@transaction.atomic
def access_request(*, user: User, item: ArchiveItem, kind: str, reason: str) -> AccessRequest:
    """A staff member who sees the item asks to read or borrow its files."""
    _require(permissions.can_request_access(user, item))
    if kind not in AccessRequest.Kind.values:
        raise ArchiveUseError({"kind": _("Choose reading or borrowing.")})
    reason = _text(reason, field="reason", required_message=_("Say why you need the item."))
    if AccessRequest.objects.filter(
        item=item, requester=user, kind=kind, state=AccessRequest.State.PENDING
    ).exists():
        raise ArchiveUseError(_("You have already asked for this; the archivist will decide."))
    request = AccessRequest.objects.create(item=item, requester=user, kind=kind, reason=reason)
    notify(
        archivists_of(item.fonds.unit_id).exclude(pk=user.pk),
        kind=ACCESS_REQUESTED.key,
        title=_("%(who)s asks to %(kind)s %(code)s")
        % {
            "who": user.get_full_name(),
            "kind": ACCESS_KINDS[request.kind],
            "code": item.archive_code,
        },
        url=reverse("archive:requests"),
        source=request,
    )
    return request


def _locked_request(access_request: AccessRequest) -> AccessRequest:
    return (
        AccessRequest.objects.select_for_update()
        .select_related("item__fonds")
        .get(pk=access_request.pk)
    )


@transaction.atomic
def access_request_decide(
    *,
    user: User,
    access_request: AccessRequest,
    approve: bool,
    days: int | None = None,
    note: str = "",
) -> AccessRequest:
    """The unit's archivist approves for `days` (7 to read, 30 to borrow by default; at most 90)
    or refuses with a note."""
    request = _locked_request(access_request)
    _require(permissions.can_decide_request(user, request))
    if request.state != AccessRequest.State.PENDING:
        raise ArchiveUseError(_("This request has already been decided."))
    note = (note or "").strip()
    if len(note) > REASON_LENGTH:
        raise ArchiveUseError(
            {"note": _("Keep it to %(count)d characters.") % {"count": REASON_LENGTH}}
        )
    now = timezone.now()
    if approve:
        days = DEFAULT_DAYS[request.kind] if days is None else days
        if not 1 <= days <= MAX_DAYS:
            raise ArchiveUseError({"days": _("Approve for 1 to %(max)d days.") % {"max": MAX_DAYS}})
        request.state = AccessRequest.State.APPROVED
        request.expires_at = now + timedelta(days=days)
        title = _("Approved: %(kind)s %(code)s until %(date)s")
    else:
        if not note:
            raise ArchiveUseError({"note": _("Say why the request is refused.")})
        request.state = AccessRequest.State.REFUSED
        title = _("Refused: %(kind)s %(code)s")
    request.decided_by, request.decided_at, request.decision_note = user, now, note
    request.save(update_fields=["state", "expires_at", "decided_by", "decided_at", "decision_note"])
    expires = timezone.localtime(request.expires_at).date() if request.expires_at else None
    notify(
        request.requester_id,
        kind=ACCESS_DECIDED.key,
        title=title
        % {
            "kind": ACCESS_KINDS[request.kind],
            "code": request.item.archive_code,
            "date": expires.isoformat() if expires else "",
        },
        body=note,
        url=reverse("archive:read", args=[request.item_id]),
        source=request,
    )
    return request


@transaction.atomic
def access_request_return(*, user: User, access_request: AccessRequest) -> AccessRequest:
    """The archivist records a borrowed item as returned; the borrowing ends at once."""
    request = _locked_request(access_request)
    _require(permissions.keeps_item(user, request.item))
    if request.kind != AccessRequest.Kind.BORROW or request.state != AccessRequest.State.APPROVED:
        raise ArchiveUseError(_("Only an approved borrowing can be returned."))
    request.state = AccessRequest.State.RETURNED
    request.save(update_fields=["state"])
    return request


@transaction.atomic
def file_open(*, user: User, archive_file: ArchiveFile, download: bool) -> AccessLogEntry:
    """Checks that the user may open the file, to read it (view) or take a copy (download), and
    logs it with the approval that allowed it; the caller streams the file afterwards."""
    item = archive_file.item
    action = AccessLogEntry.Action.DOWNLOAD if download else AccessLogEntry.Action.VIEW
    _require(permissions.can_open_files(user, item, action))
    granted_by = None
    if not permissions.opens_freely(user, item):
        granted_by = permissions.granting_request(user, item, action)
    return AccessLogEntry.objects.create(
        item=item, user=user, action=action, file=archive_file, request=granted_by
    )

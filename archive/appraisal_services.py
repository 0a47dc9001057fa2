"""The retention review (鉴定) and destruction (销毁): an archivist extends an item's retention or
proposes its destruction; another archivist of the unit and a unit administrator approve it, and
only then are the files deleted, the items marked destroyed and a permanent record written."""

from django.core.exceptions import PermissionDenied
from django.db import transaction
from django.db.models import Q
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _

from notifications.services import notify
from people.models import Role, User
from search.outbox import enqueue_removal

from . import permissions
from .access_services import REASON_LENGTH, ArchiveUseError
from .models import (
    ArchiveFile,
    ArchiveItem,
    DestructionApproval,
    DestructionRecord,
    DestructionRequest,
    FondsSettings,
    Retention,
    RetentionExtension,
)
from .notifications import DESTRUCTION
from .search import KIND as SEARCH_KIND
from .use_selectors import effective_retention, items_due_for_review

# The longer a retention, the later its rank: an extension only ever lengthens it.
RETENTION_RANK = {Retention.TEN_YEARS: 10, Retention.THIRTY_YEARS: 30, Retention.PERMANENT: 999}
APPROVING_ROLES = (Role.ARCHIVIST, Role.UNIT_ADMIN)


def _require(allowed: bool) -> None:
    if not allowed:
        raise PermissionDenied


def _reason(reason: str, limit: int | None = REASON_LENGTH) -> str:
    reason = (reason or "").strip()
    if not reason:
        raise ArchiveUseError({"reason": _("Give the reason.")})
    if limit and len(reason) > limit:
        raise ArchiveUseError({"reason": _("Keep it to %(count)d characters.") % {"count": limit}})
    return reason


@transaction.atomic
def retention_extend(
    *, user: User, item: ArchiveItem, retention: str, reason: str, review_year: int
) -> RetentionExtension:
    """Keeps an item longer than its retention, with the reason; its archive code stays."""
    item = ArchiveItem.objects.select_for_update().select_related("fonds").get(pk=item.pk)
    _require(permissions.can_review(user, item.fonds))
    if item.state != ArchiveItem.State.FILED:
        raise ArchiveUseError(_("This item has been destroyed."))
    current = effective_retention(item)
    if retention not in RETENTION_RANK or RETENTION_RANK[retention] <= RETENTION_RANK[current]:
        raise ArchiveUseError({"retention": _("Choose a retention longer than the current one.")})
    if DestructionRequest.objects.filter(
        items=item, state=DestructionRequest.State.PROPOSED
    ).exists():
        raise ArchiveUseError(_("This item is proposed for destruction; decide that first."))
    return RetentionExtension.objects.create(
        item=item,
        previous_retention=current,
        retention=retention,
        reason=_reason(reason),
        review_year=review_year,
        decided_by=user,
    )


def _approvers(fonds: FondsSettings, proposer: User):
    return (
        User.objects.filter(
            Q(role_assignments__role=Role.UNIT_ADMIN) | Q(role_assignments__role=Role.ARCHIVIST),
            role_assignments__unit_id=fonds.unit_id,
            is_active=True,
        )
        .exclude(pk=proposer.pk)
        .distinct()
    )


@transaction.atomic
def destruction_propose(
    *, user: User, fonds: FondsSettings, items: list[ArchiveItem], reason: str, review_year: int
) -> DestructionRequest:
    """Proposes destroying items of the review whose retention has ended."""
    _require(permissions.can_review(user, fonds))
    if review_year > timezone.localdate().year:
        raise ArchiveUseError(_("A review year cannot be in the future."))
    reason = _reason(reason, limit=2000)
    if not items:
        raise ArchiveUseError({"items": _("Choose the items to destroy.")})
    due = set(
        items_due_for_review(fonds, review_year)
        .filter(pk__in=[item.pk for item in items])
        .select_for_update(of=("self",))
        .values_list("pk", flat=True)
    )
    if len(due) != len({item.pk for item in items}):
        raise ArchiveUseError(
            {"items": _("Only items whose retention has ended and that are not proposed yet.")}
        )
    destruction = DestructionRequest.objects.create(fonds=fonds, reason=reason, proposed_by=user)
    destruction.items.set(due)
    notify(
        _approvers(fonds, user),
        kind=DESTRUCTION.key,
        title=_("%(count)d archive items proposed for destruction") % {"count": len(due)},
        url=reverse("archive:destructions"),
        source=destruction,
    )
    return destruction


@transaction.atomic
def destruction_decide(
    *, user: User, destruction: DestructionRequest, role: str, approve: bool, note: str = ""
) -> DestructionRequest:
    """One of the two approving roles decides; a refusal ends the proposal, the second
    approval destroys its items."""
    destruction = (
        DestructionRequest.objects.select_for_update()
        .select_related("fonds", "proposed_by")
        .get(pk=destruction.pk)
    )
    _require(permissions.sees_destruction(user, destruction.fonds))
    if destruction.state != DestructionRequest.State.PROPOSED:
        raise ArchiveUseError(_("This proposal has already been decided."))
    if role not in permissions.destruction_roles_open_to(user, destruction):
        raise ArchiveUseError(
            _(
                "You cannot approve this: the proposer and anyone who has already decided may "
                "not, and each role decides once."
            )
        )
    note = (note or "").strip()
    if len(note) > REASON_LENGTH:
        raise ArchiveUseError(
            {"note": _("Keep it to %(count)d characters.") % {"count": REASON_LENGTH}}
        )
    if not approve and not note:
        raise ArchiveUseError({"note": _("Say why you refuse.")})
    DestructionApproval.objects.create(
        request=destruction, role=role, user=user, approved=approve, note=note
    )
    if not approve:
        destruction.state = DestructionRequest.State.REFUSED
        destruction.save(update_fields=["state"])
        _tell_proposer(destruction, _("Destruction refused: %(reason)s"))
        return destruction
    approvals = list(destruction.approvals.select_related("user"))
    if {approval.role for approval in approvals if approval.approved} >= set(APPROVING_ROLES):
        _destroy(destruction, approvals)
        _tell_proposer(destruction, _("Destroyed as approved: %(reason)s"))
    return destruction


def _tell_proposer(destruction: DestructionRequest, title: str) -> None:
    notify(
        destruction.proposed_by_id,
        kind=DESTRUCTION.key,
        title=title % {"reason": destruction.reason[:60]},
        url=reverse("archive:destructions"),
    )


def _destroy(destruction: DestructionRequest, approvals: list[DestructionApproval]) -> None:
    items = list(destruction.items.select_for_update().order_by("pk"))
    approved_by = "、".join(
        f"{approval.user.get_full_name()}（{Role(approval.role).label}）" for approval in approvals
    )
    files = ArchiveFile.objects.filter(item__in=items).exclude(file="")
    stored = [(field.storage, field.name) for field in (f.file for f in files)]
    DestructionRecord.objects.bulk_create(
        DestructionRecord(
            archive_code=item.archive_code,
            title=item.title,
            doc_number=item.doc_number,
            year=item.year,
            retention=effective_retention(item),
            reason=destruction.reason,
            proposed_by=destruction.proposed_by.get_full_name(),
            approved_by=approved_by,
            fonds_code=destruction.fonds.fonds_code,
        )
        for item in items
    )
    for item in items:
        item.mark_destroyed()
    destruction.state = DestructionRequest.State.APPROVED
    destruction.save(update_fields=["state"])
    for item in items:
        enqueue_removal(SEARCH_KIND, str(item.pk))
    transaction.on_commit(lambda: _delete_stored(stored), robust=True)


def _delete_stored(stored) -> None:
    for storage, name in stored:
        storage.delete(name)

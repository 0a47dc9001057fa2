"""Delegations (委托): a leader's tasks handed to a deputy for a period."""

from datetime import date

from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from people.models import User
from people.permissions import is_system_admin

from .. import permissions
from ..models import Delegation
from .errors import DocumentError, require


@transaction.atomic
def delegation_create(
    *,
    user: User,
    leader: User,
    deputy: User,
    starts_on: date,
    ends_on: date,
    reason: str = "",
) -> Delegation:
    """A leader hands their tasks to a deputy for a period (委托)."""
    require(permissions.can_delegate(user, leader))
    if deputy.pk == leader.pk or not deputy.is_active:
        raise DocumentError({"deputy": _("Choose another active person as deputy.")})
    if ends_on < starts_on:
        raise DocumentError({"ends_on": _("The period ends before it starts.")})
    overlapping = Delegation.objects.filter(
        leader=leader, revoked_at__isnull=True, starts_on__lte=ends_on, ends_on__gte=starts_on
    )
    if overlapping.exists():
        raise DocumentError(_("There is already a delegation for part of this period."))
    return Delegation.objects.create(
        leader=leader,
        deputy=deputy,
        starts_on=starts_on,
        ends_on=ends_on,
        reason=(reason or "").strip()[:200],
        created_by=user,
    )


@transaction.atomic
def delegation_revoke(*, delegation: Delegation, user: User) -> Delegation:
    require(permissions.can_delegate(user, delegation.leader) or is_system_admin(user))
    if delegation.revoked_at is None:
        delegation.revoked_at = timezone.now()
        delegation.save(update_fields=["revoked_at"])
    return delegation

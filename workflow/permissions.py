"""Who may see outgoing documents, act on their tasks, download their files, and who may be
chosen for each step. Views, the API, search ACLs and the services all ask here.

The rules:
- A document is seen by those who handled it (anyone in its trace, acting or represented), the
  owners of its tasks (and their active deputies), its issuing unit's document clerks and
  process administrators and system administrators. Attachments and the final PDF follow the
  document. A recipient unit sees only what was sent to it, as a delivery (below), never the
  sender's opinions and trace.
- A delivery (待签收) is seen, signed for and refused by the document clerks of the unit it
  was sent to, and by no one else; the sender's clerks follow it on their document's page,
  send it again after a refusal and close (办结) the dispatched document.
- A task is acted on by its owner, or by a deputy the owner delegated to for today (委托).
- A received document is registered (收文登记) by the document clerk of the receiving unit.
- A unit's process administrator (流程管理员) sees its running processes, reassigns and cancels.
- Candidates for a step, offered to the previous actor: department heads = leaders (is_leader)
  of the drafting department (its unit's leaders when it has none); office verifiers = the
  unit's leaders, document clerks, process and unit administrators; countersigning departments
  = the unit's departments that have a head; signing leaders = the unit's leaders; clerks = the
  unit's document clerks.
"""

from datetime import date

from django.db.models import Q, QuerySet
from django.utils import timezone
from viewflow.workflow.status import STATUS

from people.models import OrgUnit, Role, RoleAssignment, User
from people.permissions import holds_role_for_unit, is_system_admin

from .models import Delegation, Delivery, OutgoingDocument, TraceEntry

ACTIVE_TASK_STATUSES = (STATUS.NEW, STATUS.ASSIGNED, STATUS.STARTED)
# What a recipient unit's clerk does to a sent document: traced on it, but it makes them no
# handler of the sender's document, whose opinions and trace stay the sender's.
RECIPIENT_ACTIONS = (TraceEntry.Action.SIGN_FOR, TraceEntry.Action.REFUSE)


def _active(user) -> bool:
    return user is not None and user.is_authenticated and user.is_active


def is_file_clerk(user: User, unit: OrgUnit) -> bool:
    return holds_role_for_unit(user, Role.FILE_CLERK, unit)


def is_process_admin(user: User, unit: OrgUnit) -> bool:
    return is_system_admin(user) or holds_role_for_unit(user, Role.PROCESS_ADMIN, unit)


def delegators_of(user: User, on: date | None = None) -> list[int]:
    """Ids of the leaders whose tasks `user` may handle today as their deputy."""
    if not _active(user):
        return []
    on = on or timezone.localdate()
    return list(
        Delegation.objects.filter(
            deputy=user, starts_on__lte=on, ends_on__gte=on, revoked_at__isnull=True
        ).values_list("leader_id", flat=True)
    )


def acting_for(user: User, task) -> User | None:
    """Whom `user` acts for on this task: None when it is their own, the owner when they are
    the owner's active deputy. Raises PermissionError when they may not act at all."""
    if not _active(user) or task.owner_id is None:
        raise PermissionError
    if task.owner_id == user.pk:
        return None
    if task.owner_id in delegators_of(user):
        return task.owner
    raise PermissionError


def can_act_on_task(user: User, task) -> bool:
    try:
        acting_for(user, task)
    except PermissionError:
        return False
    return task.status in ACTIVE_TASK_STATUSES


def can_view_document(user: User, document: OutgoingDocument) -> bool:
    if not _active(user):
        return False
    if document.drafter_id == user.pk or is_system_admin(user):
        return True
    if is_file_clerk(user, document.unit) or is_process_admin(user, document.unit):
        return True
    return visible_documents(user).filter(pk=document.pk).exists()


def visible_documents(user: User) -> QuerySet[OutgoingDocument]:
    """Every document the user may open, as one filter (lists, search, downloads)."""
    if not _active(user):
        return OutgoingDocument.objects.none()
    if is_system_admin(user):
        return OutgoingDocument.objects.all()
    owners = [user.pk, *delegators_of(user)]
    clerk_units = list(
        RoleAssignment.objects.filter(user=user, role=Role.FILE_CLERK).values_list(
            "unit_id", flat=True
        )
    )
    admin_units = list(
        RoleAssignment.objects.filter(user=user, role=Role.PROCESS_ADMIN).values_list(
            "unit_id", flat=True
        )
    )
    handled = (
        TraceEntry.objects.filter(Q(actor__in=owners) | Q(on_behalf_of=user))
        .exclude(action__in=RECIPIENT_ACTIONS)
        .values("document_id")
    )
    condition = (
        Q(drafter=user)
        | Q(pk__in=handled)
        | Q(process__task__owner__in=owners)
        | Q(unit__in=clerk_units + admin_units)
    )
    return OutgoingDocument.objects.filter(
        pk__in=OutgoingDocument.objects.filter(condition).values("pk")
    )


def can_download(user: User, document: OutgoingDocument) -> bool:
    return can_view_document(user, document)


def can_register_incoming(user: User, unit: OrgUnit) -> bool:
    """Registering a document the unit received (收文登记): the unit's own document clerk, as
    for outgoing numbering; a clerk of another unit (the headquarters' included) may not."""
    return _active(user) and unit.is_unit_level and is_file_clerk(user, unit)


def can_receive_delivery(user: User, delivery: Delivery) -> bool:
    """Seeing, signing for or refusing a delivery: the recipient unit's document clerk."""
    return _active(user) and is_file_clerk(user, delivery.recipient_unit)


def deliveries_received(user: User) -> QuerySet[Delivery]:
    """Every delivery the user may open: those sent to the units they are document clerk of."""
    if not _active(user):
        return Delivery.objects.none()
    clerk_units = RoleAssignment.objects.filter(user=user, role=Role.FILE_CLERK).values("unit_id")
    return Delivery.objects.filter(recipient_unit__in=clerk_units)


def can_manage_dispatch(user: User, document: OutgoingDocument) -> bool:
    """Sending again after a refusal and closing (办结): the sending unit's document clerk."""
    return _active(user) and is_file_clerk(user, document.unit)


def can_manage_process(user: User, document: OutgoingDocument) -> bool:
    """Reassigning stuck tasks and cancelling the process: the unit's process administrator."""
    return is_process_admin(user, document.unit)


def can_create_document(user: User) -> bool:
    return _active(user) and user.department_id is not None


def can_delegate(user: User, leader: User) -> bool:
    """Leaders delegate their own tasks; a unit's process administrator may set one up."""
    if not _active(user):
        return False
    if user.pk == leader.pk:
        return leader.is_leader
    unit = leader.department.unit if leader.department_id else None
    return unit is not None and is_process_admin(user, unit)


# Candidates offered to the previous actor, one function per step.


def _unit_members(unit: OrgUnit) -> QuerySet[User]:
    return User.objects.filter(is_active=True, department__unit=unit)


def unit_leaders(unit: OrgUnit) -> QuerySet[User]:
    return _unit_members(unit).filter(is_leader=True).order_by("name")


def department_head_candidates(department: OrgUnit) -> QuerySet[User]:
    heads = User.objects.filter(
        Q(department=department) | Q(concurrent_posts__department=department),
        is_active=True,
        is_leader=True,
    ).distinct()
    if heads.exists():
        return heads.order_by("name")
    return unit_leaders(department.unit)


def verifier_candidates(unit: OrgUnit) -> QuerySet[User]:
    office_roles = [Role.FILE_CLERK, Role.PROCESS_ADMIN, Role.UNIT_ADMIN]
    role_holders = RoleAssignment.objects.filter(unit=unit, role__in=office_roles).values("user_id")
    return (
        User.objects.filter(is_active=True)
        .filter(Q(pk__in=role_holders) | Q(department__unit=unit, is_leader=True))
        .distinct()
        .order_by("name")
    )


def countersign_departments(unit: OrgUnit) -> QuerySet[OrgUnit]:
    """The unit's departments that have a head to countersign."""
    return (
        OrgUnit.objects.filter(
            unit=unit, kind=OrgUnit.Kind.DEPARTMENT, is_active=True, members__is_leader=True
        )
        .distinct()
        .order_by("path")
    )


def countersign_head(department: OrgUnit) -> User | None:
    return (
        User.objects.filter(department=department, is_leader=True, is_active=True)
        .order_by("name", "pk")
        .first()
    )


def leader_candidates(unit: OrgUnit) -> QuerySet[User]:
    return unit_leaders(unit)


def clerk_candidates(unit: OrgUnit) -> QuerySet[User]:
    clerks = RoleAssignment.objects.filter(unit=unit, role=Role.FILE_CLERK).values("user_id")
    return User.objects.filter(is_active=True, pk__in=clerks).order_by("name")


def reassign_candidates(unit: OrgUnit) -> QuerySet[User]:
    """Anyone active in the unit; the process administrator takes responsibility."""
    return _unit_members(unit).order_by("name")

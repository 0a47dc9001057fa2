"""Who may see outgoing documents, act on their tasks, download their files, and who may be
chosen for each step. Views, the API, search ACLs and the services all ask here.

The rules:
- A document is seen by those who handled it (anyone in its trace, acting or represented), the
  owners of its tasks (and their active deputies), its readers (传阅), its unit's document
  clerks and process administrators and system administrators. Attachments, the final PDF and
  the processing forms follow the document. A recipient unit sees only what was sent to it, as
  a delivery (below), never the sender's opinions and trace.
- A delivery (待签收) is seen, signed for and refused by the document clerks of the unit it
  was sent to, and by no one else; the sender's clerks follow it on their document's page,
  send it again after a refusal and close (办结) the dispatched document.
- A document is sent round readers (传阅) by its unit's document clerks, an outgoing one once
  dispatched; an incoming one also by its lead handler (whoever acted at its handling step).
  The readers are active members of the unit; whoever sent a round reminds its readers.
- A task is acted on by its owner, or by a deputy the owner delegated to for today (委托).
- A received document is registered (收文登记) by the document clerk of the receiving unit, and
  seen by that unit's document clerks and process administrators, by whoever handled it or
  holds one of its tasks (and their active deputies), by its circulation readers and by system
  administrators; never by
  another unit, the sender included (`visible_incoming_documents`, mirrored for the search by
  `incoming_document_access`).
- A unit's process administrator (流程管理员) sees its running processes, reassigns and cancels.
- Candidates for a step, offered to the previous actor: department heads = leaders (is_leader)
  of the drafting department (its unit's leaders when it has none); office verifiers = the
  unit's leaders, document clerks, process and unit administrators, except whoever checked the
  document as department head; countersigning departments = the unit's departments that have a
  head, except the drafting department; signing leaders = the unit's leaders, which the unit's
  flow rules (`UnitFlowRules`) may narrow to its leaders' department, department heads only
  where they allow it; clerks = the unit's document clerks. The services refuse any choice the
  lists would not offer.
"""

from datetime import date

from django.db.models import Q, QuerySet
from django.utils import timezone
from viewflow.workflow.status import STATUS

from people.models import OrgUnit, Role, RoleAssignment, User
from people.permissions import holds_role_for_unit, is_system_admin, units_holding_role

from .models import (
    CirculationReader,
    Delegation,
    Delivery,
    Document,
    IncomingDocument,
    OutgoingDocument,
    TraceEntry,
    UnitFlowRules,
)

ACTIVE_TASK_STATUSES = (STATUS.NEW, STATUS.ASSIGNED, STATUS.STARTED)
# The incoming flow's handling step (承办), whose actor is the lead handler.
LEAD_HANDLING_STEP = "handle"
# What a recipient unit's clerk does to a sent document: traced on it, but it makes them no
# handler of the sender's document, whose opinions and trace stay the sender's.
RECIPIENT_ACTIONS = (TraceEntry.Action.SIGN_FOR, TraceEntry.Action.REFUSE)


def _active(user) -> bool:
    return user is not None and user.is_authenticated and user.is_active


def is_file_clerk(user: User, unit: OrgUnit) -> bool:
    return holds_role_for_unit(user, Role.FILE_CLERK, unit)


def is_process_admin(user: User, unit: OrgUnit) -> bool:
    return is_system_admin(user) or holds_role_for_unit(user, Role.PROCESS_ADMIN, unit)


def can_keep_calendar(user: User) -> bool:
    """The working-day calendar is the whole group's: system administrators and headquarters'
    process administrators keep it."""
    if not _active(user):
        return False
    if is_system_admin(user):
        return True
    administered = units_holding_role(user, Role.PROCESS_ADMIN)
    return bool(administered) and (
        OrgUnit.objects.filter(pk__in=administered, kind=OrgUnit.Kind.HEADQUARTERS).exists()
    )


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


def deputies_of(leader_id: int, on: date | None = None) -> list[int]:
    """Ids of the deputies who may handle the leader's tasks today."""
    on = on or timezone.localdate()
    return list(
        Delegation.objects.filter(
            leader_id=leader_id,
            starts_on__lte=on,
            ends_on__gte=on,
            revoked_at__isnull=True,
            deputy__is_active=True,
        ).values_list("deputy_id", flat=True)
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


def can_view_document(user: User, document: Document) -> bool:
    """The one rule for seeing a document of any kind (page, forms, PDFs, attachments)."""
    if not _active(user):
        return False
    if is_system_admin(user):
        return True
    if is_file_clerk(user, document.unit) or is_process_admin(user, document.unit):
        return True
    if document.kind == Document.Kind.INCOMING:
        return visible_incoming_documents(user).filter(pk=document.pk).exists()
    if getattr(document, "drafter_id", None) == user.pk:
        return True
    return visible_documents(user).filter(pk=document.pk).exists()


def _clerk_and_admin_units(user: User) -> tuple[list[int], list[int]]:
    return (
        list(units_holding_role(user, Role.FILE_CLERK)),
        list(units_holding_role(user, Role.PROCESS_ADMIN)),
    )


def _handled_by(user: User, owners: list[int]):
    return (
        TraceEntry.objects.filter(Q(actor__in=owners) | Q(on_behalf_of=user))
        .exclude(action__in=RECIPIENT_ACTIONS)
        .values("document_id")
    )


def visible_incoming_documents(user: User) -> QuerySet[IncomingDocument]:
    """Incoming documents the user may open: the receiving unit's clerks and process
    administrators, anyone who handled a task of it (or has one), and its readers (传阅);
    never another unit's."""
    if not _active(user):
        return IncomingDocument.objects.none()
    if is_system_admin(user):
        return IncomingDocument.objects.all()
    owners = [user.pk, *delegators_of(user)]
    clerk_units, admin_units = _clerk_and_admin_units(user)
    readers = CirculationReader.objects.filter(reader=user).values("circulation__document_id")
    condition = (
        Q(pk__in=_handled_by(user, owners))
        | Q(pk__in=readers)
        | Q(process__task__owner__in=owners)
        | Q(unit__in=clerk_units + admin_units)
    )
    return IncomingDocument.objects.filter(
        pk__in=IncomingDocument.objects.filter(condition).values("pk")
    )


def can_view_document_of_task(user: User, task, document: OutgoingDocument) -> bool:
    """`can_view_document`, answered without a query for the task's owner."""
    return (_active(user) and task.owner_id == user.pk) or can_view_document(user, document)


def visible_documents(user: User) -> QuerySet[OutgoingDocument]:
    """Every document the user may open, as one filter (lists, search, downloads)."""
    if not _active(user):
        return OutgoingDocument.objects.none()
    if is_system_admin(user):
        return OutgoingDocument.objects.all()
    owners = [user.pk, *delegators_of(user)]
    clerk_units, admin_units = _clerk_and_admin_units(user)
    condition = (
        Q(drafter=user)
        | Q(pk__in=_handled_by(user, owners))
        | Q(process__task__owner__in=owners)
        | Q(unit__in=clerk_units + admin_units)
        | Q(circulations__readers__reader=user)
    )
    return OutgoingDocument.objects.filter(
        pk__in=OutgoingDocument.objects.filter(condition).values("pk")
    )


def can_download(user: User, document: Document) -> bool:
    return can_view_document(user, document)


def can_view_incoming(user: User, document: IncomingDocument) -> bool:
    return visible_incoming_documents(user).filter(pk=document.pk).exists()


def incoming_document_access(document: IncomingDocument, handler_ids: set[int]) -> set[str]:
    """The search principals of `visible_incoming_documents`: the unit's document clerks and
    process administrators by role, and by user `handler_ids` (trace actors and represented,
    task owners, readers)."""
    access = {f"user:{user_id}" for user_id in handler_ids if user_id}
    access.add(f"role:{Role.FILE_CLERK}:{document.unit_id}")
    access.add(f"role:{Role.PROCESS_ADMIN}:{document.unit_id}")
    return access


def lead_handler_ids(document: Document) -> set[int]:
    """Whoever acted at the incoming document's handling step (承办), as lead department."""
    return set(
        TraceEntry.objects.filter(document=document, step=LEAD_HANDLING_STEP)
        .exclude(actor=None)
        .values_list("actor_id", flat=True)
    )


def can_circulate(user: User, document: Document) -> bool:
    """Sending the document round readers (传阅), see the module's rules."""
    if not _active(user):
        return False
    if document.kind == Document.Kind.OUTGOING:
        outgoing = document if isinstance(document, OutgoingDocument) else document.specific
        dispatched = outgoing.status in (
            OutgoingDocument.Status.DISPATCHED,
            OutgoingDocument.Status.CLOSED,
        )
        return dispatched and is_file_clerk(user, document.unit)
    return is_file_clerk(user, document.unit) or user.pk in lead_handler_ids(document)


def can_remind_readers(user: User, circulation) -> bool:
    return _active(user) and circulation.started_by_id == user.pk


def circulation_reader_candidates(document: Document) -> QuerySet[User]:
    """Whom a round may reach: the active members of the document's unit."""
    return _unit_members(document.unit).order_by("name")


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
    return Delivery.objects.filter(recipient_unit__in=units_holding_role(user, Role.FILE_CLERK))


def can_manage_dispatch(user: User, document: OutgoingDocument) -> bool:
    """Sending again after a refusal and closing (办结): the sending unit's document clerk."""
    return _active(user) and is_file_clerk(user, document.unit)


def can_manage_process(user: User, document: Document) -> bool:
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


def verifier_candidates(unit: OrgUnit, *, checked_by=()) -> QuerySet[User]:
    """The unit's office verifiers, without `checked_by` (ids of the department head who just
    checked the document and whoever acted for them): a second look needs a second person."""
    office_roles = [Role.FILE_CLERK, Role.PROCESS_ADMIN, Role.UNIT_ADMIN]
    role_holders = RoleAssignment.objects.filter(unit=unit, role__in=office_roles).values("user_id")
    return (
        User.objects.filter(is_active=True)
        .filter(Q(pk__in=role_holders) | Q(department__unit=unit, is_leader=True))
        .exclude(pk__in=[pk for pk in checked_by if pk])
        .distinct()
        .order_by("name")
    )


def countersign_departments(
    unit: OrgUnit, *, drafting_department: OrgUnit | None = None
) -> QuerySet[OrgUnit]:
    """The unit's departments that have a head to countersign; the drafting department has
    already had its say at the check (核稿)."""
    departments = OrgUnit.objects.filter(
        unit=unit, kind=OrgUnit.Kind.DEPARTMENT, is_active=True, members__is_leader=True
    )
    if drafting_department is not None:
        departments = departments.exclude(pk=drafting_department.pk)
    return departments.distinct().order_by("path")


def countersign_head(department: OrgUnit) -> User | None:
    """The head of a department that countersigns, leads (主办) or assists (协办)."""
    return (
        User.objects.filter(department=department, is_leader=True, is_active=True)
        .order_by("name", "pk")
        .first()
    )


def leader_candidates(unit: OrgUnit) -> QuerySet[User]:
    """The leaders who may sign the unit's documents off, by its flow rules."""
    leaders = unit_leaders(unit)
    rules = UnitFlowRules.objects.filter(unit=unit).first()
    if rules is None or rules.leaders_department_id is None or rules.department_heads_sign_off:
        return leaders
    return leaders.filter(department_id=rules.leaders_department_id)


def can_edit_flow_rules(user: User, unit: OrgUnit) -> bool:
    return _active(user) and unit.is_unit_level and is_process_admin(user, unit)


def clerk_candidates(unit: OrgUnit) -> QuerySet[User]:
    clerks = RoleAssignment.objects.filter(unit=unit, role=Role.FILE_CLERK).values("user_id")
    return User.objects.filter(is_active=True, pk__in=clerks).order_by("name")


def seal_keeper_candidates(unit: OrgUnit) -> QuerySet[User]:
    keepers = RoleAssignment.objects.filter(unit=unit, role=Role.SEAL_KEEPER).values("user_id")
    return User.objects.filter(is_active=True, pk__in=keepers).order_by("name")


def reassign_candidates(unit: OrgUnit) -> QuerySet[User]:
    """Anyone active in the unit; the process administrator takes responsibility."""
    return _unit_members(unit).order_by("name")


def office_head_candidates(unit: OrgUnit, *, besides: User | None = None) -> QuerySet[User]:
    """Who proposes how an incoming document is handled (拟办): the unit's office people, as
    for the office review of outgoing documents, without the clerk choosing."""
    candidates = verifier_candidates(unit)
    return candidates.exclude(pk=besides.pk) if besides is not None else candidates


def handling_departments(unit: OrgUnit) -> QuerySet[OrgUnit]:
    """Departments that may lead (主办) or assist (协办): the unit's departments with a head."""
    return countersign_departments(unit)


# Urging and supervision (催办/督办).


def is_unit_office(user: User, unit: OrgUnit) -> bool:
    """The unit's office as far as urging goes: its document clerks and process administrators
    (system administrators included)."""
    return _active(user) and (is_file_clerk(user, unit) or is_process_admin(user, unit))


def can_urge(user: User, document) -> bool:
    return is_unit_office(user, document.unit)


def can_see_supervision_dashboard(user: User, unit: OrgUnit) -> bool:
    return unit.is_unit_level and is_unit_office(user, unit)


def can_supervise(user: User, document) -> bool:
    """A leader of the document's unit flags it for supervision."""
    return (
        _active(user)
        and user.is_leader
        and user.department_id is not None
        and user.department.unit_id == document.unit_id
    )


def can_report_progress(user: User, lead_department: OrgUnit | None) -> bool:
    """Anyone of the lead department reports a supervised document's progress."""
    return (
        _active(user) and lead_department is not None and user.department_id == lead_department.pk
    )

"""Operations that change the organization, accounts and rights.

Each checks the actor's permission through `people.permissions`, runs in one transaction and
writes an audit entry. `actor=None` means the system itself (demo data, HR import run by an
operator on the command line).
"""

from axes.models import AccessAttempt
from axes.utils import reset as reset_login_attempts
from django.contrib.auth.password_validation import validate_password
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.db.models import F, Sum
from django.utils import timezone
from django.utils.translation import gettext as _
from pypinyin import Style, lazy_pinyin

from . import permissions
from .audit import audit_record
from .events import request_decided, roles_changed
from .models import (
    AuditEntry,
    ConcurrentPost,
    OrgUnit,
    PermissionRequest,
    Role,
    RoleAssignment,
    User,
)

CONTACT_FIELDS = ("email", "mobile", "office_phone")
ACCOUNT_FIELDS = (
    "name",
    "employee_no",
    "department",
    "position",
    "is_leader",
    "gender",
    "entry_date",
    *CONTACT_FIELDS,
)


def name_initials(name: str) -> str:
    """Lower-case pinyin initials, e.g. 张三 → zs, for finding people by 'zs'."""
    return "".join(lazy_pinyin(name, style=Style.FIRST_LETTER, errors="ignore")).lower()


def _require(allowed: bool) -> None:
    if not allowed:
        raise PermissionDenied(_("You are not allowed to do this."))


@transaction.atomic
def org_unit_create(
    *,
    parent: OrgUnit | None,
    code: str,
    name: str,
    kind: str,
    short_name: str = "",
    sort_order: int = 0,
    doc_prefix: str = "",
    actor: User | None = None,
    ip_address: str | None = None,
) -> OrgUnit:
    if actor is not None:
        _require(permissions.can_manage_units(actor))
    if OrgUnit.objects.filter(code=code).exists():
        raise ValidationError({"code": _("An organization unit with this code already exists.")})
    if kind == OrgUnit.Kind.HEADQUARTERS and parent is not None:
        raise ValidationError({"kind": _("The headquarters is the root of the tree.")})
    if parent is not None and parent.kind == OrgUnit.Kind.DEPARTMENT and kind != "department":
        raise ValidationError({"kind": _("Only departments can be placed under a department.")})
    fields = {
        "code": code,
        "name": name,
        "kind": kind,
        "short_name": short_name,
        "sort_order": sort_order,
        "doc_prefix": doc_prefix,
    }
    node = OrgUnit.add_root(**fields) if parent is None else parent.add_child(**fields)
    node.unit = node if node.is_unit_level else parent.unit
    node.save(update_fields=["unit"])
    if actor is not None:
        audit_record(
            actor=actor,
            action=AuditEntry.Action.UNIT_CREATED,
            summary=_("Created %(name)s (%(code)s)") % {"name": name, "code": code},
            unit=node.unit,
            ip_address=ip_address,
        )
    return node


@transaction.atomic
def org_unit_update(
    *, actor: User, node: OrgUnit, ip_address: str | None = None, **changes
) -> OrgUnit:
    _require(permissions.can_manage_units(actor))
    allowed = {"name", "short_name", "sort_order", "is_active", "doc_prefix"}
    before = {field: getattr(node, field) for field in changes if field in allowed}
    for field, value in changes.items():
        if field in allowed:
            setattr(node, field, value)
    node.save()
    audit_record(
        actor=actor,
        action=AuditEntry.Action.UNIT_UPDATED,
        summary=_("Edited %(name)s") % {"name": node.name},
        unit=node.unit,
        details=_changes(before, node),
        ip_address=ip_address,
    )
    return node


def _changes(before: dict, obj) -> dict:
    return {
        field: [str(old), str(getattr(obj, field))]
        for field, old in before.items()
        if old != getattr(obj, field)
    }


@transaction.atomic
def user_create(
    *,
    actor: User | None,
    username: str,
    name: str,
    department: OrgUnit,
    password: str | None = None,
    ip_address: str | None = None,
    **fields,
) -> User:
    if actor is not None:
        _require(permissions.can_administer_node(actor, department))
    if User.objects.filter(username=username).exists():
        raise ValidationError({"username": _("This account name is already taken.")})
    user = User(username=username, name=name, department=department, **fields)
    user.name_initials = name_initials(name)
    if password:
        try:
            validate_password(password, user)
        except ValidationError as error:
            raise ValidationError({"password": error.messages}) from None
        user.set_password(password)
    else:
        user.set_unusable_password()
    user.full_clean(exclude=["password"])
    user.save()
    audit_record(
        actor=actor,
        action=AuditEntry.Action.USER_CREATED,
        summary=_("Created account %(username)s (%(name)s)") % {"username": username, "name": name},
        target_user=user,
        ip_address=ip_address,
    )
    return user


@transaction.atomic
def user_update(*, actor: User, user: User, ip_address: str | None = None, **changes) -> User:
    _require(permissions.can_administer_user(actor, user))
    new_department = changes.get("department")
    if new_department is not None:
        _require(permissions.can_administer_node(actor, new_department))
    before = {field: getattr(user, field) for field in changes if field in ACCOUNT_FIELDS}
    for field in before:
        setattr(user, field, changes[field])
    user.name_initials = name_initials(user.name)
    user.full_clean(exclude=["password"])
    user.save()
    details = _changes(before, user)
    if details:
        audit_record(
            actor=actor,
            action=AuditEntry.Action.USER_UPDATED,
            summary=_("Edited account %(username)s") % {"username": user.username},
            target_user=user,
            details=details,
            ip_address=ip_address,
        )
    return user


@transaction.atomic
def user_set_active(
    *, actor: User, user: User, active: bool, ip_address: str | None = None
) -> User:
    _require(permissions.can_administer_user(actor, user) and actor.pk != user.pk)
    if user.is_active == active:
        return user
    user.is_active = active
    user.save(update_fields=["is_active"])
    action = AuditEntry.Action.USER_ENABLED if active else AuditEntry.Action.USER_DISABLED
    audit_record(
        actor=actor,
        action=action,
        summary=f"{action.label}: {user.username}",
        target_user=user,
        ip_address=ip_address,
    )
    return user


@transaction.atomic
def user_reset_password(
    *, actor: User, user: User, new_password: str, ip_address: str | None = None
) -> User:
    _require(permissions.can_administer_user(actor, user))
    validate_password(new_password, user)
    user.set_password(new_password)
    user.save(update_fields=["password"])
    audit_record(
        actor=actor,
        action=AuditEntry.Action.PASSWORD_RESET,
        summary=_("Reset the password of %(username)s") % {"username": user.username},
        target_user=user,
        ip_address=ip_address,
    )
    return user


@transaction.atomic
def contact_update(*, user: User, ip_address: str | None = None, **changes) -> User:
    """A user edits their own contact fields."""
    before = {field: getattr(user, field) for field in changes if field in CONTACT_FIELDS}
    for field in before:
        setattr(user, field, changes[field])
    user.full_clean(exclude=["password"])
    user.save(update_fields=list(before))
    details = _changes(before, user)
    if details:
        audit_record(
            actor=user,
            action=AuditEntry.Action.USER_UPDATED,
            summary=_("Edited own contact details"),
            target_user=user,
            details=details,
            ip_address=ip_address,
        )
    return user


def record_own_password_change(*, user: User, ip_address: str | None = None) -> None:
    audit_record(
        actor=user,
        action=AuditEntry.Action.PASSWORD_CHANGED,
        summary=_("Changed own password"),
        target_user=user,
        ip_address=ip_address,
    )


def sessions_end(user: User) -> None:
    """End every session of the user, on every device: sessions are signed cookies, which
    carry the user's session generation (see User._get_session_auth_hash)."""
    User.objects.filter(pk=user.pk).update(session_generation=F("session_generation") + 1)


@transaction.atomic
def role_grant(
    *,
    actor: User | None,
    user: User,
    role: Role,
    unit: OrgUnit | None = None,
    column=None,
    ip_address: str | None = None,
) -> RoleAssignment:
    if actor is not None:
        _require(permissions.can_grant(actor, user, role, unit, column))
    if role != Role.SYSTEM_ADMIN and unit is None:
        raise ValidationError({"unit": _("Choose the unit this role covers.")})
    assignment, created = RoleAssignment.objects.get_or_create(
        user=user,
        role=role,
        unit=None if role == Role.SYSTEM_ADMIN else unit,
        column=column,
        defaults={"granted_by": actor},
    )
    if created:
        roles_changed.send(sender=RoleAssignment, user=user)
        audit_record(
            actor=actor,
            action=AuditEntry.Action.ROLE_GRANTED,
            summary=_("Granted %(role)s to %(username)s")
            % {"role": assignment, "username": user.username},
            target_user=user,
            unit=unit,
            details={"role": role.value, "unit": unit.code if unit else None},
            ip_address=ip_address,
        )
    return assignment


@transaction.atomic
def role_revoke(*, actor: User, assignment: RoleAssignment, ip_address: str | None = None) -> None:
    _require(
        permissions.can_grant(
            actor, assignment.user, assignment.role, assignment.unit, assignment.column
        )
    )
    audit_record(
        actor=actor,
        action=AuditEntry.Action.ROLE_REVOKED,
        summary=_("Revoked %(role)s from %(username)s")
        % {"role": assignment, "username": assignment.user.username},
        target_user=assignment.user,
        unit=assignment.unit,
        details={
            "role": assignment.role,
            "unit": assignment.unit.code if assignment.unit else None,
        },
        ip_address=ip_address,
    )
    assignment.delete()
    roles_changed.send(sender=RoleAssignment, user=assignment.user)


@transaction.atomic
def permission_request_submit(
    *,
    requester: User,
    role: Role,
    reason: str,
    unit: OrgUnit | None = None,
    column=None,
    ip_address: str | None = None,
) -> PermissionRequest:
    if not reason.strip():
        raise ValidationError({"reason": _("Say why you need this right.")})
    if role != Role.SYSTEM_ADMIN and unit is None:
        raise ValidationError({"unit": _("Choose the unit this role covers.")})
    own_unit = requester.department.unit if requester.department_id else None
    if unit is not None and (own_unit is None or not unit.path.startswith(own_unit.path)):
        raise ValidationError({"unit": _("You can only ask for rights inside your own unit.")})
    already = RoleAssignment.objects.filter(user=requester, role=role, unit=unit, column=column)
    if already.exists():
        raise ValidationError(_("You already hold this right."))
    pending = PermissionRequest.objects.filter(
        requester=requester, role=role, unit=unit, column=column, status="pending"
    )
    if pending.exists():
        raise ValidationError(_("You have already asked for this right; it awaits a decision."))
    request = PermissionRequest.objects.create(
        requester=requester,
        role=role,
        unit=None if role == Role.SYSTEM_ADMIN else unit,
        column=column,
        reason=reason.strip(),
    )
    audit_record(
        actor=requester,
        action=AuditEntry.Action.REQUEST_SUBMITTED,
        summary=_("Asked for %(role)s") % {"role": request.get_role_display()},
        target_user=requester,
        unit=unit,
        details={"request": request.pk},
        ip_address=ip_address,
    )
    return request


@transaction.atomic
def permission_request_decide(
    *,
    actor: User,
    request: PermissionRequest,
    approve: bool,
    opinion: str,
    ip_address: str | None = None,
) -> PermissionRequest:
    request = PermissionRequest.objects.select_for_update().get(pk=request.pk)
    _require(permissions.decides_requests_for(actor).filter(pk=request.pk).exists())
    _require(actor.pk != request.requester_id)
    if request.status != PermissionRequest.Status.PENDING:
        raise ValidationError(_("This request has already been decided."))
    if not approve and not opinion.strip():
        raise ValidationError({"opinion": _("Give a reason when rejecting a request.")})
    if approve:
        role_grant(
            actor=actor,
            user=request.requester,
            role=Role(request.role),
            unit=request.unit,
            column=request.column,
            ip_address=ip_address,
        )
    request.status = (
        PermissionRequest.Status.APPROVED if approve else PermissionRequest.Status.REJECTED
    )
    request.decided_by = actor
    request.decided_at = timezone.now()
    request.opinion = opinion.strip()
    request.save()
    action = AuditEntry.Action.REQUEST_APPROVED if approve else AuditEntry.Action.REQUEST_REJECTED
    audit_record(
        actor=actor,
        action=action,
        summary=f"{action.label}: {request.requester.username} · {request.get_role_display()}",
        target_user=request.requester,
        unit=request.unit,
        details={"request": request.pk, "opinion": request.opinion},
        ip_address=ip_address,
    )
    request_decided.send(sender=PermissionRequest, request=request)
    return request


@transaction.atomic
def account_unlock(
    *, actor: User, username: str, target: User | None, ip_address: str | None = None
) -> bool:
    """Clear the failed logins that locked `username`; False when nothing was locked."""
    _require(permissions.can_unlock(actor, target))
    attempts = AccessAttempt.objects.filter(username=username)
    addresses = sorted(
        {address for address in attempts.values_list("ip_address", flat=True) if address}
    )
    failures = attempts.aggregate(total=Sum("failures_since_start"))["total"] or 0
    if not reset_login_attempts(username=username):
        return False
    audit_record(
        actor=actor,
        action=AuditEntry.Action.ACCOUNT_UNLOCKED,
        summary=_("Unlocked the account %(username)s") % {"username": username},
        target_user=target,
        details={"username": username, "failures": failures, "ip_addresses": addresses},
        ip_address=ip_address,
    )
    return True


@transaction.atomic
def concurrent_post_add(
    *,
    actor: User,
    user: User,
    department: OrgUnit,
    position: str = "",
    ip_address: str | None = None,
) -> ConcurrentPost:
    """A post held besides the primary one (兼职); the actor must administer both places."""
    _require(permissions.can_administer_user(actor, user))
    _require(permissions.can_administer_node(actor, department))
    if department.pk == user.department_id:
        raise ValidationError({"department": _("This is already the primary department.")})
    if ConcurrentPost.objects.filter(user=user, department=department).exists():
        raise ValidationError({"department": _("This concurrent post already exists.")})
    post = ConcurrentPost.objects.create(user=user, department=department, position=position)
    audit_record(
        actor=actor,
        action=AuditEntry.Action.USER_UPDATED,
        summary=_("Added the concurrent post %(post)s to %(username)s")
        % {"post": post, "username": user.username},
        target_user=user,
        details={"concurrent_post": department.code, "position": position},
        ip_address=ip_address,
    )
    return post


@transaction.atomic
def concurrent_post_remove(
    *, actor: User, post: ConcurrentPost, ip_address: str | None = None
) -> None:
    _require(permissions.can_administer_user(actor, post.user))
    audit_record(
        actor=actor,
        action=AuditEntry.Action.USER_UPDATED,
        summary=_("Removed the concurrent post %(post)s from %(username)s")
        % {"post": post, "username": post.user.username},
        target_user=post.user,
        details={"concurrent_post_removed": post.department.code},
        ip_address=ip_address,
    )
    post.delete()

"""The append-only audit log of account, role, unit and right changes."""

from .models import AuditEntry, OrgUnit, User


def audit_record(
    *,
    actor: User | None,
    action: AuditEntry.Action,
    summary: str,
    target_user: User | None = None,
    unit: OrgUnit | None = None,
    details: dict | None = None,
    ip_address: str | None = None,
) -> AuditEntry:
    if unit is None and target_user is not None and target_user.department_id:
        unit = target_user.department.unit
    return AuditEntry.objects.create(
        actor=actor if actor is not None and actor.pk else None,
        action=action,
        summary=summary[:300],
        target_user=target_user,
        unit=unit,
        details=details or {},
        ip_address=ip_address,
    )


def client_ip(request) -> str | None:
    """The client's address as the proxy in front of us reports it, else the socket's."""
    forwarded = request.META.get("HTTP_X_FORWARDED_FOR", "")
    address = forwarded.split(",")[0].strip() if forwarded else request.META.get("REMOTE_ADDR")
    return address or None

"""A unit's flow rules (`UnitFlowRules`), kept by its process administrator: where its leaders
sit and whether department heads may also sign its documents off."""

from django.db import transaction
from django.utils.translation import gettext as _

from people.models import OrgUnit, User

from .. import permissions
from ..models import UnitFlowRules
from .errors import DocumentError, require


@transaction.atomic
def flow_rules_update(
    *,
    unit: OrgUnit,
    user: User,
    leaders_department: OrgUnit | None,
    department_heads_sign_off: bool,
) -> UnitFlowRules:
    """Set the unit's rules. Raises PermissionDenied unless `user` is the unit's process
    administrator; DocumentError for a leaders' department outside the unit."""
    require(permissions.can_edit_flow_rules(user, unit))
    if leaders_department is not None and (
        leaders_department.unit_id != unit.pk or leaders_department.kind != OrgUnit.Kind.DEPARTMENT
    ):
        raise DocumentError({"leaders_department": _("Choose a department of this unit.")})
    rules, _created = UnitFlowRules.objects.select_for_update().update_or_create(
        unit=unit,
        defaults={
            "leaders_department": leaders_department,
            "department_heads_sign_off": department_heads_sign_off,
            "updated_by": user,
        },
    )
    return rules

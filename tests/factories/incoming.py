"""People around an incoming document (收文): members of a unit's department and its document
clerks, and a document one unit received from another, registered through the service."""

from django.utils import timezone

from people.models import OrgUnit, Role, User
from tests.factories.people import OrgUnitFactory, RoleAssignmentFactory, UserFactory
from workflow.models import IncomingDocument
from workflow.services import incoming_register

RECEIVED_TITLE = "关于开展冬季安全生产大检查的通知"


def unit_member(unit: OrgUnit, code: str, **fields) -> User:
    """Someone in a new department `code` of `unit`."""
    department = OrgUnitFactory(
        parent=unit, code=code, name=f"{unit.name}{code}", kind=OrgUnit.Kind.DEPARTMENT
    )
    return UserFactory(department=department, **fields)


def unit_clerk(unit: OrgUnit, code: str, **fields) -> User:
    """The unit's document clerk (文件管理员), in a department `code` of the unit."""
    clerk = unit_member(unit, code, **fields)
    RoleAssignmentFactory(user=clerk, role=Role.FILE_CLERK, unit=unit)
    return clerk


def received_from(
    sender: OrgUnit | None, *, unit: OrgUnit, clerk: User, **fields
) -> IncomingDocument:
    """A document `sender` (None: a body outside the tree) sent to `unit`, registered by the
    unit's `clerk`."""
    values = {
        "title": RECEIVED_TITLE,
        "received_on": timezone.localdate(),
        "sender_unit": sender,
        "sender_name": "" if sender else "市应急管理局",
        "sender_number": "乙安〔2026〕7号",
    }
    return incoming_register(user=clerk, unit=unit, **{**values, **fields})

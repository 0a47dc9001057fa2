"""Two units: in 甲单位 a leader, a secretary of the office, colleagues of two departments; in
乙单位 an outsider (and a secretary of that unit, who keeps nothing of 甲)."""

from dataclasses import dataclass
from datetime import datetime, time, timedelta

import pytest
from django.utils import timezone

from agenda.models import Room
from people.models import OrgUnit, Role, User
from tests.factories import UserFactory
from tests.factories.agenda import RoomFactory
from tests.factories.people import OrgUnitFactory, RoleAssignmentFactory


@dataclass
class Office:
    unit: OrgUnit
    office: OrgUnit
    workshop: OrgUnit
    staff: User
    colleague: User
    worker: User
    leader: User
    secretary: User
    unit_admin: User
    outsider: User
    other_secretary: User
    room: Room


@pytest.fixture
def office(unit_a, staff, headquarters) -> Office:
    unit_b = OrgUnitFactory(parent=headquarters, code="UB", name="乙单位", kind=OrgUnit.Kind.UNIT)
    workshop = OrgUnitFactory(
        parent=unit_a, code="UA-CJ", name="一车间", kind=OrgUnit.Kind.DEPARTMENT
    )
    other_department = OrgUnitFactory(
        parent=unit_b, code="UB-BGS", name="乙办公室", kind=OrgUnit.Kind.DEPARTMENT
    )
    department = staff.department
    secretary = UserFactory(username="mishu", name="秘书", department=department)
    RoleAssignmentFactory(user=secretary, role=Role.SECRETARY, unit=unit_a)
    unit_admin = UserFactory(username="unitadmin", name="单位管理员", department=department)
    RoleAssignmentFactory(user=unit_admin, role=Role.UNIT_ADMIN, unit=unit_a)
    other_secretary = UserFactory(username="yimishu", name="乙秘书", department=other_department)
    RoleAssignmentFactory(user=other_secretary, role=Role.SECRETARY, unit=unit_b)
    room = RoomFactory(unit=unit_a, name="第一会议室", capacity=10)
    return Office(
        unit=unit_a,
        office=department,
        workshop=workshop,
        staff=staff,
        colleague=UserFactory(username="lisi", name="李四", department=department),
        worker=UserFactory(username="wangwu", name="王五", department=workshop),
        leader=UserFactory(username="leader", name="赵总", department=department, is_leader=True),
        secretary=secretary,
        unit_admin=unit_admin,
        outsider=UserFactory(username="waiyuan", name="外单位", department=other_department),
        other_secretary=other_secretary,
        room=room,
    )


@pytest.fixture
def tomorrow_at_nine():
    day = timezone.localdate() + timedelta(days=1)
    return timezone.make_aware(datetime.combine(day, time(9)))

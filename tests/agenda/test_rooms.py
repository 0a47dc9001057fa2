"""The unit administrator's meeting rooms: created, edited, retired and put back in use, only by
an administrator of the room's unit; departments and approvers come from that unit."""

import pytest
from django.core.exceptions import PermissionDenied
from django.test import RequestFactory

from agenda import permissions, services
from agenda.models import Room
from agenda.services import AgendaError
from intranet.navigation import USER, menu
from people.models import Role
from tests.agenda.test_modules import client_for
from tests.factories.agenda import RoomFactory
from tests.factories.people import RoleAssignmentFactory, UserFactory

pytestmark = pytest.mark.django_db


def user_menu(user) -> list[str]:
    request = RequestFactory().get("/")
    request.user = user
    return [item["key"] for item in menu(request, USER)]


@pytest.fixture
def other_admin(office):
    admin = UserFactory(username="yiadmin", name="乙管理员", department=office.outsider.department)
    RoleAssignmentFactory(user=admin, role=Role.UNIT_ADMIN, unit=office.outsider.department.unit)
    return admin


def room_post(office, **changes):
    return {
        "unit": office.unit.pk,
        "name": "党委会议室",
        "location": "办公楼五楼",
        "capacity": "16",
        "equipment": "视频会议",
        "bookable_by": [office.office.pk],
        "requires_approval": "on",
        "approvers": [office.leader.pk],
        **changes,
    }


def test_the_unit_administrator_creates_edits_and_retires_a_room(office):
    admin = client_for(office.unit_admin)
    page = admin.get(f"/agenda/rooms/?unit={office.unit.pk}")
    assert page.status_code == 200 and "第一会议室" in page.content.decode()
    assert admin.get("/agenda/rooms/new/").status_code == 200
    assert admin.post("/agenda/rooms/new/", room_post(office)).status_code == 302
    room = Room.objects.get(name="党委会议室")
    assert (room.unit, room.capacity, room.requires_approval) == (office.unit, 16, True)
    assert list(room.bookable_by.all()) == [office.office]
    assert list(room.approvers.all()) == [office.leader]
    assert permissions.can_book(office.staff, room) and not permissions.can_book(
        office.worker, room
    )

    changed = room_post(office, capacity="30", bookable_by=[], requires_approval="")
    assert admin.post(f"/agenda/rooms/{room.pk}/", changed).status_code == 302
    room.refresh_from_db()
    assert room.capacity == 30 and not room.requires_approval
    assert permissions.can_book(office.worker, room)

    assert admin.post(f"/agenda/rooms/{room.pk}/active/", {"active": "0"}).status_code == 302
    room.refresh_from_db()
    assert not room.is_active and not permissions.can_book(office.staff, room)
    assert room not in permissions.bookable_rooms(office.staff)
    admin.post(f"/agenda/rooms/{room.pk}/active/", {"active": "1"})
    room.refresh_from_db()
    assert room.is_active


def test_nobody_else_administers_the_rooms(office, other_admin):
    for user in (office.staff, office.secretary, office.leader, office.outsider):
        client = client_for(user)
        assert client.get("/agenda/rooms/").status_code == 404
        assert client.get("/agenda/rooms/new/").status_code == 404
        assert client.get(f"/agenda/rooms/{office.room.pk}/").status_code == 404
        assert client.post(f"/agenda/rooms/{office.room.pk}/active/").status_code == 404
    # Another unit's administrator: its own rooms only, whatever unit the request names.
    client = client_for(other_admin)
    assert client.get(f"/agenda/rooms/{office.room.pk}/").status_code == 404
    assert (
        client.post(f"/agenda/rooms/{office.room.pk}/active/", {"active": "0"}).status_code == 404
    )
    assert "第一会议室" not in client.get(f"/agenda/rooms/?unit={office.unit.pk}").content.decode()
    client.post(f"/agenda/rooms/new/?unit={office.unit.pk}", room_post(office))
    assert not Room.objects.filter(unit=office.unit, name="党委会议室").exists()
    office.room.refresh_from_db()
    assert office.room.is_active
    for user in (office.staff, other_admin):
        with pytest.raises(PermissionDenied):
            services.room_save(user=user, unit=office.unit, name="会议室", capacity=5)
        with pytest.raises(PermissionDenied):
            services.room_set_active(user=user, room=office.room, active=False)


def test_departments_and_approvers_come_from_the_rooms_unit(office, english_messages):
    with pytest.raises(AgendaError) as refused:
        services.room_save(
            user=office.unit_admin,
            unit=office.unit,
            name="外借会议室",
            capacity=5,
            bookable_by=[office.outsider.department],
            approvers=[office.outsider],
        )
    assert set(refused.value.message_dict) == {"bookable_by", "approvers"}
    with pytest.raises(AgendaError, match="at least one approver"):
        services.room_save(
            user=office.unit_admin,
            unit=office.unit,
            room=office.room,
            name="第一会议室",
            capacity=10,
            requires_approval=True,
        )
    office.room.refresh_from_db()
    assert not office.room.requires_approval


def test_the_form_explains_in_chinese(office):
    response = client_for(office.unit_admin).post(
        "/agenda/rooms/new/", room_post(office, name="", capacity="-1", approvers=[])
    )
    page = response.content.decode()
    assert response.status_code == 200
    assert "此项为必填项。" in page and "确保该值大于或等于0。" in page
    assert "需要审批的会议室至少要有一名审批人。" not in page  # the field errors come first
    response = client_for(office.unit_admin).post(
        "/agenda/rooms/new/", room_post(office, approvers=[])
    )
    assert "需要审批的会议室至少要有一名审批人。" in response.content.decode()


def test_the_meetings_screen_and_the_user_menu_link_the_rooms_for_administrators(office):
    link = 'href="/agenda/rooms/"'
    assert link in client_for(office.unit_admin).get("/agenda/meetings/").content.decode()
    assert link not in client_for(office.staff).get("/agenda/meetings/").content.decode()
    assert "agenda-rooms" in user_menu(office.unit_admin)
    assert "agenda-rooms" not in user_menu(office.staff)


def test_the_rooms_screen_has_bounded_queries(office, django_assert_max_num_queries):
    for _room in range(10):
        room = RoomFactory(unit=office.unit, requires_approval=True)
        room.approvers.set([office.leader])
        room.bookable_by.set([office.office])
    admin = client_for(office.unit_admin)
    with django_assert_max_num_queries(20):
        assert admin.get("/agenda/rooms/").status_code == 200

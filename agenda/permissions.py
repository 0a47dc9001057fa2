"""Who may see and do what in the agenda; views, the API, the portal and the feeds ask here.

- Module switches: a unit that turned schedules or meetings off shows its people neither (menus,
  home page, URLs answer 404), and its calendars and rooms are out of everyone's reach; data stays.
- A personal calendar: its owner keeps it; readers the owner chose may read it.
- A department calendar: the department's members (primary or concurrent post) read and keep it.
- A leader's schedule: the leader reads it; the office secretaries (角色 "Office secretary") of
  the leader's unit keep it; the readers they publish it to read it.
- Rooms: the unit's administrators (people's delegated administration) create, edit and retire
  them; the unit's people book them, or only the departments the room names; approval, when the
  room requires it, is for its approvers.
- A meeting: its organizer, participants, the room's approvers and the unit's secretaries see it.
"""

from django.core.cache import cache
from django.db.models import Q, QuerySet

from core.cache import read_with_every_request, versioned_key
from people.caching import cached_for_user
from people.models import ConcurrentPost, OrgUnit, Role, User
from people.permissions import can_administer_node, holds_role_for_unit

from .models import Calendar, Meeting, Participant, Room, UnitModules

SCHEDULES = "schedules"
MEETINGS = "meetings"
MODULES_CACHE_SECONDS = 600


MODULES_VERSION_KEY = "agenda:modules-version"
read_with_every_request(MODULES_VERSION_KEY)


def _modules_version() -> int:
    return cache.get_or_set(MODULES_VERSION_KEY, 0, timeout=None)


def modules_changed() -> None:
    try:
        cache.incr(MODULES_VERSION_KEY)
    except ValueError:
        cache.set(MODULES_VERSION_KEY, 1, timeout=None)


def unit_modules(unit_id: int | None) -> dict[str, bool]:
    if unit_id is None:
        return {SCHEDULES: True, MEETINGS: True}
    key = versioned_key("agenda:modules", _modules_version(), unit_id)
    found = cache.get(key)
    if found is None:
        row = UnitModules.objects.filter(unit_id=unit_id).first()
        found = {
            SCHEDULES: row.schedules_enabled if row else True,
            MEETINGS: row.meetings_enabled if row else True,
        }
        cache.set(key, found, MODULES_CACHE_SECONDS)
    return found


def user_unit_id(user: User) -> int | None:
    """The unit of the user's department, cached (the menu and home page ask on every request)
    until the user's account or the organization changes."""
    if not user.is_authenticated or user.department_id is None:
        return None
    cached = getattr(user, "_agenda_unit_id", None)
    if cached is None:
        cached = cached_for_user(
            user,
            "agenda-unit",
            lambda: (
                (
                    OrgUnit.objects.filter(pk=user.department_id).values_list("unit_id", flat=True)
                ).first()
                or 0
            ),
        )
        user._agenda_unit_id = cached
    return cached or None


def module_enabled_for(user: User, module: str) -> bool:
    """Whether the user's own unit uses the module (menus, home page, the module's screens)."""
    return user.is_authenticated and unit_modules(user_unit_id(user))[module]


def _unit_enabled(unit_id: int, module: str) -> bool:
    return unit_modules(unit_id)[module]


def can_switch_modules(user: User, unit: OrgUnit) -> bool:
    return unit.is_unit_level and can_administer_node(user, unit)


def can_administer_rooms(user: User, unit: OrgUnit) -> bool:
    return can_switch_modules(user, unit)


def is_secretary_of(user: User, unit_id: int) -> bool:
    unit = OrgUnit(pk=unit_id)
    return holds_role_for_unit(user, Role.SECRETARY, unit)


def _is_member_of(user: User, department_id: int) -> bool:
    if user.department_id == department_id:
        return True
    return ConcurrentPost.objects.filter(user=user, department_id=department_id).exists()


def can_view_calendar(user: User, calendar: Calendar) -> bool:
    if not user.is_authenticated or not _unit_enabled(calendar.unit_id, SCHEDULES):
        return False
    if can_edit_calendar(user, calendar) or calendar.owner_id == user.pk:
        return True
    return calendar.readers.filter(pk=user.pk).exists()


def can_edit_calendar(user: User, calendar: Calendar) -> bool:
    if not user.is_authenticated or not _unit_enabled(calendar.unit_id, SCHEDULES):
        return False
    if calendar.kind == Calendar.Kind.PERSONAL:
        return calendar.owner_id == user.pk
    if calendar.kind == Calendar.Kind.DEPARTMENT:
        return _is_member_of(user, calendar.department_id)
    return is_secretary_of(user, calendar.unit_id)


def can_choose_readers(user: User, calendar: Calendar) -> bool:
    return calendar.kind != Calendar.Kind.DEPARTMENT and can_edit_calendar(user, calendar)


def visible_calendars(user: User) -> QuerySet[Calendar]:
    """Every calendar the user may read, in units that use schedules."""
    if not user.is_authenticated:
        return Calendar.objects.none()
    departments = [
        user.department_id,
        *ConcurrentPost.objects.filter(user=user).values_list("department_id", flat=True),
    ]
    secretary_units = list(
        user.role_assignments.filter(role=Role.SECRETARY, unit__isnull=False).values_list(
            "unit_id", flat=True
        )
    )
    switched_off = UnitModules.objects.filter(schedules_enabled=False).values("unit_id")
    return (
        Calendar.objects.filter(
            Q(owner=user)
            | Q(readers=user)
            | Q(kind=Calendar.Kind.DEPARTMENT, department_id__in=departments)
            | Q(kind=Calendar.Kind.LEADER, unit_id__in=secretary_units)
        )
        .exclude(unit_id__in=switched_off)
        .distinct()
    )


def can_book(user: User, room: Room) -> bool:
    if not user.is_authenticated or not room.is_active:
        return False
    if not _unit_enabled(room.unit_id, MEETINGS) or user_unit_id(user) != room.unit_id:
        return False
    allowed = list(room.bookable_by.values_list("pk", flat=True))
    return not allowed or any(_is_member_of(user, pk) for pk in allowed)


def bookable_rooms(user: User) -> list[Room]:
    unit_id = user_unit_id(user)
    if unit_id is None or not _unit_enabled(unit_id, MEETINGS):
        return []
    rooms = Room.objects.filter(unit_id=unit_id, is_active=True).prefetch_related("bookable_by")
    departments = {user.department_id} | set(
        ConcurrentPost.objects.filter(user=user).values_list("department_id", flat=True)
    )
    return [
        room
        for room in rooms
        if not room.bookable_by.all() or {d.pk for d in room.bookable_by.all()} & departments
    ]


def can_approve(user: User, meeting: Meeting) -> bool:
    return meeting.room.approvers.filter(pk=user.pk).exists()


def can_view_meeting(user: User, meeting: Meeting) -> bool:
    if not user.is_authenticated or not _unit_enabled(meeting.room.unit_id, MEETINGS):
        return False
    if meeting.organizer_id == user.pk or is_secretary_of(user, meeting.room.unit_id):
        return True
    if meeting.participants.filter(user=user).exists():
        return True
    return can_approve(user, meeting)


def can_manage_meeting(user: User, meeting: Meeting) -> bool:
    """Drafting minutes, cancelling: the organizer and the unit's office secretaries."""
    if not _unit_enabled(meeting.room.unit_id, MEETINGS):
        return False
    return meeting.organizer_id == user.pk or is_secretary_of(user, meeting.room.unit_id)


def visible_meetings(user: User) -> QuerySet[Meeting]:
    if not user.is_authenticated:
        return Meeting.objects.none()
    secretary_units = user.role_assignments.filter(role=Role.SECRETARY, unit__isnull=False).values(
        "unit_id"
    )
    switched_off = UnitModules.objects.filter(meetings_enabled=False).values("unit_id")
    return (
        Meeting.objects.filter(
            Q(organizer=user)
            | Q(pk__in=Participant.objects.filter(user=user).values("meeting_id"))
            | Q(room__approvers=user)
            | Q(room__unit_id__in=secretary_units)
        )
        .exclude(room__unit_id__in=switched_off)
        .distinct()
    )

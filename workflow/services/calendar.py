"""The group's working-day calendar: days the office declares working days or holidays over
China's official calendar (next year's announcement before `chinese_calendar` carries it, or a
day the group decides). Every deadline computed afterwards, in any process, sees the change."""

from datetime import date

from django.db import transaction
from django.utils.translation import gettext as _

from people.models import User

from .. import permissions
from ..deadlines import calendar_changed
from ..models import CalendarOverride
from .errors import DocumentError, require


@transaction.atomic
def calendar_day_set(*, user: User, day: date, is_working_day: bool, name: str) -> CalendarOverride:
    """Declare `day` a working day or not (replacing what was declared for it before)."""
    require(permissions.can_keep_calendar(user))
    name = name.strip()
    if not name:
        raise DocumentError({"name": _("Name the day, e.g. 春节 or 春节调休上班.")})
    override, _created = CalendarOverride.objects.update_or_create(
        day=day, defaults={"is_working_day": is_working_day, "name": name}
    )
    transaction.on_commit(calendar_changed)
    return override


@transaction.atomic
def calendar_day_clear(*, user: User, override: CalendarOverride) -> None:
    """Drop a declaration: the day counts as China's official calendar says again."""
    require(permissions.can_keep_calendar(user))
    override.delete()
    transaction.on_commit(calendar_changed)

from datetime import timedelta

import factory
from django.utils import timezone
from factory.django import DjangoModelFactory

from agenda.models import Calendar, Event, Room


class RoomFactory(DjangoModelFactory):
    class Meta:
        model = Room
        skip_postgeneration_save = True

    name = factory.Sequence(lambda n: f"第{n}会议室")
    location = "办公楼三楼"
    capacity = 20
    equipment = "投影仪、视频会议"


class EventFactory(DjangoModelFactory):
    class Meta:
        model = Event

    title = factory.Sequence(lambda n: f"日程{n}")
    starts_at = factory.LazyFunction(lambda: timezone.now().replace(microsecond=0))
    ends_at = factory.LazyAttribute(lambda event: event.starts_at + timedelta(hours=1))


def personal_calendar(user) -> Calendar:
    return Calendar.objects.create(
        kind=Calendar.Kind.PERSONAL,
        owner=user,
        name=f"{user.name}的日程",
        unit_id=user.department.unit_id,
    )

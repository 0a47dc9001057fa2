"""Schedules (日程), meeting rooms and meetings (会议), and each unit's module switches."""

import secrets
import uuid

from django.conf import settings
from django.db import models
from django.db.models import F, Q
from django.utils.translation import gettext_lazy as _


class UnitModules(models.Model):
    """Which agenda modules a unit uses; a unit without a row uses both."""

    unit = models.OneToOneField(
        "people.OrgUnit",
        verbose_name=_("unit"),
        on_delete=models.CASCADE,
        related_name="agenda_modules",
    )
    schedules_enabled = models.BooleanField(_("schedules"), default=True)
    meetings_enabled = models.BooleanField(_("meetings"), default=True)

    class Meta:
        verbose_name = _("unit modules")
        verbose_name_plural = _("unit modules")

    def __str__(self):
        return str(self.unit)


def new_feed_token() -> str:
    return secrets.token_urlsafe(32)


class Calendar(models.Model):
    class Kind(models.TextChoices):
        PERSONAL = "personal", _("Personal calendar")
        DEPARTMENT = "department", _("Department calendar")
        LEADER = "leader", _("Leader's schedule")

    kind = models.CharField(_("kind"), max_length=16, choices=Kind.choices)
    name = models.CharField(_("name"), max_length=100)
    # The person whose calendar it is (personal and leader's schedules).
    owner = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("owner"),
        on_delete=models.CASCADE,
        related_name="agenda_calendars",
        null=True,
        blank=True,
    )
    # The department sharing it (department calendars).
    department = models.ForeignKey(
        "people.OrgUnit",
        verbose_name=_("department"),
        on_delete=models.CASCADE,
        related_name="agenda_calendars",
        null=True,
        blank=True,
    )
    # The unit whose module switch and office it belongs to.
    unit = models.ForeignKey(
        "people.OrgUnit",
        verbose_name=_("unit"),
        on_delete=models.PROTECT,
        related_name="+",
    )
    readers = models.ManyToManyField(
        settings.AUTH_USER_MODEL,
        verbose_name=_("readers"),
        related_name="agenda_readable_calendars",
        blank=True,
    )
    feed_token = models.CharField(
        _("feed token"), max_length=64, unique=True, null=True, blank=True
    )

    class Meta:
        verbose_name = _("calendar")
        verbose_name_plural = _("calendars")
        constraints = [
            models.CheckConstraint(
                condition=(Q(kind="department") & Q(department__isnull=False))
                | (Q(kind__in=["personal", "leader"]) & Q(owner__isnull=False)),
                name="agenda_calendar_has_holder",
            ),
            models.UniqueConstraint(
                fields=["kind", "owner"],
                condition=Q(owner__isnull=False),
                name="agenda_calendar_one_per_owner_and_kind",
            ),
            models.UniqueConstraint(
                fields=["department"],
                condition=Q(kind="department"),
                name="agenda_calendar_one_per_department",
            ),
        ]

    def __str__(self):
        return self.name


class Event(models.Model):
    calendar = models.ForeignKey(
        Calendar, verbose_name=_("calendar"), on_delete=models.CASCADE, related_name="events"
    )
    uid = models.CharField(_("UID"), max_length=255, default=uuid.uuid4)
    title = models.CharField(_("title"), max_length=200)
    location = models.CharField(_("location"), max_length=200, blank=True)
    description = models.TextField(_("description"), blank=True)
    starts_at = models.DateTimeField(_("starts at"))
    ends_at = models.DateTimeField(_("ends at"))
    all_day = models.BooleanField(_("all day"), default=False)
    recurrence = models.CharField(
        _("recurrence"),
        max_length=255,
        blank=True,
        help_text=_("An iCalendar RRULE, e.g. FREQ=WEEKLY;BYDAY=MO."),
    )
    # The end of the last occurrence (unset while the series never ends), so a window's query
    # finds series without expanding them.
    recurrence_ends_at = models.DateTimeField(null=True, blank=True)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("created by"),
        on_delete=models.SET_NULL,
        null=True,
        related_name="+",
    )

    class Meta:
        verbose_name = _("event")
        verbose_name_plural = _("events")
        ordering = ["starts_at", "pk"]
        indexes = [models.Index(fields=["calendar", "starts_at"])]
        constraints = [
            models.CheckConstraint(
                condition=Q(ends_at__gte=F("starts_at")),
                name="agenda_event_ends_after_start",
                violation_error_message=_("The event ends before it starts."),
            ),
            models.UniqueConstraint(fields=["calendar", "uid"], name="agenda_event_unique_uid"),
        ]

    def __str__(self):
        return self.title


class Room(models.Model):
    unit = models.ForeignKey(
        "people.OrgUnit", verbose_name=_("unit"), on_delete=models.PROTECT, related_name="+"
    )
    name = models.CharField(_("name"), max_length=100)
    location = models.CharField(_("location"), max_length=200, blank=True)
    capacity = models.PositiveIntegerField(_("capacity"))
    equipment = models.CharField(_("equipment"), max_length=200, blank=True)
    requires_approval = models.BooleanField(_("requires approval"), default=False)
    # Departments whose members may book; none means everyone of the unit.
    bookable_by = models.ManyToManyField(
        "people.OrgUnit", verbose_name=_("may be booked by"), related_name="+", blank=True
    )
    approvers = models.ManyToManyField(
        settings.AUTH_USER_MODEL, verbose_name=_("approvers"), related_name="+", blank=True
    )
    is_active = models.BooleanField(_("in use"), default=True)

    class Meta:
        verbose_name = _("meeting room")
        verbose_name_plural = _("meeting rooms")
        ordering = ["unit", "name"]

    def __str__(self):
        return self.name


class Meeting(models.Model):
    """A booking of a room and the meeting held in it.

    On PostgreSQL an exclusion constraint (migration 0002) refuses two holding meetings of one
    room whose times overlap; SQLite's IMMEDIATE transactions serialise the service's check."""

    class Status(models.TextChoices):
        PENDING = "pending", _("Awaiting approval")
        CONFIRMED = "confirmed", _("Confirmed")
        REJECTED = "rejected", _("Rejected")
        CANCELLED = "cancelled", _("Cancelled")

    HOLDING = (Status.PENDING, Status.CONFIRMED)

    room = models.ForeignKey(
        Room, verbose_name=_("meeting room"), on_delete=models.PROTECT, related_name="meetings"
    )
    title = models.CharField(_("title"), max_length=200)
    agenda = models.TextField(_("agenda"), blank=True)
    organizer = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("organizer"),
        on_delete=models.PROTECT,
        related_name="organized_meetings",
    )
    starts_at = models.DateTimeField(_("starts at"))
    ends_at = models.DateTimeField(_("ends at"))
    status = models.CharField(_("status"), max_length=16, choices=Status.choices)
    minutes = models.ForeignKey(
        "workflow.OutgoingDocument",
        verbose_name=_("minutes"),
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
    )
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        verbose_name = _("meeting")
        verbose_name_plural = _("meetings")
        ordering = ["starts_at", "pk"]
        indexes = [models.Index(fields=["room", "starts_at"])]
        constraints = [
            models.CheckConstraint(
                condition=Q(ends_at__gt=F("starts_at")),
                name="agenda_meeting_ends_after_start",
                violation_error_message=_("The meeting ends before it starts."),
            ),
        ]

    def __str__(self):
        return self.title


class Participant(models.Model):
    class Role(models.TextChoices):
        ATTENDEE = "attendee", _("Attendee")
        OBSERVER = "observer", _("Observer (列席)")

    class Reply(models.TextChoices):
        PENDING = "pending", _("No reply yet")
        ACCEPTED = "accepted", _("Accepted")
        DECLINED = "declined", _("Declined")
        DELEGATED = "delegated", _("Delegated")

    meeting = models.ForeignKey(
        Meeting, verbose_name=_("meeting"), on_delete=models.CASCADE, related_name="participants"
    )
    user = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("participant"),
        on_delete=models.CASCADE,
        related_name="meeting_invitations",
    )
    role = models.CharField(_("role"), max_length=16, choices=Role.choices, default=Role.ATTENDEE)
    reply = models.CharField(
        _("reply"), max_length=16, choices=Reply.choices, default=Reply.PENDING
    )
    delegated_from = models.ForeignKey(
        "self",
        verbose_name=_("on behalf of"),
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
    )
    replied_at = models.DateTimeField(null=True, blank=True)
    signed_in_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        verbose_name = _("participant")
        verbose_name_plural = _("participants")
        constraints = [
            models.UniqueConstraint(fields=["meeting", "user"], name="agenda_participant_once"),
        ]

    def __str__(self):
        return f"{self.meeting} · {self.user}"

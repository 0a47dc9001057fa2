"""The daily rollup of usage figures per unit (应用情况统计), and the monthly bulletins (通报).

The rollup holds one row per (Beijing day, unit, figure); `stats.rollup` rewrites a day's rows
from the sources, so re-running it for any range gives the same rows. Figures that do not add up
across days keep what is needed to combine them: the users active on each day (for the distinct
active users of a period) and each finished task's duration (for percentiles of a period).
"""

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _


class Figure(models.TextChoices):
    LOGINS = "logins", _("Logins")
    DOCUMENTS_SENT = "documents_sent", _("Documents sent")
    DOCUMENTS_RECEIVED = "documents_received", _("Documents received")
    DOCUMENTS_CANCELLED = "documents_cancelled", _("Documents cancelled")
    TASKS_FINISHED = "tasks_finished", _("Steps handled")
    TASKS_OVERDUE = "tasks_overdue", _("Steps handled after the deadline")
    NOTICES_PUBLISHED = "notices_published", _("Notices published")
    NOTICE_AUDIENCE = "notice_audience", _("Notice recipients")
    NOTICE_READS = "notice_reads", _("Notice reads within a week")
    KNOWLEDGE_ADDED = "knowledge_added", _("Knowledge items added")
    KNOWLEDGE_REVIEWED = "knowledge_reviewed", _("Knowledge items reviewed")
    KNOWLEDGE_REVIEWED_ON_TIME = "knowledge_reviewed_on_time", _("Knowledge reviews on time")
    KNOWLEDGE_REVIEWS_OVERDUE = "knowledge_reviews_overdue", _("Overdue knowledge reviews")
    SEARCHES = "searches", _("Searches")
    SEARCHES_WITHOUT_RESULTS = "searches_without_results", _("Searches without results")


# Looked up for every cell of the tables: `Figure.values` builds a new list on each call.
FIGURE_KEYS = frozenset(Figure.values)


class UnitDayFigure(models.Model):
    day = models.DateField(_("day"))
    unit = models.ForeignKey(
        "people.OrgUnit", verbose_name=_("unit"), on_delete=models.CASCADE, related_name="+"
    )
    figure = models.CharField(_("figure"), max_length=40, choices=Figure.choices)
    value = models.BigIntegerField(_("value"), default=0)

    class Meta:
        verbose_name = _("daily figure")
        verbose_name_plural = _("daily figures")
        constraints = [
            models.UniqueConstraint(fields=["day", "unit", "figure"], name="stats_figure_unique")
        ]

    def __str__(self):
        return f"{self.day} {self.unit_id} {self.figure}={self.value}"


class ActiveUserDay(models.Model):
    """That a user of the unit signed in on the day (for distinct active users of a period)."""

    day = models.DateField(_("day"))
    unit = models.ForeignKey(
        "people.OrgUnit", verbose_name=_("unit"), on_delete=models.CASCADE, related_name="+"
    )
    user = models.ForeignKey(
        settings.AUTH_USER_MODEL, verbose_name=_("user"), on_delete=models.CASCADE, related_name="+"
    )

    class Meta:
        verbose_name = _("active user on a day")
        verbose_name_plural = _("active users on days")
        constraints = [
            models.UniqueConstraint(fields=["day", "user"], name="stats_active_user_unique")
        ]
        indexes = [models.Index(fields=["day", "unit"], name="stats_active_day_unit")]

    def __str__(self):
        return f"{self.day} {self.user_id}"


class ActiveUserMonth(models.Model):
    """The days of a month a user of the unit signed in, one bit a day (bit 0 the 1st), rolled
    up from `ActiveUserDay`: a period's distinct active users are counted over a row per user and
    month, the month's bits masked to the period's days, instead of a row per user and day."""

    month = models.DateField(_("month"), help_text=_("The first day of the month."))
    unit = models.ForeignKey(
        "people.OrgUnit", verbose_name=_("unit"), on_delete=models.CASCADE, related_name="+"
    )
    user = models.ForeignKey(
        settings.AUTH_USER_MODEL, verbose_name=_("user"), on_delete=models.CASCADE, related_name="+"
    )
    days = models.PositiveIntegerField(_("days"))

    class Meta:
        verbose_name = _("active user in a month")
        verbose_name_plural = _("active users in months")
        constraints = [
            models.UniqueConstraint(
                fields=["month", "unit", "user"], name="stats_active_month_unique"
            )
        ]

    def __str__(self):
        return f"{self.month:%Y-%m} {self.user_id} {self.days:b}"


class StepTurnaroundDay(models.Model):
    """The durations (seconds, task created → finished) of a step's tasks finished on the day."""

    day = models.DateField(_("day"))
    unit = models.ForeignKey(
        "people.OrgUnit", verbose_name=_("unit"), on_delete=models.CASCADE, related_name="+"
    )
    flow = models.CharField(_("flow"), max_length=20)
    step = models.CharField(_("step"), max_length=30)
    durations = models.JSONField(_("durations"), default=list)
    # The count and sum of the durations, so that means over many units need no list.
    count = models.PositiveIntegerField(_("count"), default=0)
    total_seconds = models.BigIntegerField(_("total seconds"), default=0)

    class Meta:
        verbose_name = _("step turnaround on a day")
        verbose_name_plural = _("step turnarounds on days")
        constraints = [
            models.UniqueConstraint(
                fields=["day", "unit", "flow", "step"], name="stats_turnaround_unique"
            )
        ]

    def __str__(self):
        return f"{self.day} {self.unit_id} {self.flow}.{self.step}"


class MonthlyBulletin(models.Model):
    """The monthly bulletin (通报) ranking the units, as a PDF the office may publish."""

    month = models.DateField(_("month"), unique=True, help_text=_("The first day of the month."))
    pdf = models.FileField(_("PDF"), upload_to="stats/bulletins/")
    generated_at = models.DateTimeField(_("generated at"), auto_now=True)
    generated_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("generated by"),
        on_delete=models.SET_NULL,
        related_name="+",
        null=True,
        blank=True,
    )

    class Meta:
        verbose_name = _("monthly bulletin")
        verbose_name_plural = _("monthly bulletins")
        ordering = ["-month"]

    def __str__(self):
        return f"{self.month:%Y-%m}"


class RolledDay(models.Model):
    """That a day's figures are in the rollup, and when they were last rolled up."""

    day = models.DateField(_("day"), unique=True)
    rolled_at = models.DateTimeField(_("rolled up at"), auto_now=True)

    class Meta:
        verbose_name = _("rolled-up day")
        verbose_name_plural = _("rolled-up days")
        ordering = ["-day"]

    def __str__(self):
        return self.day.isoformat()

"""Filling the rollup, and the bulletin: the state changes of the statistics."""

from datetime import date, timedelta

from django.core.files.base import ContentFile
from django.db import transaction
from django.db.models import IntegerField, Sum, Value
from django.db.models.functions import Cast, ExtractDay
from django.utils.html import escape
from django.utils.translation import gettext as _

from home.services import notice_draft_create

from .models import (
    ActiveUserDay,
    ActiveUserMonth,
    MonthlyBulletin,
    RolledDay,
    StepTurnaroundDay,
    UnitDayFigure,
)
from .periods import Period, beijing_today, month_period
from .selectors import headquarters
from .sources import READ_WINDOW, day_figures


@transaction.atomic
def rollup_day(day: date) -> None:
    """Replace the day's rows with what the sources say now: re-running it changes nothing."""
    figures = day_figures(day)
    UnitDayFigure.objects.filter(day=day).delete()
    ActiveUserDay.objects.filter(day=day).delete()
    StepTurnaroundDay.objects.filter(day=day).delete()
    UnitDayFigure.objects.bulk_create(
        UnitDayFigure(day=day, unit_id=unit_id, figure=figure, value=value)
        for (unit_id, figure), value in figures.values.items()
    )
    ActiveUserDay.objects.bulk_create(
        ActiveUserDay(day=day, unit_id=unit_id, user_id=user_id)
        for unit_id, user_id in figures.active_users
    )
    _active_user_month_rebuild(day)
    StepTurnaroundDay.objects.bulk_create(
        StepTurnaroundDay(
            day=day,
            unit_id=unit_id,
            flow=flow,
            step=step,
            durations=durations,
            count=len(durations),
            total_seconds=sum(durations),
        )
        for (unit_id, flow, step), durations in figures.durations.items()
    )
    RolledDay.objects.update_or_create(day=day)


def _active_user_month_rebuild(day: date) -> None:
    """Rewrite the day's month in `ActiveUserMonth` from that month's `ActiveUserDay` rows."""
    month = day.replace(day=1)
    ActiveUserMonth.objects.filter(month=month).delete()
    # PostgreSQL's EXTRACT gives a numeric, which it will not shift by.
    day_of_month = Cast(ExtractDay("day"), IntegerField())
    one_bit_a_day = Sum(Value(1).bitleftshift(day_of_month - 1))
    ActiveUserMonth.objects.bulk_create(
        ActiveUserMonth(month=month, unit_id=unit_id, user_id=user_id, days=days)
        for unit_id, user_id, days in ActiveUserDay.objects.filter(
            day__gte=month, day__lte=month_period(month.year, month.month).end
        )
        .values_list("unit_id", "user_id")
        .annotate(days=one_bit_a_day)
    )


def rollup_range(start: date, end: date) -> int:
    """Roll up every day of [start, end], each in its own transaction; the number of days."""
    days = 0
    day = start
    while day <= end:
        rollup_day(day)
        day += timedelta(days=1)
        days += 1
    return days


def rollup_pending(today: date | None = None) -> int:
    """The background task's work: every day after the last rolled-up one up to yesterday, and
    again the days whose notices may still collect reads inside their first week."""
    yesterday = (today or beijing_today()) - timedelta(days=1)
    start = yesterday - READ_WINDOW
    last = RolledDay.objects.order_by("-day").values_list("day", flat=True).first()
    if last is not None and last + timedelta(days=1) < start:
        start = last + timedelta(days=1)
    return rollup_range(start, yesterday)


@transaction.atomic
def bulletin_generate(period: Period, *, user=None) -> MonthlyBulletin:
    """Render the month's bulletin and keep it (replacing an earlier one of the same month)."""
    from .bulletin import bulletin_pdf

    content = bulletin_pdf(period)
    bulletin, _created = MonthlyBulletin.objects.select_for_update().get_or_create(
        month=period.start, defaults={"generated_by": user}
    )
    if bulletin.pdf:
        bulletin.pdf.delete(save=False)
    bulletin.generated_by = user
    bulletin.pdf.save(f"bulletin-{period.start:%Y-%m}.pdf", ContentFile(content), save=False)
    bulletin.save()
    return bulletin


def bulletin_notice_draft(bulletin: MonthlyBulletin, *, user):
    """Hand the bulletin to the notices column as a draft notice with the PDF attached."""
    month = f"{bulletin.month:%Y-%m}"
    title = _("Usage of the intranet in %(month)s") % {"month": month}
    body = _("The usage bulletin of %(month)s is attached.") % {"month": month}
    bulletin.pdf.open("rb")
    try:
        content = bulletin.pdf.read()
    finally:
        bulletin.pdf.close()
    return notice_draft_create(
        title=title,
        body_html=f"<p>{escape(body)}</p>",
        attachment_name=f"bulletin-{month}.pdf",
        attachment_content=content,
        issuing_department=user.department or headquarters(),
        user=user,
    )

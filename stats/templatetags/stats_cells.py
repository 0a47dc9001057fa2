"""How a drill-down list shows its cells: instants in Beijing time to the minute, days as dates,
nothing as a dash."""

from datetime import date, datetime

from django import template
from django.utils import timezone

register = template.Library()


@register.filter
def stats_cell(value):
    if value is None:
        return "—"
    if isinstance(value, datetime):
        return f"{timezone.localtime(value):%Y-%m-%d %H:%M}"
    if isinstance(value, date):
        return value.isoformat()
    return value

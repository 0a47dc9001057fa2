from django.db.models.signals import post_delete, post_save
from django.dispatch import receiver
from viewflow.workflow.models import Task

from intranet.portal import panel_changed

from .deadlines import calendar_changed
from .models import CalendarOverride, CirculationReader, Delegation, Document, OutgoingDocument
from .portal import PENDING_TASKS_PANEL


@receiver([post_save, post_delete], sender=Task)
@receiver([post_save, post_delete], sender=Delegation)
# The home page's to-do panel shows each task's document title and urgency.
@receiver(post_save, sender=OutgoingDocument)
# …and which are overdue by their deadline, and what waits to be read (待阅).
@receiver(post_save, sender=Document)
@receiver([post_save, post_delete], sender=CirculationReader)
def forget_cached_task_list(sender, **kwargs):
    panel_changed(PENDING_TASKS_PANEL)


@receiver([post_save, post_delete], sender=CalendarOverride)
def forget_cached_calendar(sender, **kwargs):
    calendar_changed()

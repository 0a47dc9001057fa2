from django.db.models.signals import post_delete, post_save
from django.dispatch import receiver
from viewflow.workflow.models import Task

from intranet.portal import panel_changed

from .models import Delegation, OutgoingDocument
from .portal import PENDING_TASKS_PANEL
from .selectors import forget_pending_task_counts


@receiver([post_save, post_delete], sender=Task)
@receiver([post_save, post_delete], sender=Delegation)
def forget_cached_task_counts(sender, **kwargs):
    forget_pending_task_counts()
    panel_changed(PENDING_TASKS_PANEL)


@receiver(post_save, sender=OutgoingDocument)
def forget_cached_task_list(sender, **kwargs):
    # The home page's to-do panel shows each task's document title and urgency.
    panel_changed(PENDING_TASKS_PANEL)

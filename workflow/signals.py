from django.db.models.signals import post_delete, post_save
from django.dispatch import receiver
from viewflow.workflow.models import Task

from .models import Delegation
from .selectors import forget_pending_task_counts


@receiver([post_save, post_delete], sender=Task)
@receiver([post_save, post_delete], sender=Delegation)
def forget_cached_task_counts(sender, **kwargs):
    forget_pending_task_counts()

"""The supervision panel of a document page (督办/催办): whether it is supervised and how it
stands, and what the signed-in user may do (supervise, report progress, urge an owner)."""

from django import template

from .. import permissions, supervision
from ..models import Supervision

register = template.Library()


@register.inclusion_tag("workflow/supervision/panel.html", takes_context=True)
def supervision_panel(context, document):
    user = context["request"].user
    tasks = list(supervision.tasks_of_document(document))
    watch = Supervision.objects.filter(document_id=document.pk).select_related("started_by").first()
    lead = supervision.lead_department(document, tasks) if watch else None
    return {
        "document": document,
        "deadline": document.deadline,
        "watch": watch,
        "open_tasks": tasks,
        "may_supervise": bool(tasks)
        and watch is None
        and permissions.can_supervise(user, document),
        "may_report": bool(tasks)
        and watch is not None
        and permissions.can_report_progress(user, lead),
        "may_urge": bool(tasks) and permissions.can_urge(user, document),
    }

from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _

from core.page_cache import cacheable_pages


class WorkflowConfig(AppConfig):
    name = "workflow"
    verbose_name = _("Official documents")

    def ready(self):
        from . import signals  # noqa: F401

        # The lists a clerk returns to after each step, a document and a task's screen.
        cacheable_pages(
            "gongwen:todo", "gongwen:done", "workflow:documents:document", "workflow:*:execute"
        )

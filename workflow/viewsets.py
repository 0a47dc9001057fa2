"""The viewflow site where documents are handled; flows register here as they are built."""

from django.urls import path
from django.utils.translation import gettext_lazy as _
from django.views.generic import RedirectView
from viewflow.urls import Site
from viewflow.workflow.flow.viewset import WorkflowAppViewset


class DocumentWorkApp(WorkflowAppViewset):
    app_name = "documents"
    title = _("Document handling")
    icon = "assignment"

    @property
    def index_path(self):
        return path("", RedirectView.as_view(pattern_name="workflow:documents:inbox"), name="index")

    def has_view_permission(self, user, obj=None):
        # Every employee may draft and handle documents; the lists only show their own tasks.
        return user.is_authenticated and user.is_active


class DocumentSite(Site):
    app_name = "workflow"


site = DocumentSite(
    title=_("Document handling"),
    viewsets=[DocumentWorkApp(flow_viewsets=[])],
)

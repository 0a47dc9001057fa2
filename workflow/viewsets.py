"""The viewflow site where documents are handled; flows register here as they are built."""

from django.core.exceptions import PermissionDenied
from django.shortcuts import get_object_or_404
from django.urls import path, reverse
from django.utils.translation import gettext_lazy as _
from django.views.generic import RedirectView
from viewflow.urls import Site
from viewflow.workflow.flow.views import FlowChartView
from viewflow.workflow.flow.viewset import FlowViewset, WorkflowAppViewset

from . import permissions, views
from .flows import OutgoingFlow
from .models import OutgoingProcess


class DocumentWorkApp(WorkflowAppViewset):
    app_name = "documents"
    title = _("Document handling")
    icon = "assignment"

    @property
    def index_path(self):
        return path("", RedirectView.as_view(pattern_name="gongwen:todo"), name="index")

    document_create_path = path("new/", views.DocumentCreateView.as_view(), name="document_create")
    document_path = path("document/<id:pk>/", views.DocumentDetailView.as_view(), name="document")
    document_edit_path = path(
        "document/<id:pk>/edit/", views.DocumentEditView.as_view(), name="document_edit"
    )
    document_withdraw_path = path(
        "document/<id:pk>/withdraw/<id:task_pk>/",
        views.WithdrawView.as_view(),
        name="document_withdraw",
    )
    attachment_download_path = path(
        "document/<id:pk>/attachments/<id:attachment_pk>/",
        views.AttachmentDownloadView.as_view(),
        name="attachment_download",
    )
    pdf_download_path = path(
        "document/<id:pk>/pdf/", views.PdfDownloadView.as_view(), name="pdf_download"
    )
    body_download_path = path(
        "document/<id:pk>/body/", views.BodyDownloadView.as_view(), name="body_download"
    )
    delegations_path = path("delegations/", views.DelegationsView.as_view(), name="delegations")

    def has_view_permission(self, user, obj=None):
        # Every employee may draft and handle documents; the lists only show their own tasks.
        return user.is_authenticated and user.is_active


class ProcessChartView(FlowChartView):
    """The flow graph; with a process, only for those who may see its document."""

    def dispatch(self, request, *args, **kwargs):
        process_pk = kwargs.get("process_pk")
        if process_pk is not None:
            process = get_object_or_404(OutgoingProcess, pk=process_pk)
            if not permissions.can_view_document(request.user, process.document):
                raise PermissionDenied
        return super().dispatch(request, *args, **kwargs)


class ProcessDocumentRedirect(RedirectView):
    """A process is shown as its document's processing form."""

    def get_redirect_url(self, *args, process_pk, **kwargs):
        process = get_object_or_404(OutgoingProcess, pk=process_pk)
        return reverse("workflow:documents:document", args=[process.document_id])


class OutgoingFlowViewset(FlowViewset):
    # Cancelling goes through `services.process_cancel`, which voids the number and traces it.
    process_cancel_path = None
    # Viewflow's dashboards list every process and task of the flow; our lists are per user.
    process_list_path = None
    task_list_path = None
    chart_view_class = ProcessChartView

    @property
    def process_detail_path(self):
        return path("<id:process_pk>/", ProcessDocumentRedirect.as_view(), name="process_detail")

    @property
    def index_path(self):
        return path("", RedirectView.as_view(pattern_name="gongwen:todo"), name="index")


class DocumentSite(Site):
    app_name = "workflow"


site = DocumentSite(
    title=_("Document handling"),
    viewsets=[
        DocumentWorkApp(flow_viewsets=[OutgoingFlowViewset(OutgoingFlow, icon="description")])
    ],
)

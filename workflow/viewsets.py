"""The viewflow site where documents are handled; flows register here as they are built.

Only the project's screens are routed: viewflow's generic inbox, queue, archive, bulk
(un)assign, process and task lists, process cancel and task screens are switched off here and
in `nodes`, because they change or list tasks without the services' permission checks and
trace. `tests/workflow/screens/test_routing.py` holds every view under /workflow/ to that rule."""

from django.urls import path
from django.utils.translation import gettext_lazy as _
from django.views.generic import RedirectView
from viewflow.urls import Site
from viewflow.workflow.flow.views import FlowChartView
from viewflow.workflow.flow.viewset import FlowViewset, WorkflowAppViewset

from . import selectors, views
from .flows import IncomingFlow, OutgoingFlow
from .views import incoming


class ToDoListRedirect(RedirectView):
    pattern_name = "gongwen:todo"


class DocumentWorkApp(WorkflowAppViewset):
    app_name = "documents"
    title = _("Document handling")
    icon = "assignment"
    menu_template_name = "workflow/includes/menu.html"
    # The intranet's own lists (to-do, done, drafts) replace viewflow's, which list every unit's
    # tasks and let anyone release or claim them.
    inbox_path = None
    queue_path = None
    archive_path = None
    tasks_assign_path = None
    tasks_unassign_path = None

    @property
    def index_path(self):
        return path("", ToDoListRedirect.as_view(), name="index")

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
    incoming_document_path = path(
        "incoming/<id:pk>/", incoming.IncomingDocumentView.as_view(), name="incoming_document"
    )
    incoming_withdraw_path = path(
        "incoming/<id:pk>/withdraw/<id:task_pk>/",
        incoming.IncomingWithdrawView.as_view(),
        name="incoming_withdraw",
    )
    incoming_reply_path = path(
        "incoming/<id:pk>/reply/<id:task_pk>/",
        incoming.ReplyDraftView.as_view(),
        name="incoming_reply",
    )

    def has_view_permission(self, user, obj=None):
        # Every employee may draft and handle documents; the lists only show their own tasks.
        return user.is_authenticated and user.is_active


class ProcessChartView(FlowChartView):
    """The flow graph; with a process, only for those who may see its document (404 otherwise)."""

    def dispatch(self, request, *args, **kwargs):
        process_pk = kwargs.get("process_pk")
        if process_pk is not None:
            views.visible_process_document(request, process_pk)
        return super().dispatch(request, *args, **kwargs)


class ProcessDocumentRedirect(RedirectView):
    """A process is shown as its document's processing form (404 to those who may not see it)."""

    def get_redirect_url(self, *args, process_pk, **kwargs):
        return selectors.document_url(views.visible_process_document(self.request, process_pk))


class DocumentFlowViewset(FlowViewset):
    # Cancelling goes through the services (`process_cancel`, `incoming_cancel`), which trace it.
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
        return path("", ToDoListRedirect.as_view(), name="index")


class DocumentSite(Site):
    app_name = "workflow"

    @property
    def index_path(self):
        return path("", ToDoListRedirect.as_view(), name="index")


site = DocumentSite(
    title=_("Document handling"),
    viewsets=[
        DocumentWorkApp(
            flow_viewsets=[
                DocumentFlowViewset(OutgoingFlow, icon="description"),
                DocumentFlowViewset(IncomingFlow, icon="move_to_inbox"),
            ]
        )
    ],
)

"""The outgoing-document lists and the process administrator's screens (namespace "gongwen",
included at /workflow/ before the viewflow site, whose paths start with documents/)."""

from django.urls import path

from .views import admin, exchange, lists

app_name = "gongwen"
urlpatterns = [
    path("outgoing/drafts/", lists.DraftListView.as_view(), name="drafts"),
    path(
        "outgoing/drafts/<id:pk>/discard/", lists.DraftDiscardView.as_view(), name="draft_discard"
    ),
    path("outgoing/todo/", lists.TaskListView.as_view(), name="todo"),
    path("outgoing/done/", lists.TaskListView.as_view(done=True), name="done"),
    path("outgoing/register/", lists.RegisterIndexView.as_view(), name="register_index"),
    path("outgoing/register/<id:unit_pk>/", lists.RegisterView.as_view(), name="register"),
    path(
        "outgoing/register/<id:unit_pk>/export.xlsx",
        lists.RegisterExportView.as_view(),
        name="register_export",
    ),
    path("outgoing/admin/", admin.ProcessAdminIndexView.as_view(), name="process_admin"),
    path("outgoing/admin/<id:unit_pk>/", admin.RunningProcessesView.as_view(), name="processes"),
    path(
        "outgoing/admin/tasks/<id:task_pk>/reassign/",
        admin.TaskReassignView.as_view(),
        name="task_reassign",
    ),
    path(
        "outgoing/admin/documents/<id:document_pk>/cancel/",
        admin.ProcessCancelView.as_view(),
        name="process_cancel",
    ),
]

# The electronic exchange (待签收, sign-for, refusal, resend, 办结) and paper registration.
urlpatterns += [
    path("exchange/deliveries/", exchange.DeliveryInboxView.as_view(), name="deliveries"),
    path("exchange/deliveries/<id:pk>/", exchange.DeliveryDetailView.as_view(), name="delivery"),
    path(
        "exchange/deliveries/<id:pk>/pdf/",
        exchange.DeliveryPdfView.as_view(),
        name="delivery_pdf",
    ),
    path(
        "exchange/deliveries/<id:pk>/attachments/<id:attachment_pk>/",
        exchange.DeliveryAttachmentView.as_view(),
        name="delivery_attachment",
    ),
    path(
        "exchange/deliveries/<id:pk>/sign-for/",
        exchange.DeliverySignForView.as_view(),
        name="delivery_sign_for",
    ),
    path(
        "exchange/deliveries/<id:pk>/refuse/",
        exchange.DeliveryRefuseView.as_view(),
        name="delivery_refuse",
    ),
    path(
        "exchange/deliveries/<id:pk>/resend/",
        exchange.DeliveryResendView.as_view(),
        name="delivery_resend",
    ),
    path(
        "outgoing/documents/<id:pk>/close/",
        exchange.OutgoingCloseView.as_view(),
        name="outgoing_close",
    ),
    path("incoming/paper/", exchange.PaperRegistrationView.as_view(), name="paper_register"),
    path(
        "incoming/registered/<id:pk>/",
        exchange.IncomingRegisteredView.as_view(),
        name="incoming_registered",
    ),
    path(
        "incoming/registered/<id:pk>/scan/",
        exchange.IncomingScanView.as_view(),
        name="incoming_scan",
    ),
    path(
        "incoming/registered/<id:pk>/attachments/<id:attachment_pk>/",
        exchange.IncomingAttachmentView.as_view(),
        name="incoming_attachment",
    ),
    path(
        "incoming/registered/<id:pk>/read-again/",
        exchange.ScanReadAgainView.as_view(),
        name="scan_read_again",
    ),
]

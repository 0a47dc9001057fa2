"""The outgoing-document lists, the process administrator's screens, circulation (传阅) and the
printed processing forms (namespace "gongwen", included at /workflow/ before the viewflow site,
whose paths start with documents/)."""

from django.urls import path

from .views import (
    admin,
    calendar,
    circulation,
    exchange,
    incoming_register,
    lists,
    printing,
    supervision,
)

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
    path("outgoing/<id:pk>/print/", printing.OutgoingPrintView.as_view(), name="outgoing_print"),
    path(
        "outgoing/<id:pk>/form.pdf",
        printing.OutgoingFormPdfView.as_view(),
        name="outgoing_form_pdf",
    ),
    path("incoming/<id:pk>/form/", printing.IncomingFormView.as_view(), name="incoming_form"),
    path(
        "incoming/<id:pk>/form.pdf",
        printing.IncomingFormPdfView.as_view(),
        name="incoming_form_pdf",
    ),
    path("circulation/", circulation.CirculationListView.as_view(), name="circulation_unread"),
    path(
        "circulation/read/",
        circulation.CirculationListView.as_view(read=True),
        name="circulation_read",
    ),
    path(
        "circulation/document/<id:pk>/",
        circulation.CirculateView.as_view(),
        name="circulate",
    ),
    path(
        "circulation/receipts/<id:receipt_pk>/sign/",
        circulation.CirculationReadView.as_view(),
        name="circulation_sign",
    ),
    path(
        "circulation/<id:circulation_pk>/remind/",
        circulation.CirculationRemindView.as_view(),
        name="circulation_remind",
    ),
    path("outgoing/admin/", admin.ProcessAdminIndexView.as_view(), name="process_admin"),
    path("calendar/", calendar.CalendarView.as_view(), name="calendar"),
    path("calendar/<id:pk>/clear/", calendar.CalendarDayClearView.as_view(), name="calendar_clear"),
    path("outgoing/admin/<id:unit_pk>/", admin.RunningProcessesView.as_view(), name="processes"),
    path("outgoing/admin/<id:unit_pk>/rules/", admin.FlowRulesView.as_view(), name="flow_rules"),
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
    path(
        "incoming/register/",
        incoming_register.IncomingRegisterIndexView.as_view(),
        name="incoming_register_index",
    ),
    path(
        "incoming/register/<id:unit_pk>/",
        incoming_register.IncomingRegisterView.as_view(),
        name="incoming_register",
    ),
    path(
        "incoming/register/<id:unit_pk>/export.xlsx",
        incoming_register.IncomingRegisterExportView.as_view(),
        name="incoming_register_export",
    ),
    path("supervision/", supervision.DashboardIndexView.as_view(), name="supervision_index"),
    path("supervision/<id:unit_pk>/", supervision.DashboardView.as_view(), name="supervision"),
    path(
        "supervision/<id:unit_pk>/export.xlsx",
        supervision.DashboardExportView.as_view(),
        name="supervision_export",
    ),
    path(
        "supervision/tasks/<id:task_pk>/urge/",
        supervision.TaskUrgeView.as_view(),
        name="task_urge",
    ),
    path(
        "supervision/documents/<id:document_pk>/supervise/",
        supervision.DocumentSuperviseView.as_view(),
        name="document_supervise",
    ),
    path(
        "supervision/documents/<id:document_pk>/progress/",
        supervision.ProgressReportView.as_view(),
        name="supervision_progress",
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

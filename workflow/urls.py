"""The outgoing-document lists and the process administrator's screens (namespace "gongwen",
included at /workflow/ before the viewflow site, whose paths start with documents/)."""

from django.urls import path

from .views import admin, incoming_register, lists, supervision

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

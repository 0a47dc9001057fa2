from django.urls import path

from . import catalogue_views, use_views, views

app_name = "archive"

urlpatterns = [
    path("items/<id:pk>/read/", use_views.read, name="read"),
    path("items/<id:pk>/request/", use_views.request_create, name="request_create"),
    path("items/<id:pk>/extend/", use_views.retention_extend, name="retention_extend"),
    path("files/<id:pk>/", use_views.archive_file, name="file"),
    path("requests/", use_views.requests, name="requests"),
    path("requests/<id:pk>/decide/", use_views.request_decide, name="request_decide"),
    path("requests/<id:pk>/return/", use_views.request_return, name="request_return"),
    path("access-log/", use_views.access_log, name="access_log"),
    path("review/", use_views.review, name="review"),
    path("review/propose/", use_views.destruction_propose, name="destruction_propose"),
    path("destructions/", use_views.destructions, name="destructions"),
    path("destructions/<id:pk>/decide/", use_views.destruction_decide, name="destruction_decide"),
    path("destructions/register/", use_views.destruction_register, name="destruction_register"),
    path("", views.ToFileView.as_view(), name="index"),
    path("to-file/<id:unit_pk>/", views.ToFileView.as_view(), name="to_file"),
    path("to-file/<id:unit_pk>/file/", views.FilingView.as_view(), name="file_item"),
    path("items/<id:pk>/", views.ItemView.as_view(), name="item"),
    path("settings/", views.SettingsView.as_view(), name="settings_index"),
    path("settings/<id:unit_pk>/", views.SettingsView.as_view(), name="settings"),
    path("catalogue/", catalogue_views.catalogue_index, name="catalogue_index"),
    path("catalogue/<id:fonds_pk>/", catalogue_views.catalogue_screen, name="catalogue"),
    path(
        "catalogue/<id:fonds_pk>/print.pdf",
        catalogue_views.catalogue_print,
        name="catalogue_print",
    ),
    path(
        "catalogue/<id:fonds_pk>/catalogue.xlsx",
        catalogue_views.catalogue_workbook,
        name="catalogue_xlsx",
    ),
    path(
        "catalogue/<id:fonds_pk>/packages/",
        catalogue_views.package_export,
        name="package_export",
    ),
    path(
        "packages/<id:pk>/download/",
        catalogue_views.package_download,
        name="package_download",
    ),
]

from django.urls import path

from . import catalogue_views

app_name = "archive"

urlpatterns = [
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

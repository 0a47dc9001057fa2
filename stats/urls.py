from django.urls import path

from . import views

app_name = "stats"
urlpatterns = [
    path("", views.index, name="index"),
    path("group/", views.group, name="group"),
    path("group/export/", views.group_export, name="group_export"),
    path("units/<id:pk>/", views.unit, name="unit"),
    path("units/<id:pk>/export/", views.unit_export, name="unit_export"),
    path("units/<id:pk>/figures/<slug:figure>/", views.drill_down, name="drill_down"),
    path(
        "units/<id:pk>/figures/<slug:figure>/export/",
        views.drill_down_export,
        name="drill_down_export",
    ),
    path("bulletins/", views.bulletins, name="bulletins"),
    path("bulletins/generate/", views.bulletin_generate, name="bulletin_generate"),
    path("bulletins/<id:pk>/pdf/", views.bulletin_pdf, name="bulletin_pdf"),
    path("bulletins/<id:pk>/notice/", views.bulletin_notice, name="bulletin_notice"),
]

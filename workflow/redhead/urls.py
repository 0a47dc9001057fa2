from django.urls import path

from . import views

app_name = "redhead"
urlpatterns = [
    path("", views.template_edit, name="template_edit"),
    path("preview/", views.template_preview, name="template_preview"),
]

from django.urls import path

from . import views

app_name = "archive"

urlpatterns = [
    path("", views.ToFileView.as_view(), name="index"),
    path("to-file/<id:unit_pk>/", views.ToFileView.as_view(), name="to_file"),
    path("to-file/<id:unit_pk>/file/", views.FilingView.as_view(), name="file_item"),
    path("items/<id:pk>/", views.ItemView.as_view(), name="item"),
    path("settings/", views.SettingsView.as_view(), name="settings_index"),
    path("settings/<id:unit_pk>/", views.SettingsView.as_view(), name="settings"),
]

from django.urls import path

from .views import feeds, files, manage

app_name = "knowledge"
urlpatterns = [
    path("files/<id:version_id>/download/", files.version_download, name="version_download"),
    path("files/<id:version_id>/view/", files.version_inline, name="version_inline"),
    path("items/<id:item_id>/upload/", files.file_upload, name="file_upload"),
    path("items/<id:item_id>/reviewed/", manage.mark_reviewed, name="mark_reviewed"),
    path("categories/<id:category_id>/access/", manage.category_access, name="category_access"),
    path("categories/<id:category_id>/feed/", feeds.category_feed, name="category_feed"),
]

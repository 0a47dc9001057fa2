from django.urls import path

from .views import feeds, notice_readers

app_name = "home"
urlpatterns = [
    path("feeds/columns/<id:pk>/", feeds.column_feed, name="column_feed"),
    path("feeds/notices/", feeds.notice_feed, name="notice_feed"),
    path("notices/<id:pk>/readers/", notice_readers.notice_readers, name="notice_readers"),
    path(
        "notices/<id:pk>/readers.xlsx",
        notice_readers.notice_readers_export,
        name="notice_readers_export",
    ),
]

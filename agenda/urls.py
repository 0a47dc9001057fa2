from django.urls import path

from . import views

app_name = "agenda"
urlpatterns = [
    path("", views.my_calendar, name="index"),
    path("department/", views.department_calendar, name="department"),
    path("leaders/<id:pk>/", views.leader_calendar, name="leader"),
    path("calendars/<id:pk>/", views.calendar_view, name="calendar"),
    path("calendars/<id:pk>/events/new/", views.event_create, name="event_create"),
    path("calendars/<id:pk>/settings/", views.calendar_settings, name="settings"),
    path("calendars/<id:pk>/feed/regenerate/", views.feed_regenerate, name="feed_regenerate"),
    path("calendars/<id:pk>/feed/revoke/", views.feed_revoke, name="feed_revoke"),
    path("calendars/<id:pk>/import/", views.calendar_import, name="import"),
    path("calendars/<id:pk>/export.ics", views.calendar_export, name="export"),
    path("events/<id:pk>/", views.event_edit, name="event"),
    path("events/<id:pk>/delete/", views.event_delete, name="event_delete"),
    path("feed/<slug:token>.ics", views.feed, name="feed"),
    path("meetings/", views.meeting_list, name="meetings"),
    path("meetings/<id:pk>/", views.meeting_detail, name="meeting"),
    path("meetings/<id:pk>/reply/", views.meeting_reply, name="meeting_reply"),
    path("meetings/<id:pk>/sign-in/", views.meeting_sign_in, name="meeting_sign_in"),
    path("meetings/<id:pk>/decide/", views.meeting_decide, name="meeting_decide"),
    path("meetings/<id:pk>/cancel/", views.meeting_cancel, name="meeting_cancel"),
    path("meetings/<id:pk>/minutes/", views.meeting_minutes, name="meeting_minutes"),
    path("rooms/", views.rooms, name="rooms"),
    path("rooms/new/", views.room_create, name="room_create"),
    path("rooms/<id:pk>/", views.room_edit, name="room_edit"),
    path("rooms/<id:pk>/active/", views.room_active, name="room_active"),
    path("rooms/<id:pk>/book/", views.room_book, name="room_book"),
    path("modules/", views.modules, name="modules"),
]

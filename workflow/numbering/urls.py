from django.urls import path

from . import views

app_name = "numbering"
urlpatterns = [
    path("", views.prefix_list, name="prefix_list"),
    path("prefixes/new/", views.prefix_create, name="prefix_create"),
    path("prefixes/<id:pk>/", views.prefix_edit, name="prefix_edit"),
    path("prefixes/<id:pk>/next-serial/", views.next_serial, name="next_serial"),
    path("register/", views.number_register, name="register"),
    path("numbers/<id:pk>/void/", views.number_void, name="number_void"),
]

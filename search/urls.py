from django.urls import path

from . import views

app_name = "search"
urlpatterns = [
    path("", views.search, name="search"),
    path("status/", views.status, name="status"),
    path("best-bets/", views.best_bet_create, name="best_bet_create"),
    path("best-bets/<id:pk>/delete/", views.best_bet_delete, name="best_bet_delete"),
]

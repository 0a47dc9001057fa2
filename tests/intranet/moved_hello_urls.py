"""The intranet's URLs with the hello-world view moved: a change of URLs the menus must follow."""

from django.urls import path

from intranet import views
from intranet.urls import urlpatterns as intranet_urlpatterns

urlpatterns = [
    path("moved/hello/", views.hello, name="hello"),
    *[pattern for pattern in intranet_urlpatterns if getattr(pattern, "name", None) != "hello"],
]

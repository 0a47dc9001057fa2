"""The intranet's URLs plus views that meet a database locked beyond the busy timeout."""

from django.db import OperationalError
from django.urls import path

from intranet.urls import urlpatterns as intranet_urlpatterns


def write_on_a_locked_database(request):
    raise OperationalError("database is locked")


def fail_otherwise(request):
    raise OperationalError("no such table: nowhere")


urlpatterns = [
    path("busy/", write_on_a_locked_database),
    path("api/busy", write_on_a_locked_database),
    path("broken/", fail_otherwise),
    *intranet_urlpatterns,
]

import logging
import sys

from django.db import OperationalError
from django.http import HttpResponse, HttpResponseServerError, JsonResponse
from django.template import loader
from django.utils.translation import gettext as _

logger = logging.getLogger(__name__)


def hello(request):
    """The smallest possible view: the baseline that `make bench` compares pages against."""
    return HttpResponse("Hello, world")


def server_error(request):
    """The 500 page in the intranet layout, or a bare one if the layout itself fails."""
    if is_database_busy(sys.exc_info()[1]):
        return database_busy(request)
    return _error_page(request, "500.html", HttpResponseServerError)


# Messages of a database that stays locked longer than the busy timeout (SQLite; the second one is
# shared-cache SQLite) or of a lock wait that PostgreSQL cancelled.
_BUSY_MESSAGES = ("database is locked", "database table is locked", "lock timeout")
BUSY_RETRY_AFTER_SECONDS = 5


def is_database_busy(error: BaseException | None) -> bool:
    return isinstance(error, OperationalError) and any(
        message in str(error) for message in _BUSY_MESSAGES
    )


def database_busy(request):
    """503 with a retry hint for a write that could not get the database in time: nothing was
    saved and trying again is the remedy. The API answers JSON."""
    if request.path.startswith("/api/"):
        response = JsonResponse(
            {"detail": _("The system is busy; nothing was saved. Please try again.")}, status=503
        )
    else:
        response = _error_page(request, "503.html", HttpResponse, status=503)
    response["Retry-After"] = str(BUSY_RETRY_AFTER_SECONDS)
    return response


def _error_page(request, template_name, response_class, **kwargs):
    template = loader.get_template(template_name)
    try:
        return response_class(template.render({}, request), **kwargs)
    except Exception:
        logger.exception("The %s page could not be rendered with the request", template_name)
        return response_class(template.render({"bare": True}), **kwargs)

import logging

from django.http import HttpResponse, HttpResponseServerError
from django.template import loader

logger = logging.getLogger(__name__)


def hello(request):
    """The smallest possible view: the baseline that `make bench` compares pages against."""
    return HttpResponse("Hello, world")


def server_error(request):
    """The 500 page in the intranet layout, or a bare one if the layout itself fails."""
    template = loader.get_template("500.html")
    try:
        return HttpResponseServerError(template.render({}, request))
    except Exception:
        logger.exception("The 500 page could not be rendered with the request")
        return HttpResponseServerError(template.render({"bare": True}))

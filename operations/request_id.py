"""A request id per request: taken from the reverse proxy's X-Request-ID (or made), kept in a
context variable for the log records, and returned in the response's header."""

import contextvars
import logging
import re
import uuid

HEADER = "X-Request-ID"
_current = contextvars.ContextVar("request_id", default="-")
# The proxy's id is trusted only in a shape that cannot inject anything into a log line.
_ACCEPTED = re.compile(r"[A-Za-z0-9._-]{8,64}")


def current() -> str:
    return _current.get()


class RequestIdMiddleware:
    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        given = request.headers.get(HEADER, "")
        request_id = given if _ACCEPTED.fullmatch(given) else uuid.uuid4().hex
        token = _current.set(request_id)
        try:
            response = self.get_response(request)
        finally:
            _current.reset(token)
        response[HEADER] = request_id
        return response


class RequestIdFilter(logging.Filter):
    """Puts the current request id on every record (a dash outside requests)."""

    def filter(self, record):
        record.request_id = _current.get()
        return True

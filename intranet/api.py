"""The project's JSON API (django-ninja); each app adds its router here.

Every error answers JSON `{"detail": …}` with its status: a refusal raised anywhere below (Django's
PermissionDenied and Http404 included), a failed CSRF check, a wrong method, an unknown path under
/api/ and a crash. Browsers and scripts calling the API never receive an HTML error page.
"""

import logging
from functools import wraps

from django.contrib.admin.views.decorators import staff_member_required
from django.core.exceptions import PermissionDenied
from django.core.signals import got_request_exception
from django.http import Http404, HttpResponseNotAllowed
from django.urls import URLPattern, re_path
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.decorators.csrf import csrf_exempt
from ninja import NinjaAPI, Schema
from ninja.errors import AuthenticationError, HttpError
from ninja.security import django_auth

from agenda.api import router as agenda_router
from home.api import router as publishing_router
from knowledge.api import router as knowledge_router
from notifications.api import router as notifications_router
from search.api import router as search_router
from workflow.api import router as documents_router

logger = logging.getLogger("django.request")


class IntranetAPI(NinjaAPI):
    def _get_urls(self):
        patterns = [_with_json_not_allowed(self, pattern) for pattern in super()._get_urls()]
        return [*patterns, re_path(r"^.*$", csrf_exempt(self._unknown_path))]

    def _unknown_path(self, request):
        return self.on_exception(request, Http404())

    def get_openapi_schema(self, **kwargs):
        """Ninja documents what operations return; the errors the handlers below answer are
        documented here, once for every operation."""
        schema = super().get_openapi_schema(**kwargs)
        schema.setdefault("components", {}).setdefault("schemas", {}).update(ERROR_SCHEMAS)
        for operations in schema["paths"].values():
            for method, operation in operations.items():
                for status, component in _error_responses(method, operation):
                    operation["responses"].setdefault(
                        str(status),
                        {
                            "description": component,
                            "content": {
                                "application/json": {
                                    "schema": {"$ref": f"#/components/schemas/{component}"}
                                }
                            },
                        },
                    )
        return schema


ERROR_SCHEMAS = {
    "Error": {
        "type": "object",
        "properties": {"detail": {"type": "string"}},
        "required": ["detail"],
    },
    "ValidationErrors": {
        "type": "object",
        "properties": {"detail": {"type": "array", "items": {"type": "object"}}},
        "required": ["detail"],
    },
}


def _error_responses(method: str, operation: dict):
    if operation.get("security"):
        yield 401, "Error"
        if method != "get":  # the CSRF check, and rights to change something
            yield 403, "Error"
    yield 404, "Error"
    if operation.get("parameters") or operation.get("requestBody"):
        yield 422, "ValidationErrors"


def _with_json_not_allowed(api: NinjaAPI, pattern):
    """Ninja answers a method an operation lacks with a plain-text 405; keep its Allow header."""
    if not isinstance(pattern, URLPattern):
        return pattern
    view = pattern.callback

    def json_view(request, *args, **kwargs):
        response = view(request, *args, **kwargs)
        if isinstance(response, HttpResponseNotAllowed):
            refusal = api.create_response(
                request, {"detail": _("This method is not allowed here.")}, status=405
            )
            refusal["Allow"] = response["Allow"]
            return refusal
        return response

    pattern.callback = wraps(view)(json_view)
    return pattern


api = IntranetAPI(
    title="Xietong API",
    version="1",
    description=" ".join(
        [
            str(gettext_lazy("The intranet's API. Sign in to the intranet to use it.")),
            str(
                gettext_lazy(
                    "Every list is paged the same way: page (from 1) and page_size (at most 50) "
                    "in; count, page, num_pages and items out."
                )
            ),
        ]
    ),
    auth=django_auth,
    docs_decorator=staff_member_required,
    urls_namespace="api",
)


def _error(request, message, status: int):
    return api.create_response(request, {"detail": message}, status=status)


@api.exception_handler(AuthenticationError)
def _unauthenticated(request, exc):
    return _error(request, _("Sign in to the intranet to use the API."), 401)


@api.exception_handler(HttpError)
def _http_error(request, exc):
    if exc.status_code == 403:  # ninja's CSRF refusal
        return _error(request, _("The request was refused: reload the page and try again."), 403)
    return _error(request, str(exc), exc.status_code)


@api.exception_handler(PermissionDenied)
def _forbidden(request, exc):
    return _error(request, _("You may not do this."), 403)


@api.exception_handler(Http404)
def _not_found(request, exc):
    return _error(request, _("Not found."), 404)


@api.exception_handler(Exception)
def _server_error(request, exc):
    # What Django does with an uncaught exception (error log, mail to admins, the test client
    # re-raising it), but the caller gets JSON.
    got_request_exception.send(sender=None, request=request)
    logger.error(
        "Internal Server Error: %s", request.path, exc_info=exc, extra={"status_code": 500}
    )
    return _error(request, _("Server error"), 500)


class MeOut(Schema):
    username: str
    name: str
    department: str | None
    unit: str | None


class HealthOut(Schema):
    status: str


@api.get("/health", auth=None, response=HealthOut, summary="Liveness check")
def health(request):
    return {"status": "ok"}


@api.get("/me", response=MeOut, summary="The signed-in user")
def me(request):
    user = request.user
    department = user.department
    return {
        "username": user.get_username(),
        "name": user.get_full_name(),
        "department": department.name if department else None,
        "unit": department.unit.name if department and department.unit_id else None,
    }


api.add_router("/", publishing_router)
api.add_router("/knowledge", knowledge_router)
api.add_router("/search", search_router)
api.add_router("/documents", documents_router)
api.add_router("/agenda", agenda_router)
api.add_router("/notifications", notifications_router)

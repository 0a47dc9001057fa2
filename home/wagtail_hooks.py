"""Wagtail hooks: column pages are changed only by their moderators, notice files reach only
the notice's audience, and pages are saved only by the editor's own submit.

Autosave is off (WAGTAIL_AUTOSAVE_INTERVAL), and a background save from a page opened before (a
JSON request) is refused, because it carries any action a click added to the form and would
approve or publish beside the real submit.

Documents are served through Wagtail's serve view (`WAGTAILDOCS_SERVE_METHOD = "serve_view"`),
which runs the `before_serve_document` hooks first; the media URL of the file is never linked.
"""

from django.core.exceptions import PermissionDenied
from django.http import JsonResponse
from django.utils.translation import gettext as _
from wagtail import hooks
from wagtail.admin.auth import permission_denied

from .permissions import can_download_document, may_change_column


@hooks.register("before_edit_page")
@hooks.register("before_delete_page")
@hooks.register("before_unpublish_page")
def refuse_column_changes_by_editors(request, page):
    if not may_change_column(request.user, page):
        return permission_denied(request)
    return None


@hooks.register("before_serve_document")
def refuse_documents_outside_audience(document, request):
    if not can_download_document(request.user, document):
        raise PermissionDenied


def _is_background_save(request) -> bool:
    return request.method == "POST" and not request.accepts("text/html")


@hooks.register("before_create_page")
@hooks.register("before_edit_page")
def refuse_background_saves(request, *args):
    if _is_background_save(request):
        return JsonResponse(
            {
                "success": False,
                "error_code": "autosave_disabled",
                "error_message": _(
                    "Save the page with its buttons; it is not saved automatically."
                ),
            },
            status=400,
        )
    return None

"""Column pages themselves (their title, owning unit and direct-publish setting) belong to the
column's moderators: an editor granted one column may work below it but not change the column.

Pages are saved only by the editor's own submit: autosave is off (WAGTAIL_AUTOSAVE_INTERVAL), and
a background save from a page opened before (a JSON request) is refused, because it carries any
action a click added to the form and would approve or publish beside the real submit.
"""

from django.http import JsonResponse
from django.utils.translation import gettext as _
from wagtail import hooks
from wagtail.admin.auth import permission_denied

from .editorial import is_column, moderators_group_name


def _changes_column_it_does_not_moderate(request, page) -> bool:
    page = page.specific_deferred
    if request.user.is_superuser or not is_column(page):
        return False
    return not request.user.groups.filter(name=moderators_group_name(page.pk)).exists()


@hooks.register("before_edit_page")
@hooks.register("before_delete_page")
@hooks.register("before_unpublish_page")
def refuse_column_changes_by_editors(request, page):
    if _changes_column_it_does_not_moderate(request, page):
        return permission_denied(request)
    return None


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

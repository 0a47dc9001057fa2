"""Column pages themselves (their title, owning unit and direct-publish setting) belong to the
column's moderators: an editor granted one column may work below it but not change the column."""

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

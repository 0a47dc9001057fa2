"""Column rights follow the news item's owning unit.

A column may hold the news of several units (基层动态). Its moderators (and superusers) work on
every item in it; an editor granted the column for a unit works only on the items owned by that
unit or a unit below it. Wagtail asks a page's permission tester before every editor screen,
action menu entry, explorer action and POST, so the rule lives in the tester.
"""

from wagtail.models import Page, PagePermissionTester

from people.models import Role, RoleAssignment

from .editorial import COLUMN_GROUP_NAME


def _column_rights(user) -> tuple[frozenset[str], tuple[tuple[str, str], ...]]:
    """Paths of the columns the user moderates, and (column path, unit path) of each column
    grant; read once per request (cached on the user object)."""
    cached = getattr(user, "_news_column_rights", None)
    if cached is None:
        moderated_ids = [
            int(match["page_id"])
            for name in user.groups.filter(name__endswith="-moderators").values_list(
                "name", flat=True
            )
            if (match := COLUMN_GROUP_NAME.match(name))
        ]
        moderated = frozenset(
            Page.objects.filter(pk__in=moderated_ids).values_list("path", flat=True)
        )
        grants = tuple(
            RoleAssignment.objects.filter(
                user=user, role=Role.COLUMN_ADMIN, column__isnull=False, unit__isnull=False
            ).values_list("column__path", "unit__path")
        )
        cached = user._news_column_rights = (moderated, grants)
    return cached


def works_on_news(user, news) -> bool:
    """Whether the user may change this news item at all, whatever Wagtail's page permissions
    on the column grant."""
    if not (user.is_authenticated and user.is_active):
        return False
    if user.is_superuser or news.pk is None:
        return True
    column_path = news.path[: -Page.steplen]
    moderated, grants = _column_rights(user)
    if column_path in moderated:
        return True
    if news.owner_unit_id is None:
        return False
    owner_path = news.owner_unit.path
    return any(
        granted_column == column_path and owner_path.startswith(unit_path)
        for granted_column, unit_path in grants
    )


class ColumnItemPermissionTester(PagePermissionTester):
    """A moderator may publish, but not the page she herself submitted while it awaits review:
    another moderator decides it (see `ColumnApprovalTask`)."""

    def _awaits_own_submission(self) -> bool:
        state = self.page.current_workflow_state
        return state is not None and state.requested_by_id == self.user.pk

    def can_publish(self):
        return not self._awaits_own_submission() and super().can_publish()


class NewsPagePermissionTester(ColumnItemPermissionTester):
    """Wagtail's answers, narrowed to the news items of the user's own unit."""

    def _works_on_it(self) -> bool:
        return works_on_news(self.user, self.page)

    def can_edit(self):
        return self._works_on_it() and super().can_edit()

    def can_delete(self, ignore_bulk=False):
        return self._works_on_it() and super().can_delete(ignore_bulk=ignore_bulk)

    def can_publish(self):
        return self._works_on_it() and super().can_publish()

    def can_unpublish(self):
        return self._works_on_it() and super().can_unpublish()

    def can_submit_for_moderation(self):
        return self._works_on_it() and super().can_submit_for_moderation()

    def can_unschedule(self):
        return self._works_on_it() and super().can_unschedule()

    def can_lock(self):
        return self._works_on_it() and super().can_lock()

    def can_view_revisions(self):
        return self._works_on_it() and super().can_view_revisions()

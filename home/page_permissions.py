"""Wagtail's page permission testers for column items.

Wagtail asks a page's permission tester before every editor screen, action menu entry, explorer
action and POST, so the testers apply the rules of `permissions.py` (news rights follow the
item's owning unit).
"""

from wagtail.models import PagePermissionTester

from .permissions import works_on_news


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

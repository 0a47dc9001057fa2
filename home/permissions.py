"""Who may do what in the portal, the news center and the notices.

Selectors keep the queries (`visible_notices` decides which notices a user reads); the rules
here answer "may this user …" and are what views, pages, Wagtail hooks and testers ask.
"""

from django.db.models import QuerySet
from wagtail.documents import get_document_model
from wagtail.models import Page
from wagtail.permissions import policy_registry

from people.models import Role, RoleAssignment, User
from people.permissions import group_names, is_system_admin

from .editorial import COLUMN_GROUP_NAME, is_column, moderators_group_name
from .models import NoticePage
from .selectors import notice_is_visible, notices_with_document, visible_notices


def notice_visible_to(user: User, notice: NoticePage) -> bool:
    return notice_is_visible(user, notice.pk)


def can_view_notice_stats(user: User, notice: NoticePage) -> bool:
    """The issuer, whoever may edit the notice in Wagtail, and system administrators."""
    if not user.is_authenticated or not user.is_active:
        return False
    if notice.owner_id == user.pk or is_system_admin(user):
        return True
    if not group_names(user):
        return False  # page permissions and moderation tasks are given to groups only
    return notice.permissions_for_user(user).can_edit()


def can_download_document(user: User, document) -> bool:
    """A file of one or more notices is for those who may read one of them, and for the people
    who edit documents or those notices; every other file is for every signed-in user."""
    notices: QuerySet[NoticePage] = notices_with_document(document)
    if not notices.exists():
        return True
    if visible_notices(user).filter(pk__in=notices.values("pk")).exists():
        return True
    documents_policy = policy_registry.get_by_type(get_document_model())
    if documents_policy.user_has_permission_for_instance(user, "change", document):
        return True
    return any(notice.permissions_for_user(user).can_edit() for notice in notices)


def may_change_column(user: User, page: Page) -> bool:
    """Column pages themselves (title, owning unit, direct publishing) belong to the column's
    moderators; any other page is left to Wagtail's own permissions."""
    page = page.specific_deferred
    if user.is_superuser or not is_column(page):
        return True
    return user.groups.filter(name=moderators_group_name(page.pk)).exists()


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
    on the column grant. A column may hold the news of several units (基层动态): its moderators
    work on every item in it; an editor granted the column for a unit only on the items owned by
    that unit or a unit below it."""
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

from functools import partial

from django.conf import settings
from django.urls import reverse
from django.utils.translation import gettext_lazy as _

from agenda.permissions import MEETINGS, SCHEDULES, module_enabled_for
from home.selectors import section_urls
from people.permissions import can_administer_any, may_edit_content
from workflow.numbering.permissions import can_manage_any_numbering
from workflow.redhead.permissions import can_edit_any_template
from workflow.selectors import pending_task_count


def intranet(request):
    """What the shared layout needs on every page; the task count is only queried if shown."""
    context = {
        "group_name": settings.INTRANET_GROUP_NAME,
        "site_title": settings.INTRANET_SITE_TITLE,
    }
    # Errors raised before the authentication middleware (e.g. a bad Host header) have no user.
    user = getattr(request, "user", None)
    if user is not None and user.is_authenticated:
        context["main_navigation"] = partial(main_navigation, request)
        context["pending_task_count"] = partial(pending_task_count, user)
        context["can_administer"] = partial(can_administer_any, user)
        context["can_edit_content"] = partial(may_edit_content, user)
        context["can_manage_numbering"] = partial(can_manage_any_numbering, user)
        context["can_edit_redhead"] = partial(can_edit_any_template, user)
    return context


def main_navigation(request) -> list[dict]:
    sections = section_urls(request)
    items = [
        ("home", _("Home"), "/"),
        ("news", _("News"), sections.get("news")),
        ("notices", _("Notices"), sections.get("notices")),
        ("knowledge", _("Knowledge"), sections.get("knowledge")),
        ("documents", _("Documents"), reverse("workflow:index")),
        ("agenda", _("Agenda"), _agenda_url(request.user)),
        ("directory", _("Directory"), reverse("people:directory")),
        ("search", _("Search"), reverse("search:search")),
    ]
    current = _current_key(request.path, items)
    return [
        {"key": key, "label": label, "url": url, "active": key == current}
        for key, label, url in items
        if url
    ]


def _agenda_url(user) -> str | None:
    """Schedules first; meetings alone when the unit switched schedules off."""
    if module_enabled_for(user, SCHEDULES):
        return reverse("agenda:index")
    if module_enabled_for(user, MEETINGS):
        return reverse("agenda:meetings")
    return None


# Screens of a section served outside its page tree (file views, category access).
SECTION_SCREEN_PREFIXES = {"/knowledge-center/": "knowledge"}


def _current_key(path: str, items) -> str | None:
    """The section whose URL is the longest prefix of the path; the home page only for itself."""
    for prefix, key in SECTION_SCREEN_PREFIXES.items():
        if path.startswith(prefix):
            return key
    best_key, best_length = None, 0
    for key, _label, url in items:
        matches = path == url if url == "/" else bool(url) and path.startswith(url)
        if matches and len(url) > best_length:
            best_key, best_length = key, len(url)
    return best_key

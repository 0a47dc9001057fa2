from django.apps import AppConfig
from django.utils.module_loading import autodiscover_modules
from django.utils.translation import gettext_lazy as _

from core.page_cache import vary_pages_on


class NotificationsConfig(AppConfig):
    name = "notifications"
    verbose_name = _("Notifications")

    def ready(self):
        # people imports nothing of ours, so its decisions reach the inbox through its signal.
        from . import permission_requests  # noqa: F401
        from .selectors import unread_count_of_request

        # The bell is on every page: its count is in the kept page's key, not its table.
        vary_pages_on(unread_count_of_request)

        autodiscover_modules("notifications")

from django.apps import AppConfig
from django.utils.module_loading import autodiscover_modules
from django.utils.translation import gettext_lazy as _


class NotificationsConfig(AppConfig):
    name = "notifications"
    verbose_name = _("Notifications")

    def ready(self):
        # people imports nothing of ours, so its decisions reach the inbox through its signal.
        from . import permission_requests  # noqa: F401

        autodiscover_modules("notifications")

from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class HomeConfig(AppConfig):
    name = "home"
    verbose_name = _("Portal and publishing")

    def ready(self):
        from . import (
            editorial_signals,  # noqa: F401
            signals,  # noqa: F401
        )

from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _

from core.page_cache import cacheable_pages


class PeopleConfig(AppConfig):
    name = "people"
    verbose_name = _("People and organization")

    def ready(self):
        from . import signals  # noqa: F401

        cacheable_pages("people:directory")

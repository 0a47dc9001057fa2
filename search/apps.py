from django.apps import AppConfig
from django.utils.module_loading import autodiscover_modules
from django.utils.translation import gettext_lazy as _

from core.page_cache import cacheable_pages


class SearchConfig(AppConfig):
    name = "search"
    verbose_name = _("Search")
    default_auto_field = "django.db.models.BigAutoField"

    def ready(self):
        autodiscover_modules("search")
        # people imports nothing of ours, so its provider is registered from here.
        from . import directory  # noqa: F401

        # Kept only when the database answered (Elasticsearch's answers carry no version).
        cacheable_pages("search:search")

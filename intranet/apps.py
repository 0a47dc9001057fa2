from django.apps import AppConfig
from django.contrib.staticfiles.apps import StaticFilesConfig
from django.urls import register_converter
from django.utils.module_loading import autodiscover_modules
from django.utils.translation import gettext_lazy as _

from core.page_cache import cacheable_pages

from .staticfiles import NOT_SERVED


class IntranetConfig(AppConfig):
    name = "intranet"
    verbose_name = _("Intranet")

    def ready(self):
        from . import checks, routing  # noqa: F401 (register the checks, the cache invalidation)
        from .converters import IdConverter

        register_converter(IdConverter, "id")
        # Wagtail's pages: the news and notices, the knowledge center.
        cacheable_pages("intranet.routing.serve_page")
        autodiscover_modules("portal", "navigation")


class IntranetStaticFilesConfig(StaticFilesConfig):
    # viewflow ships an npm package's sources under static/; its CSS names fonts that are not there,
    # which breaks the manifest storage of collectstatic. Nothing of ours uses those files.
    # intranet.staticfiles.NOT_SERVED: what other packages ship and the intranet never serves.
    ignore_patterns = [*StaticFilesConfig.ignore_patterns, "node_modules", *NOT_SERVED]

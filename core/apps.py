from django.apps import AppConfig
from django.db.backends.signals import connection_created


class CoreConfig(AppConfig):
    name = "core"

    def ready(self):
        from .page_cache import track_writes

        connection_created.connect(track_writes, dispatch_uid="core.page_cache.track_writes")

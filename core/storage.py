"""The storage of private files (settings.STORAGES["private"]) on a local or shared disk."""

from pathlib import Path

from django.conf import settings
from django.core.files.storage import FileSystemStorage
from django.utils.functional import cached_property


class PrivateMediaStorage(FileSystemStorage):
    """MEDIA_ROOT/private, which has no URL: only the applications' permission-checked views
    serve these files, and the web server must not publish that folder (docs/deploy.md)."""

    @cached_property
    def base_location(self):
        return str(Path(settings.MEDIA_ROOT) / "private")

    @cached_property
    def base_url(self):
        return None

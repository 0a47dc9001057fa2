"""ASGI entry point."""

import os

os.environ.setdefault("DJANGO_SETTINGS_MODULE", "intranet.settings.production")

from intranet.startup import exit_on_bad_environment

exit_on_bad_environment()

from django.core.asgi import get_asgi_application  # noqa: E402

application = get_asgi_application()

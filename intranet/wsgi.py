"""WSGI entry point (gunicorn intranet.wsgi)."""

import os

os.environ.setdefault("DJANGO_SETTINGS_MODULE", "intranet.settings.production")

from intranet.startup import exit_on_bad_environment, exit_on_process_local_cache

exit_on_bad_environment()
exit_on_process_local_cache()

from django.core.wsgi import get_wsgi_application  # noqa: E402

application = get_wsgi_application()

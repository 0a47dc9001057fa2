"""Start-up guard: a bad environment variable ends the process with one line, not a traceback."""

import importlib
import os
import sys

from intranet.settings.environment import EnvironmentSettingError


def exit_on_bad_environment() -> None:
    try:
        importlib.import_module(os.environ["DJANGO_SETTINGS_MODULE"])
    except EnvironmentSettingError as error:
        sys.stderr.write(f"Configuration error: {error}\n")
        raise SystemExit(2) from None


def exit_on_process_local_cache() -> None:
    """The WSGI server runs no system checks: refuse here too to serve from a cache that several
    workers would not share."""
    from intranet.checks import shared_cache_check

    errors = shared_cache_check()
    for error in errors:
        sys.stderr.write(f"Configuration error: {error.msg} {error.hint}\n")
    if errors:
        raise SystemExit(2)

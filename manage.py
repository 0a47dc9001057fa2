#!/usr/bin/env python
"""Django's command-line utility for Xietong."""

import os
import sys


def main():
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "intranet.settings.dev")
    from intranet.startup import exit_on_bad_environment

    exit_on_bad_environment()
    from django.core.management import execute_from_command_line

    execute_from_command_line(sys.argv)


if __name__ == "__main__":
    main()

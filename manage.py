#!/usr/bin/env python
"""Django's command-line utility for Akhbar."""

import os
import sys

if __name__ == "__main__":
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "akhbar.settings")
    from django.core.management import execute_from_command_line

    from akhbar.core.environment import exit_on_bad_environment

    exit_on_bad_environment(os.environ)
    execute_from_command_line(sys.argv)

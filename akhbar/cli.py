"""The ``akhbar`` console command: Django's management commands under the product's name.

``akhbar reindex`` reads better in an operator's runbook than
``python manage.py reindex --settings=...``; both do the same thing.
"""

import os
import sys


def main() -> None:
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "akhbar.settings")
    from django.core.management import execute_from_command_line

    execute_from_command_line(["akhbar", *sys.argv[1:]])

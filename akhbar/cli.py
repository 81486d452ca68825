"""The ``akhbar`` console command: Akhbar's operator commands under the product's name.

``akhbar reindex`` reads better in an operator's runbook than
``python manage.py reindex --settings=...``; both do the same thing. Two things differ from
``manage.py`` on purpose:

* hyphens and underscores are the same (``akhbar import-wordpress`` = ``import_wordpress``),
  because that is how other CLIs and our own docs spell commands;
* ``akhbar help`` lists Akhbar's own commands grouped by job, one line each. Django's developer
  commands (``startproject``, ``squashmigrations``…) stay reachable but are listed only by
  ``akhbar help --all``: a newsroom operator should not have to read past them.
"""

from __future__ import annotations

import os
import sys
from collections.abc import Sequence
from typing import TextIO

#: Which job each Akhbar app's commands belong to, in the order ``akhbar help`` shows them.
GROUPS: dict[str, str] = {
    "akhbar.site": "Running the site",
    "akhbar.jobs": "Running the site",
    "akhbar.pipeline": "Running the site",
    "akhbar.edge": "Running the site",
    "akhbar.newsroom": "Newsroom",
    "akhbar.live": "Newsroom",
    "akhbar.demo": "Newsroom",
    "akhbar.search": "Search and related articles",
    "akhbar.related": "Search and related articles",
    "akhbar.comments": "Comments",
    "akhbar.antispam": "Comments",
    "akhbar.newsletters": "Newsletters and alerts",
    "akhbar.push": "Newsletters and alerts",
    "akhbar.importers": "Import, export and partner feeds",
    "akhbar.wire": "Import, export and partner feeds",
    "akhbar.api": "Import, export and partner feeds",
}
OTHER_GROUP = "Other Akhbar commands"
#: Django commands an operator does need, listed with Akhbar's own.
OPERATOR_DJANGO_COMMANDS = {
    "migrate": "Running the site",
    "createsuperuser": "Running the site",
    "changepassword": "Running the site",
    "collectstatic": "Running the site",
    "check": "Running the site",
    "db_worker": "Running the site",
}


def _first_line(text: str, limit: int = 90) -> str:
    line = " ".join(str(text).split()).split(". ")[0].rstrip(".")
    return line if len(line) <= limit else line[: limit - 1].rstrip() + "…"


def _command_help(app: str, name: str) -> str:
    from django.core.management import load_command_class

    try:
        return _first_line(load_command_class(app, name).help or "")
    except Exception as exc:  # a broken command must not hide the others
        return f"(cannot load: {exc})"


def grouped_commands() -> dict[str, list[tuple[str, str]]]:
    """Group name → [(command, one-line help)] for Akhbar's operator commands."""
    from django.core.management import get_commands

    groups: dict[str, list[tuple[str, str]]] = {}
    order = list(dict.fromkeys([*GROUPS.values(), OTHER_GROUP]))
    for name, app in sorted(get_commands().items()):
        if app.startswith("akhbar"):
            group = GROUPS.get(app, OTHER_GROUP)
        elif name in OPERATOR_DJANGO_COMMANDS:
            group = OPERATOR_DJANGO_COMMANDS[name]
        else:
            continue
        groups.setdefault(group, []).append((name.replace("_", "-"), _command_help(app, name)))
    return {g: groups[g] for g in order if g in groups}


def print_help(out: TextIO | None = None) -> None:
    write = (out or sys.stdout).write
    write("Usage: akhbar COMMAND [options]   (akhbar COMMAND --help for a command's options)\n")
    for group, commands in grouped_commands().items():
        write(f"\n{group}:\n")
        width = max(len(name) for name, _ in commands)
        for name, text in commands:
            write(f"  {name.ljust(width)}  {text}\n")
    write("\nDjango's developer commands: akhbar help --all\n")


def normalise(argv: Sequence[str]) -> list[str]:
    """Map ``import-wordpress`` to ``import_wordpress`` (only the command, never its options)."""
    args = list(argv)
    if args and not args[0].startswith("-"):
        args[0] = args[0].replace("-", "_")
    if len(args) > 1 and args[0] == "help" and not args[1].startswith("-"):
        args[1] = args[1].replace("-", "_")  # akhbar help import-wordpress
    return args


def main(argv: Sequence[str] | None = None) -> None:
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "akhbar.settings")
    from akhbar.core.environment import exit_on_bad_environment

    exit_on_bad_environment(os.environ)
    args = normalise(sys.argv[1:] if argv is None else argv)
    if not args or args in (["help"], ["--help"], ["-h"]):
        import django

        django.setup()
        print_help()
        return
    if args[:2] == ["help", "--all"]:
        args = ["help"]  # Django's own listing: every command, grouped by app
    from django.core.management import execute_from_command_line

    execute_from_command_line(["akhbar", *args])

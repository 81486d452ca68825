"""The operator CLI: hyphenated command names, and a help page with Akhbar's commands only."""

from __future__ import annotations

import subprocess
import sys

import pytest

from akhbar import cli


def test_hyphens_and_underscores_name_the_same_command():
    assert cli.normalise(["import-wordpress", "--fetch-media", "my-file.xml"]) == [
        "import_wordpress",
        "--fetch-media",
        "my-file.xml",
    ]
    assert cli.normalise(["help", "purge-comments"]) == ["help", "purge_comments"]
    assert cli.normalise(["--version"]) == ["--version"]


def test_help_lists_akhbar_commands_grouped_without_django_developer_commands(capsys):
    cli.main(["help"])
    out = capsys.readouterr().out
    for expected in ("Newsroom:", "import-wordpress", "reindex", "purge-comments", "migrate"):
        assert expected in out
    for developer_only in ("startproject", "squashmigrations", "makemigrations", "shell"):
        assert f"  {developer_only} " not in out
    assert "akhbar help --all" in out
    # one line per command, none longer than a terminal
    assert all(len(line) <= 120 for line in out.splitlines())


def test_every_akhbar_command_has_help_text():
    for group, commands in cli.grouped_commands().items():
        for name, text in commands:
            assert text and not text.startswith("(cannot load"), (group, name, text)


@pytest.mark.slow
def test_console_script_runs_a_hyphenated_command():
    """Through the real entry point, as an operator types it."""
    result = subprocess.run(
        [sys.executable, "-c", "from akhbar.cli import main; main()", "import-wordpress", "--help"],
        capture_output=True,
        text=True,
        timeout=120,
        check=False,
    )
    assert result.returncode == 0, result.stderr
    assert "--fetch-media" in result.stdout


def test_every_option_of_every_akhbar_command_has_help_text():
    """``akhbar COMMAND --help`` explains each option, not just names it."""
    from django.core.management import get_commands, load_command_class
    from django.core.management.base import BaseCommand

    django_own = {a.dest for a in BaseCommand().create_parser("akhbar", "x")._actions}
    missing = []
    for name, app in sorted(get_commands().items()):
        if not app.startswith("akhbar"):
            continue
        parser = load_command_class(app, name).create_parser("akhbar", name)
        missing += [
            f"{name} {a.dest}" for a in parser._actions if a.dest not in django_own and not a.help
        ]
    assert missing == []


def test_status_is_listed_with_the_commands_that_run_the_site():
    assert "status" in dict(cli.grouped_commands()["Running the site"])

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

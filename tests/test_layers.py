"""The app layers hold: pyproject.toml's import-linter contracts (arabic, core, newsroom,
antispam, comments, related, search, edge, audit and accounts import no app above them),
checked with the suite as `lint-imports` checks them."""

from __future__ import annotations

from importlinter.cli import lint_imports

from tests.conftest import REPO


def test_import_linter_contracts_are_kept(capsys):
    status = lint_imports(config_filename=str(REPO / "pyproject.toml"), no_cache=True, no_logo=True)
    out = capsys.readouterr().out
    assert status == 0, out
    assert "0 broken" in out

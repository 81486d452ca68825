"""The app layers hold, and the contracts that check them would catch a wrong import.

pyproject.toml's import-linter contracts (docs/architecture.md, "Apps") say which way apps may
import each other (one "layers" contract, plus "forbidden" ones for the bottom apps) and that an
app is used only through its public interface, ``akhbar.<app>.public``, and its models (one
"protected" contract per app). The suite runs them as ``lint-imports`` does, then checks the
contracts themselves: every app has a layer, a public interface and a contract, and an import
added to the real import graph in the wrong direction, or into an app's private module, breaks
the contract that should catch it.
"""

from __future__ import annotations

import importlib
import re
from collections.abc import Iterator
from copy import deepcopy
from typing import Any

import grimp
import pytest
from importlinter.application.use_cases import read_user_options
from importlinter.cli import lint_imports
from importlinter.contracts.forbidden import ForbiddenContract
from importlinter.contracts.layers import LayersContract
from importlinter.contracts.protected import ProtectedContract
from importlinter.domain.contract import Contract

from tests.conftest import REPO

PYPROJECT = REPO / "pyproject.toml"
#: The packages under akhbar/ (each a Django app, but arabic).
APPS = sorted(p.name for p in (REPO / "akhbar").iterdir() if (p / "__init__.py").is_file())
#: Libraries every app may use: all their modules are public, so they have no public.py.
LIBRARIES = ["arabic", "core"]
INTERFACED = [app for app in APPS if app not in LIBRARIES]
#: The project's own modules beside the apps (settings, root URLconf, WSGI, the CLI).
ROOT_MODULES = sorted(
    f"akhbar.{p.stem}" for p in (REPO / "akhbar").glob("*.py") if p.stem[0] != "_"
)
CONTRACT_TYPES: dict[str, type[Contract]] = {
    "forbidden": ForbiddenContract,
    "layers": LayersContract,
    "protected": ProtectedContract,
}
OPTIONS = read_user_options(str(PYPROJECT))


def test_import_linter_contracts_are_kept(capsys):
    status = lint_imports(config_filename=str(PYPROJECT), no_cache=True, no_logo=True)
    out = capsys.readouterr().out
    assert status == 0, out
    assert "0 broken" in out


# --- The contracts cover every app ------------------------------------------------------------


def _contracts(kind: str) -> list[dict[str, Any]]:
    return [c for c in OPTIONS.contracts_options if c["type"] == kind]


def _layers() -> list[set[str]]:
    (contract,) = _contracts("layers")
    return [{name.strip() for name in re.split(r"[|:]", layer)} for layer in contract["layers"]]


def _protected(app: str) -> dict[str, Any]:
    found = [c for c in _contracts("protected") if c["protected_modules"] == [f"akhbar.{app}"]]
    assert len(found) == 1, f"one protected contract for akhbar.{app} expected, found {found}"
    return found[0]


def test_every_app_and_root_module_has_exactly_one_layer():
    placed = [name for layer in _layers() for name in layer]
    assert sorted(placed) == sorted([f"akhbar.{app}" for app in APPS] + ROOT_MODULES)


@pytest.mark.parametrize("app", INTERFACED)
def test_every_app_names_its_public_interface(app):
    """``akhbar/<app>/public.py`` exists, lists its names in ``__all__``, and they are there
    (an app may export nothing: it says so and why in the module's docstring)."""
    module = importlib.import_module(f"akhbar.{app}.public")
    assert module.__doc__ and module.__doc__.strip()
    assert isinstance(module.__all__, list)
    assert [name for name in module.__all__ if not hasattr(module, name)] == []


@pytest.mark.parametrize("app", INTERFACED)
def test_every_app_has_a_protected_contract(app):
    contract = _protected(app)
    assert contract["allowed_importers"] == [f"akhbar.{app}", "akhbar.urls"]
    assert f"akhbar.** -> akhbar.{app}.public" in contract["ignore_imports"]


def test_library_modules_are_all_public():
    """core and arabic have no protected contract: every module of theirs may be imported."""
    protected = {m for c in _contracts("protected") for m in c["protected_modules"]}
    assert not protected & {f"akhbar.{lib}" for lib in LIBRARIES}


# --- The contracts catch a wrong import -------------------------------------------------------


@pytest.fixture(scope="module")
def graph() -> Iterator[grimp.ImportGraph]:
    """Akhbar's real import graph as ``lint-imports`` builds it (with Django and the other
    outside packages, which the arabic contract forbids), without a cache on disk."""
    yield grimp.build_graph("akhbar", include_external_packages=True, cache_dir=None)


def _kept(contract: dict[str, Any], graph: grimp.ImportGraph, *added: tuple[str, str]) -> bool:
    """Whether ``contract`` holds on the real graph with the ``added`` imports (importer,
    imported) in it, checked on a copy as ``lint-imports`` does."""
    changed = deepcopy(graph)
    for importer, imported in added:
        changed.add_import(importer=importer, imported=imported, line_number=1, line_contents="")
    check = CONTRACT_TYPES[contract["type"]](
        name=contract["name"],
        session_options=OPTIONS.session_options,
        contract_options=contract,
    ).check(changed, verbose=False)
    return check.kept


def test_the_real_graph_keeps_every_contract(graph):
    """The baseline for the tests below: without an added import, every contract holds."""
    assert [c["name"] for c in OPTIONS.contracts_options if not _kept(c, graph)] == []


@pytest.mark.parametrize(
    ("importer", "imported"),
    [
        # the cycle this layering removed: push used newsletters' URL helper
        ("akhbar.push.services", "akhbar.newsletters.render"),
        # the write path hearing of the pages it feeds by import instead of events
        ("akhbar.newsroom.services", "akhbar.site.cache"),
        # a lower app using a higher one's public interface is still the wrong direction
        ("akhbar.api.representation", "akhbar.wire.public"),
        # siblings in one layer stay independent
        ("akhbar.importers.feeds", "akhbar.api.public"),
        # the shared core imports no app
        ("akhbar.core.events", "akhbar.newsroom.models"),
    ],
)
def test_a_wrong_direction_import_breaks_the_layers(graph, importer, imported):
    (layers,) = _contracts("layers")
    assert not _kept(layers, graph, (importer, imported))


def _other_app_module(app: str, graph: grimp.ImportGraph) -> str:
    """A module of an app above ``app`` (or beside it), to import from in the tests below."""
    other = "demo" if app == "pipeline" else "pipeline"
    return sorted(m for m in graph.find_descendants(f"akhbar.{other}") if m.count(".") == 2)[0]


@pytest.mark.parametrize("app", INTERFACED)
def test_importing_a_private_module_breaks_that_apps_contract(graph, app):
    """Another app importing ``akhbar.<app>.apps`` (private, like every module but public.py
    and models) breaks the app's protected contract; importing its public.py keeps it."""
    importer = _other_app_module(app, graph)
    contract = _protected(app)
    assert not _kept(contract, graph, (importer, f"akhbar.{app}.apps"))
    assert _kept(contract, graph, (importer, f"akhbar.{app}.public"))


def test_the_public_interface_rule_has_only_its_named_exceptions(graph):
    """The two modules of newsroom others may import directly, each for its stated reason,
    and nothing else of newsroom beside public and models."""
    contract = _protected("newsroom")
    assert _kept(contract, graph, ("akhbar.search.terms", "akhbar.newsroom.html"))
    assert not _kept(contract, graph, ("akhbar.search.services", "akhbar.newsroom.html"))
    assert not _kept(contract, graph, ("akhbar.site.views", "akhbar.newsroom.services"))


# --- docs/architecture.md says the same -------------------------------------------------------


def _documented_dependencies() -> dict[str, set[str]]:
    """The "Apps" table of docs/architecture.md: app -> the apps in its "May import" cell."""
    text = (REPO / "docs" / "architecture.md").read_text(encoding="utf-8")
    table = text.split("## Apps", 1)[1].split("\n## ", 1)[0]
    rows: dict[str, set[str]] = {}
    for line in table.splitlines():
        cells = [cell.strip() for cell in line.strip().strip("|").split("|")]
        if len(cells) == 4 and re.fullmatch(r"`\w+`", cells[0]):
            rows[cells[0].strip("`")] = set(re.findall(r"`(\w+)`", cells[3]))
    return rows


def test_the_docs_table_lists_every_app_and_what_it_imports(graph):
    """Every app has a row in docs/architecture.md's "Apps" table, and every app it imports is
    in that row: a new dependency is written down where people read the layering."""
    documented = _documented_dependencies()
    assert sorted(documented) == APPS
    for app in APPS:
        modules = graph.find_descendants(f"akhbar.{app}") | {f"akhbar.{app}"}
        imported = {
            dependency.split(".")[1]
            for module in modules
            for dependency in graph.find_modules_directly_imported_by(module)
            if dependency.startswith("akhbar.") and dependency.count(".") >= 1
        } - {app}
        assert imported <= documented[app], f"{app} imports {sorted(imported - documented[app])}"

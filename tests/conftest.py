"""Shared fixtures: real objects in a real database (SQLite, or PostgreSQL via DATABASE_URL),
and a real headless Chromium for browser tests."""

from __future__ import annotations

import os
from collections.abc import Callable, Iterator
from pathlib import Path

import pytest

REPO = Path(__file__).resolve().parent.parent
SHARED = REPO.parent / "shared"
ARTIFACTS = REPO / "tests" / "artifacts"
CHROMIUM = os.environ.get("AKHBAR_CHROMIUM", "/usr/bin/chromium")
CHROMIUM_ARGS = [
    "--headless",
    "--no-sandbox",
    "--disable-gpu",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-quic",
    "--no-first-run",
    "--disable-sync",
]

# Playwright's sync API runs an event loop in the test thread; Django refuses ORM calls under a
# running loop unless told it is safe, which it is here (one thread drives both, in turn).
os.environ.setdefault("DJANGO_ALLOW_ASYNC_UNSAFE", "true")
os.environ.setdefault("NO_PROXY", "127.0.0.1,localhost")


# --- Outside fixtures (../shared) -------------------------------------------------------------
# Real files from the outside world (the seed page, WordPress exports, Arabic news and spam, IPTC
# schemas) live beside the repository in ../shared, never inside it (their licences are in
# ../shared/fixtures/README.md). A fresh clone has no ../shared: tests marked ``shared`` then skip,
# all under one summary line. CI has the folder and sets AKHBAR_REQUIRE_SHARED=1, so there a
# missing folder fails the run instead of quietly skipping a third of the importer tests.
SHARED_MISSING = (
    "outside fixtures not found: ../shared (seed page, WordPress exports, Arabic news, spam and "
    "IPTC files; see README, 'Tests and ../shared')"
)
REQUIRE_SHARED = os.environ.get("AKHBAR_REQUIRE_SHARED", "") not in ("", "0")


def shared_available() -> bool:
    return (SHARED / "fixtures").is_dir()


def pytest_configure(config: pytest.Config) -> None:
    config.addinivalue_line("markers", "shared: needs the outside fixtures in ../shared")
    if REQUIRE_SHARED and not shared_available():
        raise pytest.UsageError(f"AKHBAR_REQUIRE_SHARED=1 but {SHARED / 'fixtures'} is missing")


def _skip_without_shared() -> None:
    # Every such skip is raised on this one line, rather than by skipif markers at each test, so
    # that `-ra` prints a single "SKIPPED [N] tests/conftest.py:…: outside fixtures…" line.
    pytest.skip(SHARED_MISSING)


def pytest_runtest_setup(item: pytest.Item) -> None:
    if item.get_closest_marker("shared") and not shared_available():
        _skip_without_shared()


def shared_file(path: Path) -> Path:
    """``path`` under ../shared, or skip the calling test (one summary line) when it is absent."""
    if not path.exists():
        if REQUIRE_SHARED:
            pytest.fail(f"outside fixture missing: {path}")
        _skip_without_shared()
    return path


def pytest_report_header(config: pytest.Config) -> list[str]:
    url = os.environ.get("DATABASE_URL")
    shared = "found" if shared_available() else "NOT FOUND (tests marked 'shared' will skip)"
    return [
        f"akhbar database: {'PostgreSQL ' + url if url else 'SQLite (embedded default)'}",
        f"akhbar outside fixtures ../shared: {shared}",
    ]


@pytest.fixture(autouse=True)
def _clear_cache() -> Iterator[None]:
    """Each test starts with an empty cache (rate limits, settings, pages)."""
    from django.conf import settings

    if not settings.configured:  # pure tests run with `-p no:django`
        yield
        return
    from django.core.cache import cache

    cache.clear()
    yield
    cache.clear()


def _emulates_commit(request: pytest.FixtureRequest) -> bool:
    """Whether this test runs in pytest-django's never-committed transaction (a ``db`` test):
    transactional and live-server tests commit for real and need no emulation."""
    marker = request.node.get_closest_marker("django_db")
    uses_db = "db" in request.fixturenames or (
        marker is not None and not marker.kwargs.get("transaction", False)
    )
    return (
        uses_db
        and "transactional_db" not in request.fixturenames
        and "live_server" not in request.fixturenames
    )


def _run_callback(func: Callable[[], object], robust: bool) -> None:
    """Run one on-commit callback as Django does: a robust one's exception is logged only."""
    if not robust:
        func()
        return
    try:
        func()
    except Exception:  # as Django's robust callbacks: logged, not raised
        import logging

        logging.getLogger("django.db.backends.base").exception("on_commit failed")


@pytest.fixture(autouse=True)
def _deliver_on_commit(request: pytest.FixtureRequest) -> Iterator[None]:
    """Run on-commit callbacks (the pipeline's events) as production would, in db tests.

    pytest-django wraps each ``db`` test in a transaction that never commits, so
    ``transaction.on_commit`` callbacks — which deliver akhbar.core.events to search, related,
    caches… — would never run, and every test would need a capture block. Here, for the
    duration of a ``db`` test, the test's own transaction counts as "no transaction": a
    callback registered outside any block the code under test opened runs at once, and one
    registered inside such a block runs when the code's outermost block exits without error
    (a rolled-back savepoint drops its callbacks, as Django does). That is exactly what a
    committed transaction does in production. ``django_capture_on_commit_callbacks`` keeps
    working (its callbacks have usually run already; ``execute=True`` runs any left).
    ``transactional_db`` tests commit for real and need none of this.
    """
    if not _emulates_commit(request):
        yield
        return
    request.getfixturevalue("db")
    from django.db import connections, transaction
    from django.db.backends.base.base import BaseDatabaseWrapper

    base = {alias: len(connections[alias].atomic_blocks) for alias in connections}
    original_on_commit = BaseDatabaseWrapper.on_commit
    original_exit = transaction.Atomic.__exit__

    def at_base(conn) -> bool:
        return len(conn.atomic_blocks) <= base.get(conn.alias, 0)

    def run_pending(conn) -> None:
        while conn.run_on_commit:
            _sids, func, robust = conn.run_on_commit.pop(0)
            _run_callback(func, robust)

    def on_commit(self, func, robust=False):
        if at_base(self) and not self.needs_rollback:
            _run_callback(func, robust)
            return
        original_on_commit(self, func, robust)

    def atomic_exit(self, exc_type, exc_value, tb):
        result = original_exit(self, exc_type, exc_value, tb)
        conn = transaction.get_connection(self.using)
        if exc_type is None and at_base(conn) and not conn.needs_rollback:
            run_pending(conn)
        return result

    BaseDatabaseWrapper.on_commit = on_commit
    transaction.Atomic.__exit__ = atomic_exit
    try:
        yield
    finally:
        BaseDatabaseWrapper.on_commit = original_on_commit
        transaction.Atomic.__exit__ = original_exit


@pytest.fixture(scope="session")
def browser() -> Iterator[object]:
    from playwright.sync_api import sync_playwright

    if not Path(CHROMIUM).exists():
        pytest.fail(f"Debian chromium not found at {CHROMIUM}: run `make test`, which installs it")
    with sync_playwright() as p:
        b = p.chromium.launch(executable_path=CHROMIUM, args=CHROMIUM_ARGS, headless=True)
        yield b
        b.close()


@pytest.fixture
def page_factory(browser):
    """New pages with console errors collected in ``page.console_errors``."""
    contexts = []

    def make(width: int = 1280, height: int = 900, **kwargs):
        context = browser.new_context(
            viewport={"width": width, "height": height}, locale="ar", **kwargs
        )
        contexts.append(context)
        page = context.new_page()
        page.console_errors = []
        page.on(
            "console", lambda m: page.console_errors.append(m.text) if m.type == "error" else None
        )
        page.on("pageerror", lambda e: page.console_errors.append(str(e)))
        return page

    yield make
    for c in contexts:
        c.close()


def screenshot(page, name: str) -> Path:
    ARTIFACTS.mkdir(parents=True, exist_ok=True)
    path = ARTIFACTS / f"{name}.png"
    page.screenshot(path=str(path), full_page=True)
    return path

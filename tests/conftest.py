"""Shared fixtures: real objects in a real database (SQLite, or PostgreSQL via DATABASE_URL),
and a real headless Chromium for browser tests."""

from __future__ import annotations

import os
from collections.abc import Iterator
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

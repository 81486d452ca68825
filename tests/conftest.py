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


def pytest_report_header(config: pytest.Config) -> str:
    url = os.environ.get("DATABASE_URL")
    return f"akhbar database: {'PostgreSQL ' + url if url else 'SQLite (embedded default)'}"


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

"""Fixtures for the importer's database tests."""

from __future__ import annotations

from pathlib import Path

import pytest

from tests.conftest import SHARED

DATA = Path(__file__).resolve().parent / "data"
WORDPRESS = SHARED / "fixtures" / "wordpress"
THEME = WORDPRESS / "themeunittestdata.wordpress.xml"
BLOCKS = WORDPRESS / "64-block-test-data.xml"
ARABIC = DATA / "arabic.xml"
MIDDLEWARE = "akhbar.importers.middleware.LegacyUrlMiddleware"


@pytest.fixture
def legacy_urls(settings):
    """Install the legacy-URL middleware the way the lead wires it (after CommonMiddleware)."""
    if MIDDLEWARE not in settings.MIDDLEWARE:
        middleware = list(settings.MIDDLEWARE)
        middleware.insert(
            middleware.index("django.middleware.common.CommonMiddleware") + 1, MIDDLEWARE
        )
        settings.MIDDLEWARE = middleware
    return settings

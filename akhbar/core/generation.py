"""The one content generation every cache in Akhbar is keyed on (pages, feeds, sitemaps,
search suggestions).

Why a generation number instead of deleting keys: see akhbar.site.cache, whose subscribers
bump it on every change readers can see. It lives in core so that any app may key a cache on
it without depending on the site app.
"""

from __future__ import annotations

import time

from django.core.cache import cache

VERSION_KEY = "akhbar:content:version"


def content_version() -> str:
    """The current content generation; a new value orphans every cached page and document."""
    version = cache.get(VERSION_KEY)
    if version is None:
        version = str(time.time_ns())
        # add(): two requests racing on an empty cache end up agreeing on one value.
        if not cache.add(VERSION_KEY, version, None):
            version = cache.get(VERSION_KEY) or version
    return version


def bump_content_version() -> None:
    cache.set(VERSION_KEY, str(time.time_ns()), None)

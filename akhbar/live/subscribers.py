"""What a live change does after commit: readers' polls and the page cache see the new
version at once. The edge purge of the coverage's page and update endpoint is the edge app's
subscriber to the same event (``akhbar.edge``)."""

from __future__ import annotations

import hashlib

from django.core.cache import cache
from django.http import HttpRequest
from django.urls import reverse

from akhbar.core import events
from akhbar.live import services
from akhbar.newsroom.models import Article

SLUG_KEY = "akhbar:live:slug:{}"


def _slug_key(slug: str) -> str:
    """The slug comes from the reader's URL (any length, any characters): hashed, the key stays
    short and valid for every cache backend (memcached refuses spaces and control characters)."""
    return SLUG_KEY.format(
        hashlib.blake2b(slug.encode("utf-8", "surrogatepass"), digest_size=16).hexdigest()
    )


def _changed(event: events.LiveCoverageChanged) -> None:
    services.remember_version(event.coverage_id, event.version)
    slug = Article.objects.filter(pk=event.article_id).values_list("slug", flat=True).first()
    if slug:
        cache.set(_slug_key(slug), event.version, None)


def page_key_part(request: HttpRequest) -> str:
    """The live version of an article page, as part of its page-cache key: a new entry makes
    a new key for that one page, instead of a new content generation for the whole site."""
    prefix = _article_prefix()
    path = request.path_info
    if not path.startswith(prefix):
        return ""
    slug = path[len(prefix) :].rstrip("/")
    if not slug or "/" in slug:
        return ""
    version = cache.get(_slug_key(slug))
    return f"live{version}" if version is not None else ""


_prefix: list[str] = []


def _article_prefix() -> str:
    if not _prefix:
        _prefix.append(reverse("site:article", args=["x"])[:-2])
    return _prefix[0]


def connect() -> None:
    from akhbar.site.public import register_key_part
    from akhbar.syndication.public import register_article_schema, register_news_source

    events.subscribe(events.LiveCoverageChanged, _changed, name="live")
    register_key_part(page_key_part)
    register_article_schema(services.extend_schema)
    register_news_source(services.live_article_ids)

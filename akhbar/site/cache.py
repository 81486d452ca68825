"""Whole-page caching for anonymous readers, keyed on the one "content generation" that every
cache in Akhbar (pages, feeds, sitemaps, search suggestions) is keyed on; the counter is in
akhbar.core.generation, this app's subscribers bump it.

Why a generation number instead of deleting keys: a page lists many articles and an article
appears on many pages, so working out which cached pages an edit touches is error-prone.
Any save of published content bumps one number in the shared cache (Redis when configured,
so all app servers agree); every old entry is orphaned at once and expires on its own. Edits
are rare next to reads on a news site, so this costs little and is always correct: a reader
never sees a stale article once the edit has returned.

Nothing per-reader is ever cached: requests with a session cookie (logged-in staff), with the
reader's own pending-comment cookie, or anything but GET/HEAD bypass the cache, and any
response that sets a cookie or says ``private``/``no-store`` is not stored. The comment form's
CSRF token and signed timestamp come from a separate uncached request (see comments.views).
"""

from __future__ import annotations

import hashlib
from collections.abc import Callable
from datetime import datetime

from django.core.cache import cache
from django.http import HttpRequest, HttpResponse
from django.utils import timezone
from django.utils.cache import get_conditional_response
from django.utils.http import http_date, parse_http_date_safe, urlencode

from akhbar.core import surrogate
from akhbar.core.conf import akhbar_settings
from akhbar.core.generation import VERSION_KEY, bump_content_version, content_version

__all__ = [
    "VERSION_KEY",
    "PageCacheMiddleware",
    "bump_content_version",
    "content_version",
]

PAGE_PREFIX = "akhbar:page"
NEXT_SCHEDULED_KEY = "akhbar:content:next-scheduled"
BYPASS_COOKIES = ("sessionid", "akhbar_comments")
BYPASS_PREFIXES = ("/admin/", "/comments/", "/preview/", "/media/", "/static/", "/hit/")
CACHEABLE_TYPES = ("text/html", "application/rss+xml", "application/atom+xml", "application/xml")


#: Query parameters public pages read (pagination, comment pages, search filters, old
#: WordPress ids the legacy redirects answer). A view that reads a new one adds it here, or a
#: site adds it to AKHBAR["PAGE_CACHE_PARAMS"] in its settings; any other parameter is left
#: out of the cache key.
PAGE_CACHE_PARAMS = frozenset(
    {"page", "p", "cpage", "replytocom", "q", "category", "from", "to", "page_id", "cat",
     "tag", "author", "s", "feed", "attachment_id", "m", "year", "monthnum", "day",
     "before", "version"}  # live coverage (akhbar.live), wire output versions (akhbar.wire)
)  # fmt: skip


def page_cache_params() -> frozenset[str]:
    return PAGE_CACHE_PARAMS | frozenset(akhbar_settings.page_cache_params)


def _next_scheduled() -> datetime | None:
    """When the next scheduled article goes live (cached per generation: one query per edit)."""
    key = f"{NEXT_SCHEDULED_KEY}:{content_version()}"
    found = cache.get(key, "missing")
    if found == "missing":
        from django.db.models import Min

        from akhbar.newsroom.models import Article

        found = Article.objects.filter(
            status=Article.Status.PUBLISHED, published_at__gt=timezone.now()
        ).aggregate(next=Min("published_at"))["next"]
        cache.set(key, found, 3600)
    return found


def cache_seconds(limit: int) -> int:
    """How long a cached page may live: at most ``limit``, and never past the moment the next
    scheduled article goes live (that needs no save, so no signal would invalidate it)."""
    upcoming = _next_scheduled()
    if upcoming is not None:
        remaining = (upcoming - timezone.now()).total_seconds()
        limit = min(limit, max(1, int(remaining) + 1))
    return limit


#: Listing keys by view name (akhbar.core.surrogate): pages whose content is "the latest".
VIEW_KEYS = {
    "site:home": surrogate.HOME,
    "search:results": surrogate.SEARCH,
    "syndication:site-rss": surrogate.FEED,
    "syndication:site-atom": surrogate.FEED,
    "syndication:sitemap": surrogate.SITEMAP,
    "syndication:sitemap-section": surrogate.SITEMAP,
    "syndication:news-sitemap": surrogate.SITEMAP,
}


def surrogate_keys(request: HttpRequest, noted: set[str] | frozenset[str] = frozenset()) -> str:
    """Keys a CDN or Varnish (xkey) purges by (Fastly ``Surrogate-Key``, Cloudflare
    ``Cache-Tag``): the page kind, the listing it is, and ``noted`` — what the rendering
    recorded (every article shown, the section, tag or author; see akhbar.core.surrogate)."""
    match = getattr(request, "resolver_match", None)
    keys = set(noted)
    if match is not None:
        name = match.view_name.replace(":", "-")
        keys.add(name)
        slug = match.kwargs.get("slug")
        if slug:
            keys.add(f"{name}-{hashlib.sha1(slug.encode()).hexdigest()[:12]}")  # noqa: S324
        if name != "site-article":
            keys.add("listing")
        if match.view_name in VIEW_KEYS:
            keys.add(VIEW_KEYS[match.view_name])
    return surrogate.header_value(keys)


#: Extra parts of a page's cache key from apps whose pages change more often than the content
#: generation should (a live coverage takes an entry every few seconds): ``part(request)``
#: returns "" when it does not apply. Each part must be cheap (a cache lookup, no query).
_KEY_PARTS: list[Callable[[HttpRequest], str]] = []


def register_key_part(part: Callable[[HttpRequest], str]) -> None:
    if part not in _KEY_PARTS:
        _KEY_PARTS.append(part)


class PageCacheMiddleware:
    """Serve anonymous GETs from the cache; store cacheable responses."""

    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response

    def _bypass(self, request: HttpRequest) -> bool:
        if not akhbar_settings.page_cache or request.method not in ("GET", "HEAD"):
            return True
        if any(name in request.COOKIES for name in BYPASS_COOKIES):
            return True
        return request.path.startswith(BYPASS_PREFIXES)

    def _key(self, request: HttpRequest) -> str:
        # Only the query parameters some page reads are part of the key (sorted): "?r=123",
        # "?utm_source=…" or "?fbclid=…" are the same page, answered from the cache instead
        # of costing one render and one new entry each (a cheap way to flood the cache).
        used = page_cache_params()
        query = urlencode(
            sorted((k, v) for k, values in request.GET.lists() if k in used for v in values)
        )
        # Apps whose pages change more often than the generation add a part (live coverage).
        extra = "".join(part(request) for part in _KEY_PARTS)
        raw = "|".join([request.scheme or "", request.get_host(), request.path, query, extra])
        digest = hashlib.sha256(raw.encode("utf-8", "surrogatepass")).hexdigest()[:40]
        return f"{PAGE_PREFIX}:{content_version()}:{digest}"

    def __call__(self, request: HttpRequest) -> HttpResponse:
        if self._bypass(request):
            response = self.get_response(request)
            if request.method in ("GET", "HEAD") and "Cache-Control" not in response:
                response["Cache-Control"] = "private, no-cache"
            return response
        key = self._key(request)
        stored = cache.get(key)
        if stored is not None:
            return self._from_cache(request, stored)
        with surrogate.collecting() as noted:
            response = self.get_response(request)
        if self._storable(response):
            self._decorate(request, response, noted)
            headers = {
                k: response[k]
                for k in (
                    "Content-Type",
                    "Content-Language",
                    "ETag",
                    "Last-Modified",
                    "Cache-Control",
                    "Surrogate-Key",
                    "Cache-Tag",
                    "X-Robots-Tag",
                )
                if k in response
            }
            timeout = cache_seconds(akhbar_settings.page_cache_seconds)
            cache.set(key, (response.status_code, headers, response.content), timeout)
            response["X-Cache"] = "MISS"
            return (
                get_conditional_response(request, etag=response["ETag"], response=response)
                or response
            )
        return response

    @staticmethod
    def _storable(response: HttpResponse) -> bool:
        if response.status_code != 200 or response.streaming or response.cookies:
            return False
        control = response.get("Cache-Control", "")
        if "private" in control or "no-store" in control or "no-cache" in control:
            return False
        content_type = response.get("Content-Type", "").split(";")[0].strip()
        return content_type in CACHEABLE_TYPES

    @staticmethod
    def _decorate(request: HttpRequest, response: HttpResponse, noted: set[str]) -> None:
        if "ETag" not in response:
            response["ETag"] = f'"{hashlib.sha256(response.content).hexdigest()[:32]}"'
        if "Last-Modified" not in response:
            response["Last-Modified"] = http_date()
        if "Cache-Control" not in response:
            # Browsers revalidate (cheap 304s thanks to the ETag); shared caches and CDNs keep
            # the page for s-maxage and may serve it stale briefly while refetching, which is
            # what absorbs a breaking-news spike.
            s_maxage = akhbar_settings.page_cache_seconds
            swr = akhbar_settings.page_cache_stale_seconds
            response["Cache-Control"] = (
                f"public, max-age=0, s-maxage={s_maxage}, stale-while-revalidate={swr}"
            )
        keys = surrogate_keys(request, noted)
        response["Surrogate-Key"] = keys
        response["Cache-Tag"] = keys.replace(" ", ",")

    @staticmethod
    def _from_cache(request: HttpRequest, stored: tuple) -> HttpResponse:
        status, headers, content = stored
        conditional = get_conditional_response(
            request,
            etag=headers.get("ETag"),
            last_modified=parse_http_date_safe(headers.get("Last-Modified", "")),
            response=HttpResponse(status=status, headers=headers),
        )
        if conditional is not None and conditional.status_code == 304:
            conditional["X-Cache"] = "HIT"
            return conditional
        response = HttpResponse(
            b"" if request.method == "HEAD" else content, status=status, headers=headers
        )
        response["Content-Length"] = str(len(content))
        response["X-Cache"] = "HIT"
        return response

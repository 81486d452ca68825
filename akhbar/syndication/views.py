"""Feed, sitemap and robots.txt endpoints: thin wrappers that add caching and conditional GET.

Each document is generated once per cache generation (``services.cache_version``) and served
from the cache afterwards with an ETag and Last-Modified, so a feed reader polling every few
minutes usually gets a bodiless 304.
"""

from __future__ import annotations

import hashlib
import re
from collections.abc import Callable
from functools import wraps
from typing import Any

from django.contrib.sitemaps import views as sitemap_views
from django.contrib.syndication.views import Feed
from django.core.cache import cache
from django.http import Http404, HttpRequest, HttpResponse, HttpResponseNotAllowed, QueryDict
from django.shortcuts import render
from django.urls import reverse
from django.utils.cache import get_conditional_response, patch_cache_control
from django.utils.http import parse_http_date_safe

from akhbar.core import surrogate
from akhbar.newsroom.models import Article
from akhbar.site.models import SiteSettings
from akhbar.syndication import services as s
from akhbar.syndication.sitemaps import SITEMAPS, news_items

View = Callable[..., HttpResponse]
_PAGE_NUMBER = re.compile(r"[0-9]{1,7}")


def cached_document(kind: str, key_extra: Callable[..., str] | None = None) -> Callable:
    """Serve a GET-only XML/text view from the cache, with ETag/Last-Modified and 304s.

    Only successful responses are cached; ``key_extra(request, **kwargs)`` returns whatever
    besides scheme, host and path changes the output (a page number, a comment version), so
    arbitrary query strings cannot fill the cache with copies.
    """

    def decorator(view: View) -> View:
        @wraps(view)
        def wrapped(request: HttpRequest, *args: Any, **kwargs: Any) -> HttpResponse:
            if request.method not in ("GET", "HEAD"):
                return HttpResponseNotAllowed(["GET", "HEAD"])
            extra = key_extra(request, *args, **kwargs) if key_extra else ""
            key = s.cache_key(request, kind, extra)
            entry = cache.get(key)
            if entry is None:
                with surrogate.collecting() as noted:
                    response = view(request, *args, **kwargs)
                if response.status_code != 200:
                    return response
                if hasattr(response, "render"):
                    response.render()
                content = response.content
                entry = {
                    "content": content,
                    "content_type": response["Content-Type"],
                    "last_modified": response.get("Last-Modified"),
                    "etag": f'"{hashlib.sha256(content).hexdigest()[:32]}"',
                    # Edge-cache keys noted while generating, told again on every hit.
                    "keys": sorted(noted),
                }
                cache.set(key, entry, s.cache_seconds())
            surrogate.note_all(entry.get("keys", ()))
            response = HttpResponse(entry["content"], content_type=entry["content_type"])
            response["ETag"] = entry["etag"]
            if entry["last_modified"]:
                response["Last-Modified"] = entry["last_modified"]
            patch_cache_control(
                response, public=True, max_age=int(s.setting("SYNDICATION_MAX_AGE", 300))
            )
            return get_conditional_response(
                request,
                etag=entry["etag"],
                last_modified=parse_http_date_safe(entry["last_modified"] or ""),
                response=response,
            )

        return wrapped

    return decorator


# --- Feeds ----------------------------------------------------------------------------------


def feed_view(feed_class: type[Feed], kind: str = "feed", key_extra: Any = None) -> View:
    """A view that builds a fresh ``feed_class`` per request (feeds keep the request)."""

    @cached_document(kind, key_extra)
    def view(request: HttpRequest, *args: Any, **kwargs: Any) -> HttpResponse:
        return feed_class()(request, *args, **kwargs)

    view.__name__ = f"{feed_class.__name__}_view"
    return view


def comments_key(request: HttpRequest, slug: str) -> str:
    """Comment feeds follow their own version, bumped by that article's comment changes."""
    pk = Article.objects.filter(slug=slug).values_list("pk", flat=True).first()
    if pk is None:
        raise Http404("المقال غير موجود")
    return s.comments_version(pk)


# --- Sitemaps -------------------------------------------------------------------------------


def _page_number(request: HttpRequest) -> int:
    """``?p=`` (Django's name; ``?page=`` is accepted too): ASCII digits, 1 or more, else 404."""
    raw = request.GET.get("p", request.GET.get("page", "1"))
    if not _PAGE_NUMBER.fullmatch(raw) or int(raw) < 1:
        raise Http404("No such sitemap page")
    return int(raw)


def _page_key(request: HttpRequest, section: str = "") -> str:
    return f"{section}:{_page_number(request)}"


@cached_document("sitemap-index")
def sitemap_index(request: HttpRequest) -> HttpResponse:
    return sitemap_views.index(
        request,
        SITEMAPS,
        template_name="syndication/sitemap_index.xml",
        sitemap_url_name="syndication:sitemap-section",
    )


@cached_document("sitemap", _page_key)
def sitemap_section(request: HttpRequest, section: str) -> HttpResponse:
    if section not in SITEMAPS:
        raise Http404("No such sitemap")
    request.GET = QueryDict(f"p={_page_number(request)}")
    return sitemap_views.sitemap(
        request, {section: SITEMAPS[section]}, section, template_name="syndication/sitemap.xml"
    )


@cached_document("news-sitemap")
def news_sitemap(request: HttpRequest) -> HttpResponse:
    """Google News sitemap: stories of the last 48 hours with publication name and language."""
    settings = SiteSettings.current()
    head, _, tail = reverse("site:article", kwargs={"slug": "__slug__"}).partition("__slug__")
    base = request.build_absolute_uri(head)
    items = [
        {
            "location": f"{base}{s.quote_path_segment(slug)}{tail}",
            "title": s.xml_text(title),
            "published": published.replace(microsecond=0),
        }
        for slug, title, published in news_items()
    ]
    return render(
        request,
        "syndication/news_sitemap.xml",
        {
            "items": items,
            "publication_name": s.xml_text(settings.site_name),
            "language": settings.language or "ar",
        },
        content_type="application/xml; charset=utf-8",
    )


@cached_document("robots")
def robots_txt(request: HttpRequest) -> HttpResponse:
    lines = [
        "User-agent: *",
        "Disallow: /admin/",
        "Disallow: /search/",
        "Disallow: /preview/",
        "Disallow: /comments/",
        "",
        f"Sitemap: {request.build_absolute_uri(reverse('syndication:sitemap'))}",
        f"Sitemap: {request.build_absolute_uri(reverse('syndication:news-sitemap'))}",
        "",
    ]
    return HttpResponse("\n".join(lines), content_type="text/plain; charset=utf-8")

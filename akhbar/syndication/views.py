"""Feed, sitemap and robots.txt endpoints: thin wrappers over Django's feed and sitemap views.

There is one cache layer, the page cache (akhbar.site.cache): a feed or sitemap is generated
once per content generation and served from it afterwards with an ETag and Last-Modified, so a
feed reader polling every few minutes usually gets a bodiless 304.
"""

from __future__ import annotations

import re
from collections.abc import Callable
from functools import wraps
from typing import Any

from django.contrib.sitemaps import views as sitemap_views
from django.contrib.syndication.views import Feed
from django.http import Http404, HttpRequest, HttpResponse, QueryDict
from django.shortcuts import render
from django.urls import reverse
from django.utils.cache import patch_cache_control
from django.views.decorators.http import require_safe

from akhbar.core.conf import akhbar_settings
from akhbar.site.models import SiteSettings
from akhbar.syndication import services as s
from akhbar.syndication.sitemaps import SITEMAPS, news_items

View = Callable[..., HttpResponse]
_PAGE_NUMBER = re.compile(r"[0-9]{1,7}")


def document(view: View) -> View:
    """GET/HEAD only, and how long feed readers and shared caches may keep the document.

    Caching is the page cache's job (akhbar.site.cache): it stores these responses like any
    page, keyed on the content generation (which every reader-visible event, comments included,
    bumps), and answers conditional GETs with 304s from the ETag and Last-Modified it stores.
    """

    @require_safe
    @wraps(view)
    def wrapped(request: HttpRequest, *args: Any, **kwargs: Any) -> HttpResponse:
        response = view(request, *args, **kwargs)
        if response.status_code == 200:
            patch_cache_control(response, public=True, max_age=akhbar_settings.syndication_max_age)
        return response

    return wrapped


# --- Feeds ----------------------------------------------------------------------------------


def feed_view(feed_class: type[Feed]) -> View:
    """A view that builds a fresh ``feed_class`` per request (feeds keep the request)."""

    @document
    def view(request: HttpRequest, *args: Any, **kwargs: Any) -> HttpResponse:
        return feed_class()(request, *args, **kwargs)

    view.__name__ = f"{feed_class.__name__}_view"
    return view


# --- Sitemaps -------------------------------------------------------------------------------


def _page_number(request: HttpRequest) -> int:
    """``?p=`` (Django's name; ``?page=`` is accepted too): ASCII digits, 1 or more, else 404."""
    raw = request.GET.get("p", request.GET.get("page", "1"))
    if not _PAGE_NUMBER.fullmatch(raw) or int(raw) < 1:
        raise Http404("No such sitemap page")
    return int(raw)


@document
def sitemap_index(request: HttpRequest) -> HttpResponse:
    return sitemap_views.index(
        request,
        SITEMAPS,
        template_name="syndication/sitemap_index.xml",
        sitemap_url_name="syndication:sitemap-section",
    )


@document
def sitemap_section(request: HttpRequest, section: str) -> HttpResponse:
    if section not in SITEMAPS:
        raise Http404("No such sitemap")
    request.GET = QueryDict(f"p={_page_number(request)}")
    return sitemap_views.sitemap(
        request, {section: SITEMAPS[section]}, section, template_name="syndication/sitemap.xml"
    )


@document
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


@document
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

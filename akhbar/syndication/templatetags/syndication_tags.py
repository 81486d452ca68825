"""``{% page_head as seo %}`` (metadata for ``syndication/head.html``) and sitemap helpers."""

from __future__ import annotations

from datetime import date, datetime
from html import escape
from typing import Any

from django import template
from django.utils import timezone
from django.utils.safestring import SafeString, mark_safe

from akhbar.syndication.metadata import Head
from akhbar.syndication.metadata import page_head as build_head

register = template.Library()


@register.simple_tag(takes_context=True)
def page_head(context: Any) -> Head:
    return build_head(context)


@register.filter
def sitemap_urls(urlset: list[dict[str, Any]]) -> SafeString:
    """The ``<url>`` elements of a sitemap page, written in Python.

    A 50,000-entry page through the template engine's ``{% for %}`` takes seconds; this
    filter does the same escaping and date formatting in a fraction of that.
    """
    out = []
    for url in urlset:
        out.append(f"<url><loc>{escape(url['location'], quote=False)}</loc>")
        if lastmod := url.get("lastmod"):
            out.append(f"<lastmod>{w3c_datetime(lastmod)}</lastmod>")
        if image := url.get("image"):
            out.append(
                f"<image:image><image:loc>{escape(image, quote=False)}</image:loc></image:image>"
            )
        out.append("</url>\n")
    return mark_safe("".join(out))  # every value above is escaped


def w3c_datetime(value: datetime | date) -> str:
    """ISO 8601 in the site's time zone, to the second, as sitemaps expect."""
    if isinstance(value, datetime):
        if timezone.is_aware(value):
            value = timezone.localtime(value)
        return value.replace(microsecond=0).isoformat()
    return value.isoformat()

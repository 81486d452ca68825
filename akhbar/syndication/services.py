"""Shared helpers for feeds, sitemaps and page metadata.

Everything that leaves the site as XML or JSON for machines (feed readers, crawlers, social
networks) goes through these functions, so the rules are in one place: text is made legal
XML 1.0, URLs are absolute, identifiers never change. (Caching them is the page cache's job,
akhbar.site.cache.)
"""

from __future__ import annotations

import json
import re
from datetime import datetime
from html import escape as html_escape
from typing import Any
from urllib.parse import quote

import lxml.html
from django.core.files.storage import default_storage
from django.core.serializers.json import DjangoJSONEncoder
from django.http import HttpRequest
from django.utils.safestring import SafeString, mark_safe

from akhbar.core.conf import setting

# XML 1.0 "Char" production: everything else (C0 controls except tab/LF/CR, lone surrogates,
# U+FFFE/U+FFFF) makes a document ill-formed, and Django's feed writer refuses it with an
# exception, i.e. a 500. Wire copy pasted from Word regularly carries \x0b and \x0c.
_XML_ILLEGAL = re.compile("[^\t\n\r\x20-\ud7ff\ue000-\ufffd\U00010000-\U0010ffff]")


def xml_text(value: Any) -> str:
    """``value`` as text with every character XML 1.0 forbids removed."""
    if value is None:
        return ""
    return _XML_ILLEGAL.sub("", str(value))


# --- URLs ---------------------------------------------------------------------------------


def absolute(request: HttpRequest, url: str) -> str:
    """``url`` made absolute against the request's scheme and host (already absolute URLs,
    such as media on a CDN storage, are returned unchanged)."""
    if not url:
        return ""
    if url.startswith(("http://", "https://")):
        return url
    if url.startswith("//"):
        return f"{request.scheme}:{url}"
    return request.build_absolute_uri(url)


def media_url(name: str) -> str:
    """Public URL of a stored file name (e.g. ``Article.featured_image``'s ``name``)."""
    return default_storage.url(name) if name else ""


def absolutize_html(html: str, base: str) -> str:
    """Rewrite relative ``href``/``src`` in an HTML fragment against ``base``.

    Feed readers show the body away from our site, so ``/media/…`` images would break.
    """
    if not html.strip():
        return ""
    root = lxml.html.fragment_fromstring(html, create_parent="div")
    root.make_links_absolute(base, resolve_base_href=False)
    inner = html_escape(root.text or "", quote=False)
    return inner + "".join(lxml.html.tostring(child, encoding=str) for child in root)


def tag_uri(authority: str, created: datetime | None, kind: str, pk: int) -> str:
    """An RFC 4151 ``tag:`` URI: a permanent id for an entry.

    Built from the primary key and the creation date, neither of which an editor can change,
    so a corrected title or slug never makes feed readers show the story twice. The authority
    is ``AKHBAR["FEED_ID_AUTHORITY"]`` when set (so ids survive a domain move), else the host.
    """
    authority = setting("FEED_ID_AUTHORITY", "") or authority.split(":")[0]
    day = (created or datetime(2000, 1, 1)).strftime("%Y-%m-%d")
    return f"tag:{authority},{day}:{kind}-{pk}"


# --- JSON-LD --------------------------------------------------------------------------------

_JSON_SCRIPT_ESCAPES = {ord(">"): "\\u003E", ord("<"): "\\u003C", ord("&"): "\\u0026"}


def json_ld_script(data: dict[str, Any]) -> SafeString:
    """``data`` as a ``<script type="application/ld+json">`` element.

    Same escaping as Django's ``json_script`` (which only emits ``application/json``): ``<``,
    ``>`` and ``&`` become ``\\u003C``… so ``</script>`` inside a headline cannot end the
    element, while Arabic stays readable (no ``\\uXXXX`` for every letter).
    """
    text = json.dumps(data, cls=DjangoJSONEncoder, ensure_ascii=False, separators=(",", ":"))
    text = xml_text(text).translate(_JSON_SCRIPT_ESCAPES)
    return mark_safe(f'<script type="application/ld+json">{text}</script>')


def quote_path_segment(value: str) -> str:
    """Percent-encode a slug the way ``reverse()`` does, for URLs built without it."""
    return quote(value, safe="!$&'()*+,;=/~:@")

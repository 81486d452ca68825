"""Reader pages' style sheets inlined in the page, allowed by their hash in the CSP.

Why inline: on a phone on a slow network (issue 15: Slow 4G, 562 ms round trip) every
render-blocking style sheet costs one more round trip before the first paint, and the page
cannot lay itself out while its lead picture downloads; measured, the lead picture was painted
0.3-0.4 s after it arrived (docs/benchmarks.md). The reader pages' sheets are small (about
8 KB gzipped together), so they travel inside the HTML instead.

Why by hash: the Content-Security-Policy refuses inline styles. A nonce would be cached with
the page (page cache, Varnish) and so be public; a ``sha256-`` source is the same for every
response and every reader, and allows exactly these sheets' bytes, nothing else.

Only the sheets named in ``INLINE_STYLESHEETS`` can be inlined, so the policy lists a fixed
set of hashes. Their text is read once per process from the static files storage (the hashed
copy under ``AKHBAR_MANIFEST_STATIC``), with relative ``url()``s made absolute, since they
would otherwise resolve against the page's address.
"""

from __future__ import annotations

import base64
import hashlib
import posixpath
import re
from collections.abc import Callable
from dataclasses import dataclass
from functools import cache

from django.contrib.staticfiles import finders
from django.contrib.staticfiles.storage import staticfiles_storage
from django.http import HttpRequest, HttpResponse

#: The sheets reader pages inline (static paths). Another sheet is linked as usual.
INLINE_STYLESHEETS = (
    "akhbar/css/akhbar.css",
    "search/search.css",
    "newsletters/newsletters.css",
)

_URL = re.compile(r"""url\(\s*(['"]?)([^'")\s]+)\1\s*\)""")


@dataclass(frozen=True, slots=True)
class InlineSheet:
    css: str
    csp_source: str  # "'sha256-…'"


def _read(path: str) -> tuple[str, str]:
    """The sheet's text and its URL, from the manifest copy when there is one."""
    try:
        name = staticfiles_storage.stored_name(path)  # type: ignore[attr-defined]
    except (AttributeError, ValueError):
        name = path
    url = staticfiles_storage.url(path)
    try:
        with staticfiles_storage.open(name) as fh:
            return fh.read().decode("utf-8"), url
    except (FileNotFoundError, OSError):
        found = finders.find(path)
        if not found:
            raise
        with open(found if isinstance(found, str) else found[0], encoding="utf-8") as fh:
            return fh.read(), url


def _absolute(css: str, sheet_url: str) -> str:
    base = posixpath.dirname(sheet_url.split("?", 1)[0]) + "/"

    def fix(match: re.Match[str]) -> str:
        target = match.group(2)
        if target.startswith(("/", "data:", "http:", "https:", "#")):
            return match.group(0)
        return f'url("{posixpath.normpath(posixpath.join(base, target))}")'

    return _URL.sub(fix, css)


@cache
def sheet(path: str) -> InlineSheet:
    if path not in INLINE_STYLESHEETS:
        raise ValueError(f"{path} is not in INLINE_STYLESHEETS; link it instead")
    text, url = _read(path)
    css = _absolute(text, url).strip()
    if "</" in css:  # would end the <style> element early; no sheet of ours needs it
        raise ValueError(f"{path} contains '</' and cannot be inlined")
    digest = base64.b64encode(hashlib.sha256(css.encode("utf-8")).digest()).decode()
    return InlineSheet(css=css, csp_source=f"'sha256-{digest}'")


def csp_sources() -> list[str]:
    return [sheet(path).csp_source for path in INLINE_STYLESHEETS]


class InlineStyleHashesMiddleware:
    """Adds the inlined sheets' hashes to every response's ``style-src``, cache hits too: it
    sits just inside django-csp's middleware and outside the page cache, and django-csp reads
    ``response._csp_update`` when it builds the header."""

    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        response = self.get_response(request)
        update = dict(getattr(response, "_csp_update", None) or {})
        update["style-src"] = [*update.get("style-src", []), *csp_sources()]
        response._csp_update = update  # type: ignore[attr-defined]
        return response

"""Surrogate keys: which cached pages show what, so an edge cache can purge exactly.

A page is tagged, while it renders, with a key for every article it links to (``a<id>``, noted
by ``Article.get_absolute_url``), for the article whose own page it is (``p<id>``), for the
listing it is (``s<id>`` section, ``t<id>`` tag, ``u<id>`` author, ``home``, ``search``,
``sitemap``, ``feed`` and ``fs<id>``/``ft<id>``/``fu<id>`` for taxonomy feeds) and for shown tag
names (``tn<id>``). ``akhbar.edge`` turns each domain event into the keys to purge.

Why a context variable noted from the model and views rather than keys computed by the
middleware from the URL: only the rendering knows which articles ended up on a page (latest,
most read, related, search results), and every one of them is linked through
``get_absolute_url``. Outside a request that collects keys, ``note`` does nothing.

This module lives in ``akhbar.core`` (no app) so that ``newsroom``, which depends on no other
app, can note keys without importing the edge app.
"""

from __future__ import annotations

from collections.abc import Iterable, Iterator
from contextlib import contextmanager
from contextvars import ContextVar

#: Every page carries this one; purging it empties the whole edge cache.
ALL = "akhbar"
HOME = "home"
SEARCH = "search"
SITEMAP = "sitemap"
FEED = "feed"
#: More keys than this on one page and the page is tagged with ``ALL``-level keys only
#: (Varnish's default response header limit is 8 KB; a key is up to ~10 bytes).
MAX_KEYS = 600

_keys: ContextVar[set[str] | None] = ContextVar("akhbar_surrogate_keys", default=None)


def article(pk: int) -> str:
    """Any page that shows article ``pk`` (a teaser, a link, a feed item)."""
    return f"a{pk}"


def article_page(pk: int) -> str:
    """The article's own page (and its comments feed): what a comment change touches."""
    return f"p{pk}"


def section(pk: int) -> str:
    return f"s{pk}"


def tag(pk: int) -> str:
    return f"t{pk}"


def tag_name(pk: int) -> str:
    """Pages that print the tag's name (article pages' tag chips)."""
    return f"tn{pk}"


def author(pk: int) -> str:
    return f"u{pk}"


def author_name(pk: int) -> str:
    """Pages that print the author's name (article pages' bylines)."""
    return f"un{pk}"


def section_feed(pk: int) -> str:
    return f"fs{pk}"


def tag_feed(pk: int) -> str:
    return f"ft{pk}"


def author_feed(pk: int) -> str:
    return f"fu{pk}"


def note(*keys: str) -> None:
    """Tag the page being rendered with ``keys`` (no-op outside a collecting request)."""
    found = _keys.get()
    if found is not None:
        found.update(keys)


def noted() -> set[str]:
    """The keys noted so far in the current collection (empty outside one)."""
    return set(_keys.get() or ())


@contextmanager
def collecting() -> Iterator[set[str]]:
    """Collect the keys noted while the body runs (nested collections share the outer set)."""
    outer = _keys.get()
    if outer is not None:
        yield outer
        return
    found: set[str] = set()
    token = _keys.set(found)
    try:
        yield found
    finally:
        _keys.reset(token)


def header_value(keys: Iterable[str]) -> str:
    """Keys as one space-separated header value, ``ALL`` first, sorted, bounded in size."""
    rest = sorted(set(keys) - {ALL})
    if len(rest) > MAX_KEYS:
        # Too many articles to name: keep the listing keys, drop per-article ones. The page
        # then follows its listing's purges and its s-maxage (never wrong for long).
        rest = [k for k in rest if not k.startswith("a")][:MAX_KEYS]
    return " ".join([ALL, *rest])

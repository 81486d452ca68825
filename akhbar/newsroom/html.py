"""The one allow-list for article HTML.

Editors paste from Word, WordPress and wire services; whatever arrives, the body we store and
render is cut down to this allow-list by nh3 (Rust's ammonia), so a reader's browser never
receives a script, an event handler or a ``javascript:`` URL from an article.
"""

from __future__ import annotations

import html
import re

import nh3

ALLOWED_TAGS = {
    "p", "br", "h2", "h3", "h4", "h5", "h6", "ul", "ol", "li", "a", "strong", "b", "em", "i",
    "blockquote", "figure", "figcaption", "img", "pre", "code", "table", "thead", "tbody",
    "tr", "th", "td", "hr", "span", "sub", "sup", "q", "cite",
}  # fmt: skip
ALLOWED_ATTRIBUTES = {
    "a": {"href", "title"},
    "img": {"src", "alt", "width", "height"},
    "td": {"colspan", "rowspan"},
    "th": {"colspan", "rowspan", "scope"},
    "*": {"dir", "lang"},
}
URL_SCHEMES = {"http", "https", "mailto"}

_SPACE_RE = re.compile(r"\s+")
# Where one block ends and the next begins there is no space in the HTML ("</p><p>"); without
# one, the last word of a paragraph and the first of the next would become one word.
_BLOCK_END_RE = re.compile(
    r"(?i)</(?:p|h[1-6]|li|blockquote|div|figcaption|td|th|tr|pre)\s*>|<br\s*/?>"
)


def sanitize_html(value: str) -> str:
    """Return ``value`` reduced to the article allow-list (links get ``rel=noopener``)."""
    return nh3.clean(
        value or "",
        tags=ALLOWED_TAGS,
        attributes=ALLOWED_ATTRIBUTES,
        url_schemes=URL_SCHEMES,
        link_rel="noopener",
        strip_comments=True,
    )


def html_to_text(value: str) -> str:
    """Plain text of an HTML fragment, whitespace collapsed (for excerpts and indexing)."""
    text = nh3.clean(_BLOCK_END_RE.sub(" ", value or ""), tags=set(), attributes={})
    return _SPACE_RE.sub(" ", html.unescape(text)).strip()


def first_words(text: str, words: int = 40) -> str:
    parts = text.split()
    if len(parts) <= words:
        return text
    return " ".join(parts[:words]) + "…"

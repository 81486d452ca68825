"""Comment text is plain text: escaped, line breaks kept, URLs turned into links.

The HTML we build is passed through nh3 anyway (defence in depth), with ``rel`` forced to
``nofollow ugc noopener`` so comment links give spammers no search-engine credit.
"""

from __future__ import annotations

import html
import re

import nh3

_URL_RE = re.compile(r"(?i)\b((?:https?://|www\.)[^\s<>\"'«»]+[^\s<>\"'«».,،؛:!?)\]])")
SAFE_URL_SCHEMES = ("http://", "https://")


def render_comment(text: str) -> str:
    escaped = html.escape(text or "", quote=True)

    def link(match: re.Match[str]) -> str:
        shown = match.group(1)
        href = html.unescape(shown)
        if not href.lower().startswith(SAFE_URL_SCHEMES):
            href = "http://" + href
        return f'<a href="{html.escape(href, quote=True)}">{shown}</a>'

    linked = _URL_RE.sub(link, escaped)
    paragraphs = [p for p in re.split(r"\n\s*\n", linked.replace("\r\n", "\n")) if p.strip()]
    body = "".join(f"<p>{p.strip().replace(chr(10), '<br>')}</p>" for p in paragraphs)
    return nh3.clean(
        body,
        tags={"p", "br", "a"},
        attributes={"a": {"href"}},
        url_schemes={"http", "https"},
        link_rel="nofollow ugc noopener",
    )


def safe_website(url: str) -> str:
    """An author's website link only if it is http(s); anything else is not linked at all."""
    return url if (url or "").lower().startswith(SAFE_URL_SCHEMES) else ""

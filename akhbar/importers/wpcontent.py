"""Convert WordPress post content into Akhbar's sanitised article HTML.

What WordPress stores in ``post_content`` is not what it shows readers: at
render time it strips Gutenberg block delimiters, runs ``wpautop`` to turn
blank-line-separated text into paragraphs, and expands shortcodes.  An
importer that copied the raw field would publish ``[caption]`` markup, lose
every paragraph break of a classic-editor post and carry ``<script>`` tags
along, so this module reproduces the parts of that pipeline that matter for
article bodies and then sanitises the result with ``nh3`` against Akhbar's own
allow-list.  It has no Django imports so it can be tested in isolation.
"""

from __future__ import annotations

import bisect
import html
import json
import re
from collections.abc import Callable

import nh3

__all__ = [
    "ALLOWED_ATTRIBUTES",
    "ALLOWED_TAGS",
    "convert_wp_content",
    "excerpt_from_html",
    "render_shortcodes",
    "wpautop",
]

# --------------------------------------------------------------------------
# Sanitiser configuration
# --------------------------------------------------------------------------

ALLOWED_TAGS: frozenset[str] = frozenset(
    {
        "p", "br", "h2", "h3", "h4", "h5", "h6", "ul", "ol", "li", "a",
        "strong", "b", "em", "i", "blockquote", "figure", "figcaption", "img",
        "pre", "code", "table", "thead", "tbody", "tr", "th", "td", "hr",
    }
)  # fmt: skip
ALLOWED_ATTRIBUTES: dict[str, frozenset[str]] = {
    "a": frozenset({"href", "title"}),
    "img": frozenset({"src", "alt", "width", "height"}),
}
_URL_SCHEMES = frozenset({"http", "https", "mailto"})
# Removed together with their content; everything else not allowed is
# unwrapped (tag dropped, text kept).
_CLEAN_CONTENT_TAGS = frozenset({"script", "style", "template", "noscript", "iframe", "object"})


_H1_RE = re.compile(r"<(/?)h1(?=[\s>/])", re.IGNORECASE)


def _sanitise(fragment: str) -> str:
    """Apply Akhbar's allow-list; ``nh3`` (ammonia/html5ever) also repairs unclosed tags.

    ``<h1>`` is reserved for the article headline on Akhbar pages, so headings
    of that level inside a body are demoted to ``<h2>`` instead of being
    flattened into loose text.
    """
    fragment = _H1_RE.sub(r"<\1h2", fragment)
    return nh3.clean(
        fragment,
        tags=set(ALLOWED_TAGS),
        clean_content_tags=set(_CLEAN_CONTENT_TAGS),
        attributes={tag: set(attrs) for tag, attrs in ALLOWED_ATTRIBUTES.items()},
        url_schemes=set(_URL_SCHEMES),
        link_rel="noopener",
        strip_comments=True,
    ).strip()


# --------------------------------------------------------------------------
# Gutenberg block delimiters
# --------------------------------------------------------------------------

# Mirrors the delimiter grammar of WordPress's block parser: an optional
# closer slash, an optional namespace, a name, optional JSON attributes and an
# optional void slash.  JSON attributes never contain "-->" (WordPress escapes
# "--" as \u002d\u002d when serialising), so a lazy match is safe.
_BLOCK_NAME = r"(?:[a-z][a-z0-9_-]*/)?[a-z][a-z0-9_-]*"
_BLOCK_COMMENT_RE = re.compile(
    r"<!--\s+/?wp:" + _BLOCK_NAME + r"\s+(?:\{.*?\}\s+)?/?-->",
    re.DOTALL,
)
# Embed blocks (current "core/embed" and the pre-5.6 "core-embed/<provider>").
_EMBED_BLOCK_RE = re.compile(
    r"<!--\s+wp:(?:core-)?embed(?:/[a-z0-9_-]+)?\s+(\{.*?\})\s+-->"
    r"(.*?)"
    r"<!--\s+/wp:(?:core-)?embed(?:/[a-z0-9_-]+)?\s+-->",
    re.DOTALL,
)


def _link_paragraph(url: str) -> str:
    """The plain-link stand-in for an embed: Akhbar renders no third-party iframes."""
    escaped = html.escape(url, quote=True)
    return f'<p><a href="{escaped}">{escaped}</a></p>'


def _is_web_url(url: str) -> bool:
    return re.match(r"^https?://[^\s<>\"']+$", url, re.IGNORECASE) is not None


def _replace_embed_blocks(text: str) -> str:
    """Turn an embed block into a link to the embedded URL (its attrs hold it)."""

    def repl(match: re.Match[str]) -> str:
        try:
            attrs = json.loads(match.group(1))
        except ValueError:
            return match.group(2)
        url = attrs.get("url") if isinstance(attrs, dict) else None
        if isinstance(url, str) and _is_web_url(url.strip()):
            return "\n\n" + _link_paragraph(url.strip()) + "\n\n"
        return match.group(2)

    return _EMBED_BLOCK_RE.sub(repl, text)


def _strip_block_comments(text: str) -> str:
    """Drop ``<!-- wp:... -->`` delimiters but keep the HTML they wrap.

    Dynamic blocks (latest posts, search, navigation...) are void delimiters
    with no inner HTML; they only make sense inside a live WordPress, so they
    vanish here.
    """
    return _BLOCK_COMMENT_RE.sub("", text)


# --------------------------------------------------------------------------
# Shortcodes
# --------------------------------------------------------------------------

# One shortcode tag: "[name attrs]", "[name attrs /]", "[/name]", with the
# optional extra brackets of WordPress's "[[escaped]]" syntax.  Names start
# with a letter so footnote markers such as "[1]" are never touched.
_SHORTCODE_TAG_RE = re.compile(
    r"\[(\[?)(/?)([A-Za-z][\w-]*)(?![\w-])([^\[\]]*?)(/?)\](\]?)",
)
_SHORTCODE_CLOSER_RE = re.compile(r"\[/([A-Za-z][\w-]*)\]")
_SHORTCODE_ATTR_RE = re.compile(
    r"""([\w-]+)\s*=\s*"([^"]*)"(?:\s|$)"""
    r"""|([\w-]+)\s*=\s*'([^']*)'(?:\s|$)"""
    r"""|([\w-]+)\s*=\s*([^\s'"]+)(?:\s|$)"""
    r"""|"([^"]*)"(?:\s|$)"""
    r"""|'([^']*)'(?:\s|$)"""
    r"""|(\S+)(?:\s|$)"""
)
# Bare "[word]" could be prose ("[sic]"), so only these names count as
# shortcodes without attributes or a closing tag.
_KNOWN_SHORTCODES = frozenset(
    {
        "caption", "wp_caption", "gallery", "embed", "audio", "video", "playlist",
        "youtube", "vimeo", "tweet", "twitter", "instagram", "soundcloud",
        "dailymotion", "spotify", "googlemaps", "slideshow", "contact-form",
        "contact-form-7", "polldaddy", "archives", "sitemap", "toc", "column",
        "columns", "row", "button", "tabs", "tab", "accordion", "pullquote",
        "sourcecode", "latex", "more", "nextpage", "fb_pixel",
    }
)  # fmt: skip
# Shortcodes whose whole point is to embed a third-party URL.
_EMBED_SHORTCODES = frozenset(
    {
        "embed", "youtube", "vimeo", "tweet", "twitter", "instagram",
        "soundcloud", "dailymotion", "spotify",
    }
)  # fmt: skip
_URL_IN_TEXT_RE = re.compile(r"https?://[^\s<>\"'\]]+", re.IGNORECASE)
_CAPTION_MEDIA_RE = re.compile(r"((?:<a [^>]+>\s*)?<img [^>]+>(?:\s*</a>)?)(.*)", re.DOTALL)
_MAX_SHORTCODE_DEPTH = 20


def _parse_shortcode_attrs(text: str) -> dict[str, str]:
    """Port of WordPress's ``shortcode_parse_atts``: named values plus positional ones.

    Positional values are stored under "0", "1", ... so ``[youtube URL]`` works.
    """
    text = re.sub(r"[\u00a0\u200b]+", " ", text)
    attrs: dict[str, str] = {}
    position = 0
    for match in _SHORTCODE_ATTR_RE.finditer(text):
        g = match.groups()
        for key_index in (0, 2, 4):
            if g[key_index]:
                attrs[g[key_index].lower()] = g[key_index + 1]
                break
        else:
            value = next((v for v in g[6:] if v is not None), "")
            attrs[str(position)] = value.lstrip("=")  # "[youtube=URL]" form
            position += 1
    return attrs


def _looks_like_shortcode(name: str, attrs: str, closed: bool) -> bool:
    """Decide whether ``[name ...]`` is a shortcode or just bracketed prose.

    WordPress knows the registered names; an importer does not, and plugin
    shortcodes outlive their plugins.  So anything with attributes, a closing
    tag, an underscore/hyphen in the name (``vc_row``, ``et_pb_text``) or a
    well-known name is treated as a shortcode, while "[sic]" or
    "[citation needed]" in an article survive.
    """
    return closed or name.lower() in _KNOWN_SHORTCODES or "=" in attrs or "_" in name or "-" in name


def _caption(attrs: dict[str, str], inner: str) -> str:
    """Turn ``[caption]<img/> text[/caption]`` into a ``<figure>`` with a ``<figcaption>``.

    Same split as WordPress's ``img_caption_shortcode``: the (optionally
    linked) image first, the rest of the content is the caption, unless an old
    style ``caption="..."`` attribute carries it.
    """
    caption = attrs.get("caption")
    media = inner
    if caption is None:
        match = _CAPTION_MEDIA_RE.match(inner.strip())
        if match is None:
            return inner
        media, caption = match.group(1), match.group(2)
    caption = caption.strip()
    figcaption = f"<figcaption>{caption}</figcaption>" if caption else ""
    return f"\n\n<figure>{media.strip()}{figcaption}</figure>\n\n"


def _embed(attrs: dict[str, str], inner: str | None) -> str:
    """Embed-style shortcodes become a plain link to their first URL (or vanish)."""
    candidates = [inner or "", attrs.get("url", ""), attrs.get("src", "")]
    candidates += [v for k, v in attrs.items() if k.isdigit()]
    for candidate in candidates:
        match = _URL_IN_TEXT_RE.search(html.unescape(candidate))
        if match:
            return "\n\n" + _link_paragraph(match.group(0)) + "\n\n"
    return ""


class _ShortcodeRenderer:
    """Expand shortcodes the way WordPress's regex does, without its O(n²) rescans.

    Closing tags are indexed up front, so finding the ``[/name]`` that ends an
    enclosing shortcode is a binary search; content with thousands of unclosed
    ``[x]`` tags stays linear-ish instead of pathological.
    """

    def __init__(self, text: str) -> None:
        self.text = text
        self.closers: dict[str, list[tuple[int, int]]] = {}
        for match in _SHORTCODE_CLOSER_RE.finditer(text):
            self.closers.setdefault(match.group(1), []).append((match.start(), match.end()))
        self.closer_starts = {name: [s for s, _ in spans] for name, spans in self.closers.items()}

    def _find_closer(self, name: str, after: int, limit: int) -> tuple[int, int] | None:
        starts = self.closer_starts.get(name)
        if not starts:
            return None
        index = bisect.bisect_left(starts, after)
        if index < len(starts) and starts[index] < limit:
            return self.closers[name][index]
        return None

    def render(self, start: int, stop: int, depth: int = 0) -> str:
        """Render ``text[start:stop]`` with its shortcodes expanded."""
        text = self.text
        out: list[str] = []
        pos = start
        while True:
            match = _SHORTCODE_TAG_RE.search(text, pos, stop)
            if match is None:
                break
            esc_open, closing, name, raw_attrs, self_closing, esc_close = match.groups()
            tag_start, tag_end = match.start(), match.end()
            if esc_open and esc_close:
                # "[[name]]" is WordPress's way of writing a literal "[name]".
                out.append(text[pos:tag_start])
                out.append(text[tag_start + 1 : tag_end - 1])
                pos = tag_end
                continue
            if esc_open:
                tag_start += 1  # a stray "[" in front is plain text
            if esc_close:
                tag_end -= 1
            out.append(text[pos:tag_start])
            pos = tag_end
            if closing:
                continue  # an orphan "[/name]": drop it
            closer = None if self_closing else self._find_closer(name, tag_end, stop)
            if not _looks_like_shortcode(name, raw_attrs, closer is not None):
                out.append(text[tag_start:tag_end])
                continue
            inner: str | None = None
            if closer is not None:
                if depth < _MAX_SHORTCODE_DEPTH:
                    inner = self.render(tag_end, closer[0], depth + 1)
                else:
                    inner = text[tag_end : closer[0]]
                pos = closer[1]
            out.append(self._expand(name.lower(), _parse_shortcode_attrs(raw_attrs), inner))
        out.append(text[pos:stop])
        return "".join(out)

    @staticmethod
    def _expand(name: str, attrs: dict[str, str], inner: str | None) -> str:
        if name in {"caption", "wp_caption"}:
            return _caption(attrs, inner or "")
        if name == "gallery":
            # A gallery lists attachment ids (or "all images attached to this
            # post"); resolving them needs the database and Akhbar has no
            # gallery widget in article bodies, so the shortcode is removed.
            return ""
        if name in _EMBED_SHORTCODES:
            return _embed(attrs, inner)
        # Unknown (usually dead plugin) shortcode: keep whatever it wrapped.
        return inner or ""


def render_shortcodes(text: str) -> str:
    """Expand or remove every shortcode in ``text`` (see :class:`_ShortcodeRenderer`)."""
    if "[" not in text:
        return text
    return _ShortcodeRenderer(text).render(0, len(text))


# --------------------------------------------------------------------------
# Bare embed URLs
# --------------------------------------------------------------------------

_EMBED_HOSTS = (
    r"(?:[a-z0-9-]+\.)*(?:youtube\.com|youtube-nocookie\.com|youtu\.be|twitter\.com|x\.com"
    r"|vimeo\.com|instagram\.com|soundcloud\.com|open\.spotify\.com|dailymotion\.com"
    r"|tiktok\.com|facebook\.com)"
)
_EMBED_URL = r"https?://" + _EMBED_HOSTS + r"(?:[/?#][^\s<>\"]*)?"
# WordPress's autoembed converts a URL standing alone on a line, or alone in a
# paragraph, into the provider's iframe; Akhbar keeps a plain link instead.
_EMBED_LINE_RE = re.compile(r"^[ \t]*(" + _EMBED_URL + r")[ \t]*$", re.IGNORECASE | re.MULTILINE)
_EMBED_PARAGRAPH_RE = re.compile(r"<p(?:\s[^>]*)?>\s*(" + _EMBED_URL + r")\s*</p>", re.IGNORECASE)
_PRE_OPEN_RE = re.compile(r"<pre[\s>]", re.IGNORECASE)
_PRE_BLOCK_RE = re.compile(r"(<pre[\s>].*?</pre>)", re.IGNORECASE | re.DOTALL)


def _outside_pre(text: str, transform: Callable[[str], str]) -> str:
    """Apply ``transform`` to everything except ``<pre>`` blocks (code samples)."""
    parts = _PRE_BLOCK_RE.split(text)
    return "".join(part if i % 2 else transform(part) for i, part in enumerate(parts))


def _link_embed_urls(text: str) -> str:
    def transform(segment: str) -> str:
        segment = _EMBED_PARAGRAPH_RE.sub(lambda m: _link_paragraph(m.group(1)), segment)
        return _EMBED_LINE_RE.sub(lambda m: _link_paragraph(m.group(1)), segment)

    return _outside_pre(text, transform)


# --------------------------------------------------------------------------
# wpautop
# --------------------------------------------------------------------------
#
# Hand port of WordPress's wpautop() (wp-includes/formatting.php).  No Python
# package implements it, and "something similar" is not good enough: classic
# editor posts store *no* <p> tags at all, and the exact rules (block tags,
# <pre> untouched, single newlines -> <br>, newlines inside tags preserved)
# decide whether an imported archive looks like the original site.  The steps
# below keep WordPress's order so the two can be compared line by line.

_ALLBLOCKS = (
    r"(?:table|thead|tfoot|caption|col|colgroup|tbody|tr|td|th|div|dl|dd|dt|ul|ol|li|pre"
    r"|form|map|area|blockquote|address|math|style|p|h[1-6]|hr|fieldset|legend|section"
    r"|article|aside|hgroup|header|footer|nav|figure|figcaption|details|menu|summary)"
)
# Splits HTML into text and tags/comments (simplified get_html_split_regex).
_HTML_SPLIT_RE = re.compile(
    r"(<(?:!--(?:[^-]|-(?!->))*(?:-->)?|!\[CDATA\[.*?(?:\]\]>|$)|[^>]*>?))", re.DOTALL
)
_NEWLINE_PLACEHOLDER = " <!-- wpnl --> "


def _replace_newlines_in_tags(text: str) -> str:
    """``wp_replace_in_html_tags``: protect newlines inside tags/comments from autop."""
    parts = _HTML_SPLIT_RE.split(text)
    for i in range(1, len(parts), 2):
        if "\n" in parts[i]:
            parts[i] = parts[i].replace("\n", _NEWLINE_PLACEHOLDER)
    return "".join(parts)


def wpautop(text: str, br: bool = True) -> str:
    """Turn double line breaks into paragraphs and single ones into ``<br />``."""
    if not text.strip():
        return ""
    text += "\n"

    # <pre> contents must not be touched: swap them for placeholders.
    pre_tags: dict[str, str] = {}
    if "<pre" in text:
        parts = text.split("</pre>")
        last = parts.pop()
        rebuilt = []
        for i, part in enumerate(parts):
            start = part.find("<pre")
            if start == -1:  # malformed HTML: a stray </pre>
                rebuilt.append(part)
                continue
            name = f"<pre wp-pre-tag-{i}></pre>"
            pre_tags[name] = part[start:] + "</pre>"
            rebuilt.append(part[:start] + name)
        text = "".join(rebuilt) + last

    text = re.sub(r"<br\s*/?>\s*<br\s*/?>", "\n\n", text)
    text = re.sub(r"(<" + _ALLBLOCKS + r"[\s/>])", r"\n\n\1", text)
    text = re.sub(r"(</" + _ALLBLOCKS + r">)", r"\1\n\n", text)
    text = re.sub(r"(<hr\s*?/?>)", r"\1\n\n", text)
    text = text.replace("\r\n", "\n").replace("\r", "\n")
    text = _replace_newlines_in_tags(text)

    if "<option" in text:
        text = re.sub(r"\s*<option", "<option", text)
        text = re.sub(r"</option>\s*", "</option>", text)
    if "</object>" in text:
        text = re.sub(r"(<object[^>]*>)\s*", r"\1", text)
        text = re.sub(r"\s*</object>", "</object>", text)
        text = re.sub(r"\s*(</?(?:param|embed)[^>]*>)\s*", r"\1", text)
    if "<source" in text or "<track" in text:
        text = re.sub(r"([<\[](?:audio|video)[^>\]]*[>\]])\s*", r"\1", text)
        text = re.sub(r"\s*([<\[]/(?:audio|video)[>\]])", r"\1", text)
        text = re.sub(r"\s*(<(?:source|track)[^>]*>)\s*", r"\1", text)
    if "<figcaption" in text:
        text = re.sub(r"\s*(<figcaption[^>]*>)", r"\1", text)
        text = re.sub(r"</figcaption>\s*", "</figcaption>", text)

    text = re.sub(r"\n\n+", "\n\n", text)
    paragraphs = [p for p in re.split(r"\n\s*\n", text) if p]
    text = "".join("<p>" + p.strip("\n") + "</p>\n" for p in paragraphs)

    text = re.sub(r"<p>\s*</p>", "", text)
    text = re.sub(r"<p>([^<]+)</(div|address|form)>", r"<p>\1</p></\2>", text)
    text = re.sub(r"<p>\s*(</?" + _ALLBLOCKS + r"[^>]*>)\s*</p>", r"\1", text)
    text = re.sub(r"<p>(<li.+?)</p>", r"\1", text)
    text = re.sub(r"<p><blockquote([^>]*)>", r"<blockquote\1><p>", text, flags=re.IGNORECASE)
    text = text.replace("</blockquote></p>", "</p></blockquote>")
    text = re.sub(r"<p>\s*(</?" + _ALLBLOCKS + r"[^>]*>)", r"\1", text)
    text = re.sub(r"(</?" + _ALLBLOCKS + r"[^>]*>)\s*</p>", r"\1", text)

    if br:
        # Newlines inside script/style/svg/math are code, not line breaks.
        text = re.sub(
            r"<(script|style|svg|math).*?</\1>",
            lambda m: m.group(0).replace("\n", "<WPPreserveNewline />"),
            text,
            flags=re.DOTALL,
        )
        text = text.replace("<br>", "<br />").replace("<br/>", "<br />")
        text = re.sub(r"(?<!<br />)\s*\n", "<br />\n", text)
        text = text.replace("<WPPreserveNewline />", "\n")

    text = re.sub(r"(</?" + _ALLBLOCKS + r"[^>]*>)\s*<br />", r"\1", text)
    text = re.sub(r"<br />(\s*</?(?:p|li|div|dl|dd|dt|th|pre|td|ul|ol)[^>]*>)", r"\1", text)
    text = re.sub(r"\n</p>$", "</p>", text)

    for name, original in pre_tags.items():
        text = text.replace(name, original)
    if "<!-- wpnl -->" in text:
        text = text.replace(_NEWLINE_PLACEHOLDER, "\n").replace("<!-- wpnl -->", "\n")
    return text


# --------------------------------------------------------------------------
# Public API
# --------------------------------------------------------------------------


def convert_wp_content(content: str) -> str:
    """Convert a WXR ``content:encoded`` body into sanitised Akhbar article HTML.

    Order matters and follows WordPress where it can: embed blocks and block
    delimiters first, then shortcodes (turned into block-level HTML so autop
    leaves them alone), then bare embed URLs, then ``wpautop`` -- but only for
    classic content: WordPress itself skips autop for block-editor posts, whose
    newlines are insignificant -- and finally the allow-list sanitiser, which
    also closes any unclosed tags.
    """
    if not content or not content.strip():
        return ""
    text = content.replace("\r\n", "\n").replace("\r", "\n")
    has_blocks = "<!-- wp:" in text
    if has_blocks:
        text = _replace_embed_blocks(text)
        text = _strip_block_comments(text)
    text = render_shortcodes(text)
    text = _link_embed_urls(text)
    if not has_blocks:
        # An unclosed <pre> would otherwise be autop'd like prose; close it
        # first so its whitespace survives, as the author evidently intended.
        missing = len(_PRE_OPEN_RE.findall(text)) - text.lower().count("</pre>")
        text += "</pre>" * max(missing, 0)
        text = wpautop(text)
    return _outside_pre(_sanitise(text), _tidy).strip()


def _tidy(html_text: str) -> str:
    """Cosmetic clean-up of sanitised HTML outside ``<pre>``.

    Removed blocks and delimiters leave blank lines, empty paragraphs (spacer
    blocks, emptied embeds) and a trailing ``<br>`` where autop met an unclosed
    tag; none of them means anything to a reader of the stored article.
    """
    html_text = re.sub(r"<p>\s*</p>", "", html_text)
    html_text = re.sub(r"<br>\s*(</(?:p|li|td|th|h[2-6]|blockquote|figcaption)>)", r"\1", html_text)
    return re.sub(r"\n\s*\n\s*", "\n", html_text)


_BLOCK_BOUNDARY_RE = re.compile(
    r"<(?:br|hr|/?(?:p|div|li|h[1-6]|blockquote|figcaption|figure|td|th|tr|pre|ul|ol|dt|dd))\b[^>]*>",
    re.IGNORECASE,
)


def excerpt_from_html(html_text: str, words: int = 40) -> str:
    """Plain-text teaser of at most ``words`` words, ending in "…" when cut.

    Used where WordPress had no hand-written excerpt.  Block boundaries become
    spaces so "<p>a</p><p>b</p>" does not turn into "ab", and script/style
    bodies are dropped rather than leaking code into the teaser.
    """
    if not html_text:
        return ""
    spaced = _BLOCK_BOUNDARY_RE.sub(lambda m: " " + m.group(0) + " ", html_text)
    text = nh3.clean(spaced, tags=set(), clean_content_tags=set(_CLEAN_CONTENT_TAGS))
    text = html.unescape(text)
    tokens = text.split()
    if words <= 0:
        return ""
    if len(tokens) <= words:
        return " ".join(tokens)
    return " ".join(tokens[:words]) + "…"

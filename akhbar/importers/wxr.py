"""Streaming reader for WordPress eXtended RSS (WXR) export files.

This module is deliberately free of Django imports: it turns a WXR file into a
stream of small immutable records, and the Django side of the importer decides
what to do with each one inside its own per-item transaction.  Keeping the two
apart means the parser can be tested (and fuzzed) without a database, and that a
broken file never leaves half-written rows behind because of the parser.

Design decisions, and why:

* ``lxml.etree.iterparse`` with the classic "clear the element, then delete the
  already-processed siblings" pattern: news-site exports routinely run to
  hundreds of megabytes, so building the whole tree is not an option.  Memory
  is bounded by the size of the largest single ``<item>``.
* The parser never resolves entities, never loads a DTD and never touches the
  network.  WXR files never need any of that, and an upload is untrusted input
  (XXE, "billion laughs").  Unresolved entity references are simply dropped.
* Elements are matched by namespace URI, never by prefix, and every published
  form of the WordPress namespace is accepted (``/export/1.0/`` to ``/1.2/``,
  over http or https).  A prefix that is re-bound to some other URI is therefore
  not WXR data and is ignored, which is exactly what the XML namespace rules say.
* Records are yielded as soon as they are complete.  When the XML turns out to
  be malformed half-way through, every record that was parsed before the fault
  has already been handed out, and only then is :class:`WxrError` raised with
  the line number, so the importer can import what it can and report the rest.
"""

from __future__ import annotations

import os
import re
from collections.abc import Callable, Iterator
from dataclasses import dataclass, field
from datetime import UTC, datetime
from typing import NamedTuple, Protocol

from lxml import etree

__all__ = [
    "KNOWN_WXR_VERSIONS",
    "BinaryReadable",
    "WxrAuthor",
    "WxrCategory",
    "WxrComment",
    "WxrError",
    "WxrItem",
    "WxrItemTerm",
    "WxrRecord",
    "WxrSite",
    "WxrTag",
    "WxrTerm",
    "read_wxr",
]

#: Versions WordPress has actually emitted; others are accepted with a warning.
KNOWN_WXR_VERSIONS = frozenset({"1.0", "1.1", "1.2"})

_WP_NS_RE = re.compile(r"^https?://wordpress\.org/export/(\d+\.\d+)/$")
_EXCERPT_NS_RE = re.compile(r"^https?://wordpress\.org/export/\d+\.\d+/excerpt/$")
_CONTENT_NS = "http://purl.org/rss/1.0/modules/content/"
_DC_NS = "http://purl.org/dc/elements/1.1/"
_VERSION_RE = re.compile(r"^\d+\.\d+$")
_LIBXML_POSITION_RE = re.compile(r",? line \d+, column \d+$")

# Namespace "kinds" used internally once a URI has been classified.
_RSS = ""  # no namespace: plain RSS 2.0 elements such as <item>, <title>
_WP = "wp"
_EXCERPT = "excerpt"
_CONTENT = "content"
_DC = "dc"
_FOREIGN = "foreign"


class WxrError(Exception):
    """The file is not a usable WXR export (malformed XML, wrong format, ...).

    ``line`` is the 1-based line number where the problem was detected, when
    known, so the import report can point the editor at the exact spot.
    """

    def __init__(self, message: str, line: int | None = None) -> None:
        self.message = message
        self.line = line
        super().__init__(f"{message} (line {line})" if line else message)


@dataclass(frozen=True, slots=True)
class WxrSite:
    """Channel-level metadata; always the first record yielded.

    ``warnings`` carries non-fatal oddities (for example a missing version tag
    whose version had to be inferred from the namespace) for the import report.
    """

    title: str
    link: str
    language: str
    wxr_version: str
    base_site_url: str
    base_blog_url: str
    description: str = ""
    warnings: tuple[str, ...] = ()


@dataclass(frozen=True, slots=True)
class WxrAuthor:
    """A ``<wp:author>``; ``id`` is ``None`` in WXR 1.0, which had no author ids."""

    id: int | None
    login: str
    email: str
    display_name: str
    first_name: str
    last_name: str


@dataclass(frozen=True, slots=True)
class WxrCategory:
    """A ``<wp:category>``; parents are referenced by nicename, not by id."""

    term_id: int | None
    nicename: str
    parent_nicename: str
    name: str
    description: str


@dataclass(frozen=True, slots=True)
class WxrTag:
    """A ``<wp:tag>`` (taxonomy ``post_tag``)."""

    term_id: int | None
    slug: str
    name: str
    description: str


@dataclass(frozen=True, slots=True)
class WxrTerm:
    """A ``<wp:term>`` of any other taxonomy (nav_menu, post_format, custom ones).

    The importer only reports these; they are kept so nothing is silently lost.
    """

    term_id: int | None
    taxonomy: str
    slug: str
    parent_slug: str
    name: str
    description: str


class WxrItemTerm(NamedTuple):
    """One ``<category domain=... nicename=...>`` reference inside an item.

    A plain tuple ``(domain, nicename, name)`` so callers may simply unpack it.
    WXR 1.0's ``domain="tag"`` is normalised to ``post_tag`` like WordPress does.
    """

    domain: str
    nicename: str
    name: str


@dataclass(frozen=True, slots=True)
class WxrComment:
    """A ``<wp:comment>``.

    ``approved`` stays raw ("1", "0", "spam", "trash", ...) because moderation
    policy belongs to the importer.  ``date`` is the site-local wall-clock time
    (naive, as WordPress stores it); ``date_gmt`` is an aware UTC datetime.
    """

    id: int | None
    author: str
    author_email: str
    author_url: str
    author_ip: str
    date: datetime | None
    date_gmt: datetime | None
    content: str
    approved: str
    type: str
    parent_id: int | None
    user_id: int | None
    meta: dict[str, list[str]] = field(default_factory=dict)


@dataclass(frozen=True, slots=True)
class WxrItem:
    """An ``<item>``: a post, page, attachment, nav_menu_item or custom type.

    ``post_date`` is the naive site-local time WordPress shows to editors (the
    export does not say which time zone that was); ``post_date_gmt`` is the aware
    UTC instant and is ``None`` for the ``0000-00-00 00:00:00`` that WordPress
    writes for never-published drafts.  ``post_id`` and ``post_type`` can be
    missing in hostile or hand-made files (``None`` / ``""``); the importer
    reports such items instead of guessing.
    """

    post_id: int | None
    guid: str
    title: str
    link: str
    creator: str
    content: str
    excerpt: str
    post_date: datetime | None
    post_date_gmt: datetime | None
    post_name: str
    status: str
    post_type: str
    post_parent: int | None
    menu_order: int
    is_sticky: bool
    categories: list[WxrItemTerm]
    postmeta: dict[str, list[str]]
    attachment_url: str
    comments: list[WxrComment]
    password: str = ""
    comment_status: str = ""
    ping_status: str = ""


WxrRecord = WxrSite | WxrAuthor | WxrCategory | WxrTag | WxrTerm | WxrItem


class BinaryReadable(Protocol):
    """What the reader needs of a file: ``read`` of bytes (an upload, or a counting wrapper)."""

    def read(self, size: int = -1, /) -> bytes: ...


# --------------------------------------------------------------------------
# Small helpers
# --------------------------------------------------------------------------


def _ns_kind(uri: str) -> str:
    """Classify a namespace URI; unknown URIs (including hijacked prefixes) are foreign."""
    if not uri:
        return _RSS
    if _WP_NS_RE.match(uri):
        return _WP
    if uri == _CONTENT_NS:
        return _CONTENT
    if _EXCERPT_NS_RE.match(uri):
        return _EXCERPT
    if uri == _DC_NS:
        return _DC
    return _FOREIGN


def _qname(el: etree._Element) -> tuple[str, str] | None:
    """Return ``(kind, localname)`` for an element, ``None`` for comments/PIs/entities."""
    tag = el.tag
    if not isinstance(tag, str):
        return None
    if tag.startswith("{"):
        uri, _, local = tag[1:].partition("}")
        return _ns_kind(uri), local
    return _RSS, tag


def _text(el: etree._Element) -> str:
    """All character data of ``el``, skipping (unresolved) entity references.

    ``el.text`` alone stops at the first child node, and ``itertext()`` would
    leak the literal ``&name;`` of an entity we refused to expand.
    """
    parts = [el.text or ""]
    for child in el:
        if isinstance(child.tag, str):  # a nested element: keep its text
            parts.append(_text(child))
        parts.append(child.tail or "")  # entities, comments, PIs: tail only
    return "".join(parts)


# Ids are stored in 64-bit columns; a larger number is garbage, not an id.
_MAX_ID = 2**63 - 1


def _int(value: str | None) -> int | None:
    """Parse an integer field; empty, garbage or out-of-range (beyond a signed 64-bit
    column, e.g. ``99999999999999999999``) becomes ``None`` rather than an error."""
    if value is None:
        return None
    value = value.strip()
    if len(value) > 20:
        return None
    try:
        number = int(value)
    except ValueError:
        return None
    return number if -_MAX_ID <= number <= _MAX_ID else None


def _date(value: str | None, *, utc: bool) -> datetime | None:
    """Parse WordPress's ``YYYY-MM-DD HH:MM:SS``; the all-zero date means "unset"."""
    if not value:
        return None
    value = value.strip()
    if not value or value.startswith("0000-00-00"):
        return None
    try:
        parsed = datetime.fromisoformat(value)
    except ValueError:
        return None
    if utc:
        return parsed.replace(tzinfo=UTC) if parsed.tzinfo is None else parsed.astimezone(UTC)
    return parsed.replace(tzinfo=None)


def _wp_fields(el: etree._Element) -> dict[str, str]:
    """Map the first occurrence of each ``wp:`` child to its text.

    First occurrence wins (like SimpleXML's ``(string) $wp->post_id``), so a
    duplicated element cannot override the real value.
    """
    fields: dict[str, str] = {}
    for child in el:
        qn = _qname(child)
        if qn is not None and qn[0] == _WP:
            fields.setdefault(qn[1], _text(child))
    return fields


def _meta(el: etree._Element) -> tuple[str, str] | None:
    """Read a ``wp:postmeta``/``wp:commentmeta`` pair; ``None`` if it has no key."""
    fields = _wp_fields(el)
    key = fields.get("meta_key")
    if key is None:
        return None
    return key, fields.get("meta_value", "")


# --------------------------------------------------------------------------
# Record builders
# --------------------------------------------------------------------------


def _author(el: etree._Element) -> WxrAuthor:
    f = _wp_fields(el)
    return WxrAuthor(
        id=_int(f.get("author_id")),
        login=f.get("author_login", "").strip(),
        email=f.get("author_email", "").strip(),
        display_name=f.get("author_display_name", ""),
        first_name=f.get("author_first_name", ""),
        last_name=f.get("author_last_name", ""),
    )


def _category(el: etree._Element) -> WxrCategory:
    f = _wp_fields(el)
    return WxrCategory(
        term_id=_int(f.get("term_id")),
        nicename=f.get("category_nicename", "").strip(),
        parent_nicename=f.get("category_parent", "").strip(),
        name=f.get("cat_name", ""),
        description=f.get("category_description", ""),
    )


def _tag(el: etree._Element) -> WxrTag:
    f = _wp_fields(el)
    return WxrTag(
        term_id=_int(f.get("term_id")),
        slug=f.get("tag_slug", "").strip(),
        name=f.get("tag_name", ""),
        description=f.get("tag_description", ""),
    )


def _term(el: etree._Element) -> WxrTerm:
    f = _wp_fields(el)
    return WxrTerm(
        term_id=_int(f.get("term_id")),
        taxonomy=f.get("term_taxonomy", "").strip(),
        slug=f.get("term_slug", "").strip(),
        parent_slug=f.get("term_parent", "").strip(),
        name=f.get("term_name", ""),
        description=f.get("term_description", ""),
    )


def _comment(el: etree._Element) -> WxrComment:
    fields: dict[str, str] = {}
    meta: dict[str, list[str]] = {}
    for child in el:
        qn = _qname(child)
        if qn is None or qn[0] != _WP:
            continue
        if qn[1] == "commentmeta":
            pair = _meta(child)
            if pair is not None:
                meta.setdefault(pair[0], []).append(pair[1])
        else:
            fields.setdefault(qn[1], _text(child))
    return WxrComment(
        id=_int(fields.get("comment_id")),
        author=fields.get("comment_author", ""),
        author_email=fields.get("comment_author_email", "").strip(),
        author_url=fields.get("comment_author_url", "").strip(),
        author_ip=fields.get("comment_author_IP", "").strip(),
        date=_date(fields.get("comment_date"), utc=False),
        date_gmt=_date(fields.get("comment_date_gmt"), utc=True),
        content=fields.get("comment_content", ""),
        approved=fields.get("comment_approved", "").strip(),
        type=fields.get("comment_type", "").strip(),
        parent_id=_int(fields.get("comment_parent")),
        user_id=_int(fields.get("comment_user_id")),
        meta=meta,
    )


#: The ``<item>`` children read once, first occurrence wins: (namespace kind, name) -> field.
_ITEM_SINGLES = {
    (_CONTENT, "encoded"): "content",
    (_EXCERPT, "encoded"): "excerpt",
    (_DC, "creator"): "creator",
}


def _item_term(child: etree._Element) -> WxrItemTerm | None:
    """An item's ``<category>`` reference, or ``None`` for one without a nicename.

    Like WordPress's own parser, only references carrying a nicename count: WXR 1.0 also
    wrote nicename-less duplicates.
    """
    nicename = child.get("nicename")
    if nicename is None:
        return None
    domain = (child.get("domain") or "").strip()
    if domain == "tag":
        domain = "post_tag"
    return WxrItemTerm(domain, nicename.strip(), _text(child))


@dataclass(slots=True)
class _ItemParts:
    """What the children of one ``<item>`` say, gathered in document order.

    Plain fields keep their first occurrence (a duplicated element cannot override the
    real value); categories, post meta and comments are lists, as WordPress repeats them.
    """

    rss: dict[str, str] = field(default_factory=dict)
    wp: dict[str, str] = field(default_factory=dict)
    content: str | None = None
    excerpt: str | None = None
    creator: str | None = None
    categories: list[WxrItemTerm] = field(default_factory=list)
    postmeta: dict[str, list[str]] = field(default_factory=dict)
    comments: list[WxrComment] = field(default_factory=list)

    def add(self, child: etree._Element) -> None:
        qn = _qname(child)
        if qn is None:
            return
        kind, local = qn
        if kind == _RSS:
            self._add_rss(child, local)
        elif kind == _WP:
            self._add_wp(child, local)
        elif qn in _ITEM_SINGLES:
            name = _ITEM_SINGLES[qn]
            if getattr(self, name) is None:
                setattr(self, name, _text(child))

    def _add_rss(self, child: etree._Element, local: str) -> None:
        if local != "category":
            self.rss.setdefault(local, _text(child))
        elif (term := _item_term(child)) is not None:
            self.categories.append(term)

    def _add_wp(self, child: etree._Element, local: str) -> None:
        if local == "postmeta":
            pair = _meta(child)
            if pair is not None:
                self.postmeta.setdefault(pair[0], []).append(pair[1])
        elif local == "comment":
            self.comments.append(_comment(child))
        else:
            self.wp.setdefault(local, _text(child))

    def item(self) -> WxrItem:
        rss, wp = self.rss, self.wp
        return WxrItem(
            post_id=_int(wp.get("post_id")),
            guid=rss.get("guid", "").strip(),
            title=rss.get("title", ""),
            link=rss.get("link", "").strip(),
            creator=(self.creator or "").strip(),
            content=self.content or "",
            excerpt=self.excerpt or "",
            post_date=_date(wp.get("post_date"), utc=False),
            post_date_gmt=_date(wp.get("post_date_gmt"), utc=True),
            post_name=wp.get("post_name", "").strip(),
            status=wp.get("status", "").strip(),
            post_type=wp.get("post_type", "").strip(),
            post_parent=_int(wp.get("post_parent")),
            menu_order=_int(wp.get("menu_order")) or 0,
            is_sticky=wp.get("is_sticky", "").strip() == "1",
            categories=self.categories,
            postmeta=self.postmeta,
            attachment_url=wp.get("attachment_url", "").strip(),
            comments=self.comments,
            password=wp.get("post_password", ""),
            comment_status=wp.get("comment_status", "").strip(),
            ping_status=wp.get("ping_status", "").strip(),
        )


def _item(el: etree._Element) -> WxrItem:
    parts = _ItemParts()
    for child in el:
        parts.add(child)
    return parts.item()


_RECORD_BUILDERS: dict[tuple[str, str], Callable[[etree._Element], WxrRecord]] = {
    (_WP, "author"): _author,
    (_WP, "category"): _category,
    (_WP, "tag"): _tag,
    (_WP, "term"): _term,
    (_RSS, "item"): _item,
}

_HEADER_FIELDS = {
    (_RSS, "title"): "title",
    (_RSS, "link"): "link",
    (_RSS, "language"): "language",
    (_RSS, "description"): "description",
    (_WP, "wxr_version"): "wxr_version",
    (_WP, "base_site_url"): "base_site_url",
    (_WP, "base_blog_url"): "base_blog_url",
}


# --------------------------------------------------------------------------
# The streaming reader
# --------------------------------------------------------------------------


def _iterparse(source: str | BinaryReadable) -> Iterator[tuple[str, etree._Element]]:
    """lxml's event stream, with everything an untrusted upload could abuse turned off."""
    return etree.iterparse(
        source,
        events=("start", "end"),
        resolve_entities=False,  # no XXE, no entity expansion bombs
        load_dtd=False,
        no_network=True,
        huge_tree=True,  # allow very large CDATA bodies; entities stay off
        remove_comments=True,
        remove_pis=True,
    )


def _syntax_error(exc: etree.XMLSyntaxError) -> WxrError:
    """lxml's syntax error as a :class:`WxrError` naming the line."""
    line = exc.lineno or (exc.position[0] if exc.position else None)
    # libxml2 appends ", line N, column M"; WxrError formats the line itself.
    message = _LIBXML_POSITION_RE.sub("", exc.msg or str(exc))
    error = WxrError(f"The export file is not well-formed XML: {message}", line)
    error.__cause__ = exc
    return error


class _Reader:
    """State machine behind :func:`read_wxr`; one instance per file."""

    def __init__(self, strict_version: bool, forbid_dtd: bool = False) -> None:
        self.strict_version = strict_version
        self.forbid_dtd = forbid_dtd
        self.header: dict[str, str] = {}
        self.site_emitted = False
        self.saw_channel = False
        self.namespace_version: str | None = None
        # Where :meth:`run` is in the document: element depth, inside the first channel.
        self.depth = 0
        self.in_channel = False

    def note_namespaces(self, nsmap: dict[str | None, str]) -> None:
        """Remember the WordPress namespace version declared in scope, for inference."""
        if self.namespace_version is not None:
            return
        for uri in nsmap.values():
            match = _WP_NS_RE.match(uri or "")
            if match:
                self.namespace_version = match.group(1)
                return

    def site(self, line: int | None) -> WxrSite:
        """Build the site record, validating the WXR version on the way."""
        self.site_emitted = True
        warnings: list[str] = []
        declared = self.header.get("wxr_version", "").strip()
        if _VERSION_RE.match(declared):
            version = declared
            if version not in KNOWN_WXR_VERSIONS:
                warnings.append(f"Unknown WXR version {version}; reading it as WXR 1.2.")
        else:
            problem = (
                f"invalid WXR version {declared!r}" if declared else "missing <wp:wxr_version>"
            )
            if self.strict_version or self.namespace_version is None:
                raise WxrError(
                    f"This does not appear to be a WordPress export (WXR) file: {problem}.",
                    line,
                )
            # The file declares the WordPress export namespace and is laid out
            # as rss/channel, so it is clearly WXR: infer rather than refuse.
            version = self.namespace_version
            warnings.append(
                f"The export has a {problem}; assuming WXR {version} from its namespace."
            )
        return WxrSite(
            title=self.header.get("title", ""),
            link=self.header.get("link", "").strip(),
            language=self.header.get("language", "").strip(),
            wxr_version=version,
            base_site_url=self.header.get("base_site_url", "").strip(),
            base_blog_url=self.header.get("base_blog_url", "").strip(),
            description=self.header.get("description", ""),
            warnings=tuple(warnings),
        )

    def run(self, source: str | BinaryReadable) -> Iterator[WxrRecord]:
        """Drive ``iterparse`` and yield records; see :func:`read_wxr`."""
        self.depth = 0
        self.in_channel = False
        error: WxrError | None
        try:
            for event, el in _iterparse(source):
                # Elements inside a record only count depth: the record's builder reads them.
                if event == "start":
                    self.depth += 1
                    if self.depth <= 2:
                        self._start(el)
                elif self.depth > 3:
                    self.depth -= 1
                else:
                    yield from self._end(el)
        except etree.XMLSyntaxError as exc:
            error = _syntax_error(exc)
        except UnicodeDecodeError as exc:  # defensive: libxml2 normally reports these itself
            error = WxrError(f"The export file is not valid text: {exc}")
            error.__cause__ = exc
        else:
            error = None
        if error is not None:
            yield from self._site_before(error)
            raise error

        if not self.saw_channel:
            raise WxrError(
                "This does not appear to be a WordPress export (WXR) file: "
                "there is no <rss><channel> element."
            )

    def _start(self, el: etree._Element) -> None:
        """An opening tag (the root or its child): check the root, and note where the first
        channel begins."""
        if self.depth == 1:
            self._check_root(el)
        elif self.depth == 2 and _qname(el) == (_RSS, "channel") and not self.saw_channel:
            self.in_channel = self.saw_channel = True

    def _check_root(self, el: etree._Element) -> None:
        if _qname(el) != (_RSS, "rss"):
            raise WxrError(
                "This does not appear to be a WordPress export (WXR) file: "
                f"the root element is <{etree.QName(el).localname}>, "
                "expected <rss>.",
                el.sourceline,
            )
        self.note_namespaces(el.nsmap)
        if self.forbid_dtd and el.getroottree().docinfo.internalDTD is not None:
            raise WxrError(
                "The export file declares a DTD (<!DOCTYPE ...>), which "
                "WordPress exports never do; refusing it (possible XML entity "
                "bomb or external entity attack).",
                el.sourceline,
            )

    def _end(self, el: etree._Element) -> Iterator[WxrRecord]:
        """A closing tag: a finished channel child becomes a record, then is dropped."""
        depth = self.depth
        if depth == 3 and self.in_channel:
            yield from self._channel_child(el)
        if depth in (2, 3):
            # Classic bounded-memory pattern: drop the finished element
            # and every sibling before it (they are all processed).
            el.clear(keep_tail=False)
            parent = el.getparent()
            if parent is not None:
                while el.getprevious() is not None:
                    del parent[0]
        if depth == 2 and self.in_channel:
            self.in_channel = False
            if not self.site_emitted:
                yield self.site(el.sourceline)
        self.depth -= 1

    def _site_before(self, error: WxrError) -> Iterator[WxrSite]:
        """The site record when the file broke before it was handed out.

        The channel header parsed fine even if the first item did not: hand it out so the
        import report can still name the site.
        """
        if not self.in_channel or self.site_emitted or not self.header:
            return
        try:
            site = self.site(error.line)
        except WxrError:
            return
        yield site

    def _channel_child(self, el: etree._Element) -> Iterator[WxrRecord]:
        """Handle one finished direct child of ``<channel>``."""
        qn = _qname(el)
        if qn is None:
            return
        self.note_namespaces(el.nsmap)
        if not self.site_emitted:
            header_key = _HEADER_FIELDS.get(qn)
            if header_key is not None:
                self.header.setdefault(header_key, _text(el))
                return
        builder = _RECORD_BUILDERS.get(qn)
        if builder is None:
            return  # <generator>, <pubDate>, <image>, foreign elements...
        if not self.site_emitted:
            yield self.site(el.sourceline)
        yield builder(el)


def read_wxr(
    path_or_file: str | os.PathLike[str] | BinaryReadable,
    *,
    strict_version: bool = False,
    forbid_dtd: bool = False,
) -> Iterator[WxrRecord]:
    """Yield the records of a WXR file in document order, in bounded memory.

    The first record is always a :class:`WxrSite`; authors, categories, tags,
    terms and items follow as they appear.  ``path_or_file`` is a filesystem
    path or a binary file object (an upload stream works).

    A missing or invalid ``<wp:wxr_version>`` is tolerated, with a warning in
    ``WxrSite.warnings``, when the document is clearly WXR (an ``rss/channel``
    document declaring the WordPress export namespace); pass
    ``strict_version=True`` to refuse such files like WordPress itself does.
    ``forbid_dtd=True`` refuses any document with an internal DTD before reading a record
    (the importer's choice: entities are never expanded anyway, but a DTD in an upload is
    a sign of an attack, not of a WordPress export).

    Raises :class:`WxrError` (never a bare lxml error) for malformed XML or a
    non-WXR document, *after* yielding every record that parsed before the fault.
    """
    source: str | BinaryReadable
    source = (
        os.fspath(path_or_file) if isinstance(path_or_file, os.PathLike | str) else path_or_file
    )
    return _Reader(strict_version, forbid_dtd).run(source)

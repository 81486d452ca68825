"""Agency formats in: NewsML-G2 (NewsItem with XHTML or NITF, NewsMessage), ninjs 1.x–3.x,
RSS/Atom. Each file becomes a list of ``Story`` objects or per-item ``ItemError``s.

XML is parsed with lxml hardened against hostile files: no entity resolution (XXE), no DTD
loading, no network, no huge-tree mode (billion-laughs style expansion and deep nesting are
refused), and any document with a DOCTYPE is refused outright — no agency format needs one.
"""

from __future__ import annotations

import copy
import json
from dataclasses import dataclass, field
from datetime import UTC, datetime
from typing import Any

import lxml.etree as ET
import lxml.html

NAR = "http://iptc.org/std/nar/2006-10-01/"
NITF_NS = "http://iptc.org/std/NITF/2006-10-18/"
XHTML = "http://www.w3.org/1999/xhtml"
N = {"n": NAR}
KNOWN_G2_ITEMS = {
    "newsItem",
    "packageItem",
    "conceptItem",
    "knowledgeItem",
    "planningItem",
    "catalogItem",
    "newsMessage",
}


class WireError(Exception):
    """The whole file cannot be read (the reason goes to the log and to failed/)."""


@dataclass(frozen=True)
class Photo:
    url: str
    caption: str = ""
    credit: str = ""
    rights: str = ""


@dataclass(frozen=True)
class Story:
    guid: str
    headline: str
    body_html: str = ""
    version: int = 1
    pubstatus: str = "usable"  # usable | withdrawn | canceled
    byline: str = ""
    dateline: str = ""
    credit: str = ""
    description: str = ""
    language: str = ""
    subjects: tuple[tuple[str, str], ...] = ()
    embargo: datetime | None = None
    first_created: datetime | None = None
    version_created: datetime | None = None
    urgency: int | None = None
    photos: tuple[Photo, ...] = ()
    ednote: str = ""
    source_url: str = ""

    @property
    def killed(self) -> bool:
        return self.pubstatus in ("withdrawn", "canceled")


@dataclass(frozen=True)
class ItemError:
    guid: str
    reason: str


@dataclass
class Parsed:
    format: str
    items: list[Story | ItemError] = field(default_factory=list)


def parse_datetime(value: str | None) -> datetime | None:
    if not value or not isinstance(value, str):
        return None
    text = value.strip().replace("Z", "+00:00")
    try:
        parsed = datetime.fromisoformat(text)
    except ValueError:
        return None
    if parsed.tzinfo is None:
        parsed = parsed.replace(tzinfo=UTC)
    return parsed


def _text(el: Any) -> str:
    return " ".join("".join(el.itertext()).split()) if el is not None else ""


# --- Hardened XML ---------------------------------------------------------------------------


def parse_xml(data: bytes) -> Any:
    parser = ET.XMLParser(
        resolve_entities=False,
        no_network=True,
        huge_tree=False,
        load_dtd=False,
        dtd_validation=False,
        remove_comments=True,
        remove_pis=True,
    )
    try:
        root = ET.fromstring(data, parser)
    except ET.XMLSyntaxError as exc:
        raise WireError(f"malformed XML: {exc}") from exc
    tree = root.getroottree()
    if tree.docinfo.doctype or tree.docinfo.internalDTD is not None:
        raise WireError("a DOCTYPE / entity declaration is not allowed in agency files")
    return root


# --- NewsML-G2 ------------------------------------------------------------------------------


def _xhtml_body(el: Any) -> str:
    body = el.find(f".//{{{XHTML}}}body")
    if body is None:
        body = el.find(".//body")
    if body is None:
        return ""
    return _children_html(body)


def _children_html(parent: Any) -> str:
    """The child elements of ``parent`` as HTML without namespaces (text between them
    dropped). One copy of the whole body, not a serialise-and-parse round trip per child:
    a seventh of the cost, the same output."""
    body = copy.deepcopy(parent)
    for node in body.iter():
        if isinstance(node.tag, str) and "}" in node.tag:
            node.tag = node.tag.split("}", 1)[1]
    ET.cleanup_namespaces(body)
    return "".join(
        ET.tostring(child, encoding="unicode", method="html", with_tail=False)
        for child in body
        if isinstance(child.tag, str)
    )


def _nitf_body(el: Any) -> tuple[str, str]:
    """(body html, byline) from an NITF document."""
    content = el.find(f".//{{{NITF_NS}}}body.content")
    if content is None:
        content = el.find(".//body.content")
    byline = el.find(f".//{{{NITF_NS}}}byline")
    if byline is None:
        byline = el.find(".//byline")
    by = ""
    if byline is not None:
        # "By Meredith Jameson, <byttl>…" → the name without the title
        by = (byline.text or "").strip().rstrip(",")
        by = by[3:] if by.lower().startswith("by ") else by
    return (_children_html(content) if content is not None else ""), by


def _paragraphs(text: str) -> str:
    from html import escape

    paras = [p.strip() for p in text.replace("\r\n", "\n").split("\n\n") if p.strip()]
    return "".join(f"<p>{escape(' '.join(p.split()))}</p>" for p in paras)


def _first(el: Any, path: str) -> Any:
    return el.find(path, N)


class _Rejected(Exception):
    """One item cannot be imported (the reason becomes its ItemError); raised by the helpers
    that read one field, so the item's parser says what failed without a check per field."""


@dataclass
class _G2Content:
    """What a newsItem's contentMeta says about the story (all optional in NewsML-G2)."""

    headline: str = ""
    byline: str = ""
    dateline: str = ""
    credit: str = ""
    description: str = ""
    language: str = ""
    subjects: list[tuple[str, str]] = field(default_factory=list)


def _g2_embargo(meta: Any) -> datetime | None:
    """The item's embargo end; an embargo we cannot read rejects the item rather than
    publishing it early."""
    embargo_el = _first(meta, "n:embargoed")
    if embargo_el is None or not _text(embargo_el):
        return None
    embargo = parse_datetime(_text(embargo_el))
    if embargo is None:
        raise _Rejected(f"unreadable embargo {_text(embargo_el)!r}")
    return embargo


def _g2_content_meta(cmeta: Any) -> _G2Content:
    """Headline (the main one), byline (or the creators), dateline, credit, description,
    language and subjects from contentMeta."""
    heads = cmeta.findall("n:headline", N)
    main = [h for h in heads if h.get("role", "") in ("", "hld:main")] or heads
    creators = [_text(_first(c, "n:name")) for c in cmeta.findall("n:creator", N)]
    desc = cmeta.findall("n:description", N)
    lang = _first(cmeta, "n:language")
    return _G2Content(
        headline=_text(main[0]) if main else "",
        byline=_text(_first(cmeta, "n:by")) or ", ".join(c for c in creators if c),
        dateline=_text(_first(cmeta, "n:dateline")),
        credit=_text(_first(cmeta, "n:creditline")),
        description=_text(desc[0]) if desc else "",
        language=lang.get("tag", "") if lang is not None else "",
        subjects=[
            (s.get("qcode", "") or s.get("uri", ""), _text(_first(s, "n:name")))
            for s in cmeta.findall("n:subject", N)
        ],
    )


def _g2_provider(meta: Any) -> str:
    """The provider's name: the credit when contentMeta has no creditline."""
    provider = _first(meta, "n:provider")
    if provider is None:
        return ""
    return _text(_first(provider, "n:name")) or ""


def _g2_rights(item: Any) -> str:
    """The rights line for the item's photos: notice (or holder), then the usage terms."""
    rinfo = _first(item, "n:rightsInfo")
    if rinfo is None:
        return ""
    holder = _text(_first(rinfo, "n:copyrightHolder/n:name"))
    notice = _text(_first(rinfo, "n:copyrightNotice"))
    terms = _text(_first(rinfo, "n:usageTerms"))
    return " — ".join(x for x in (notice or holder, terms) if x)


def _g2_body(cset: Any, byline: str) -> tuple[str, str]:
    """(body html, byline): the first inline NITF or XHTML that has text, else the first
    plain-text inlineData as paragraphs. An NITF byline fills a byline contentMeta lacked."""
    body = ""
    for inline in cset.findall("n:inlineXML", N):
        ctype = (inline.get("contenttype") or "").lower()
        if "nitf" in ctype:
            body, nitf_by = _nitf_body(inline)
            byline = byline or nitf_by
        elif "xhtml" in ctype or "html" in ctype:
            body = _xhtml_body(inline)
        if body:
            return body, byline
    for inline in cset.findall("n:inlineData", N):
        if (inline.get("contenttype") or "text/plain").startswith("text/"):
            return _paragraphs(inline.text or ""), byline
    return body, byline


def _g2_photos(
    cset: Any, *, item_class: str, caption: str, credit: str, rights: str
) -> list[Photo]:
    """Remote images (any remote content of a picture item), each with the item's caption,
    credit and rights: a G2 photo carries them on the item, not on the rendition."""
    photos: list[Photo] = []
    for remote in cset.findall("n:remoteContent", N):
        href = remote.get("href") or remote.get("residref") or ""
        ctype = remote.get("contenttype", "")
        if href and (ctype.startswith("image/") or item_class.endswith("picture")):
            photos.append(Photo(href, caption, credit, rights))
    return photos


def _g2_missing(content: _G2Content, *, body: str, photos: list[Photo], item_class: str) -> str:
    """Why a (not killed) item cannot become an article, or "": a headline and some text or
    a photo are needed."""
    if not content.headline:
        return "missing headline (contentMeta/headline)"
    if not body and not photos:
        return f"no text content this importer can read ({item_class or 'no itemClass'})"
    return ""


def parse_news_item(item: Any) -> Story | ItemError:
    guid = (item.get("guid") or "").strip()[:500]
    if not guid:
        return ItemError("", "newsItem without a guid")
    try:
        version = int(item.get("version") or 1)
    except ValueError:
        return ItemError(guid, f"invalid version {item.get('version')!r}")
    meta = _first(item, "n:itemMeta")
    cmeta = _first(item, "n:contentMeta")
    if meta is None:
        return ItemError(guid, "newsItem without itemMeta")
    item_class = (
        _first(meta, "n:itemClass").get("qcode") if _first(meta, "n:itemClass") is not None else ""
    )
    status_el = _first(meta, "n:pubStatus")
    status = status_el.get("qcode", "stat:usable") if status_el is not None else "stat:usable"
    status = status.split(":")[-1]
    try:
        embargo = _g2_embargo(meta)
    except _Rejected as exc:
        return ItemError(guid, str(exc))
    content = _g2_content_meta(cmeta) if cmeta is not None else _G2Content()
    language = content.language or item.get("{http://www.w3.org/XML/1998/namespace}lang", "")
    credit = content.credit or _g2_provider(meta)
    rights = _g2_rights(item)
    body, byline, photos = "", content.byline, []
    cset = _first(item, "n:contentSet")
    if cset is not None:
        body, byline = _g2_body(cset, byline)
        photos = _g2_photos(
            cset, item_class=item_class, caption=content.description, credit=credit, rights=rights
        )
    killed = status in ("withdrawn", "canceled")
    missing = (
        "" if killed else _g2_missing(content, body=body, photos=photos, item_class=item_class)
    )
    if missing:
        return ItemError(guid, missing)
    ednote = _text(_first(meta, "n:edNote"))
    if not body and content.description:  # a photo item: its caption is the text
        body = _paragraphs(content.description)
    return Story(
        guid=guid,
        headline=content.headline[:300],
        body_html=body,
        version=version,
        pubstatus=status,
        byline=byline[:200],
        dateline=content.dateline[:200],
        credit=credit[:200],
        description=content.description,
        language=language,
        subjects=tuple(content.subjects),
        embargo=embargo,
        first_created=parse_datetime(_text(_first(meta, "n:firstCreated"))),
        version_created=parse_datetime(_text(_first(meta, "n:versionCreated"))),
        photos=tuple(photos),
        ednote=ednote,
    )


def parse_newsml(data: bytes) -> Parsed:
    root = parse_xml(data)
    if not isinstance(root.tag, str) or not root.tag.startswith("{"):
        raise WireError(
            f"not a complete NewsML-G2 document: root element <{root.tag}> has no NewsML-G2 "
            "namespace (an excerpt?)"
        )
    ns, local = root.tag[1:].split("}", 1)
    if ns != NAR:
        raise WireError(f"not NewsML-G2: unexpected namespace {ns!r}")
    if local not in KNOWN_G2_ITEMS:
        raise WireError(f"not NewsML-G2 news content: root element <{local}>")
    parsed = Parsed("newsml")
    if local == "newsItem":
        parsed.items.append(parse_news_item(root))
    elif local == "newsMessage":
        items = root.findall("n:itemSet/*", N)
        for el in items:
            name = ET.QName(el).localname
            if name == "newsItem":
                parsed.items.append(parse_news_item(el))
            elif name != "packageItem":
                parsed.items.append(ItemError(el.get("guid", ""), f"<{name}> is not news content"))
        if not parsed.items:
            raise WireError("newsMessage carries no newsItem")
    elif local == "packageItem":
        raise WireError("packageItem only references other items; send the newsItems it lists")
    else:
        raise WireError(f"<{local}> is not a news story (concept, planning or catalogue data)")
    return parsed


# --- ninjs ----------------------------------------------------------------------------------


def _ninjs_get(doc: dict, *names: str) -> Any:
    for n in names:
        if n in doc:
            return doc[n]
    return None


def _first_href(rends: Any) -> str:
    if isinstance(rends, dict):
        rends = list(rends.values())
    for r in rends or []:
        if isinstance(r, dict) and isinstance(r.get("href"), str) and r["href"]:
            return r["href"]
    return ""


def _first_field(entries: Any, key: str) -> str:
    """``entries[0][key]`` as text when *entries* is a non-empty list of objects, else "":
    ninjs lists (descriptions, infosources) are often empty or of the wrong shape."""
    if isinstance(entries, list) and entries and isinstance(entries[0], dict):
        return str(entries[0].get(key) or "")
    return ""


def _ninjs_headline(doc: dict) -> str:
    """The main headline: 2.x/3.x ``headlines`` (role main, else the first), else 1.x
    ``headline``."""
    headline = ""
    heads = doc.get("headlines")
    if isinstance(heads, list):
        for h in heads:
            if isinstance(h, dict) and h.get("role", "main") in ("main", None) and h.get("value"):
                headline = str(h["value"])
                break
        if not headline and heads and isinstance(heads[0], dict):
            headline = str(heads[0].get("value") or "")
    return headline or str(doc.get("headline") or "")


def _ninjs_body(doc: dict) -> str:
    """The body html: 2.x/3.x ``bodies`` (an html one first, else text as paragraphs), else
    1.x ``body_html`` or ``body_text``."""
    body = ""
    bodies = doc.get("bodies")
    if isinstance(bodies, list):
        html = [
            b
            for b in bodies
            if isinstance(b, dict)
            and "html" in str(_ninjs_get(b, "contentType", "contenttype") or "")
        ]
        text = [b for b in bodies if isinstance(b, dict) and b not in html]
        if html:
            body = str(html[0].get("value") or "")
        elif text:
            body = _paragraphs(str(text[0].get("value") or ""))
    return body or str(doc.get("body_html") or "") or _paragraphs(str(doc.get("body_text") or ""))


def _ninjs_embargo(doc: dict) -> datetime | None:
    """The embargo end (2.x ``embargoed``, 3.x ``embargoedUntil``); an unreadable one rejects
    the item rather than publishing it early."""
    embargo_raw = doc.get("embargoed") or doc.get("embargoedUntil")
    if not embargo_raw:
        return None
    embargo = parse_datetime(embargo_raw if isinstance(embargo_raw, str) else None)
    if embargo is None:
        raise _Rejected(f"unreadable embargo {embargo_raw!r}")
    return embargo


def _ninjs_byline_dateline(doc: dict) -> tuple[Any, Any]:
    """``by`` (a list of people in 3.x, joined) and ``located`` (an object in 3.x, its name)."""
    by = doc.get("by")
    if isinstance(by, list):
        by = ", ".join(str(b.get("name", "")) if isinstance(b, dict) else str(b) for b in by)
    located = doc.get("located")
    if isinstance(located, dict):
        located = located.get("name", "")
    return by, located


def _ninjs_subjects(doc: dict) -> list[tuple[str, str]]:
    """(code, name) of each subject object; the code is the uri, code or literal given."""
    subjects = []
    for s in doc.get("subjects") or doc.get("subject") or []:
        if isinstance(s, dict):
            code = s.get("uri") or s.get("code") or s.get("literal") or ""
            subjects.append((str(code), str(s.get("name") or "")))
    return subjects


def _association_photo(a: Any, credit: str, rights: str) -> Photo | None:
    """An associated picture's first rendition with its own caption, byline and rights (the
    item's credit and rights when it has none), or None for anything else."""
    if not isinstance(a, dict) or a.get("type") not in ("picture", "image"):
        return None
    rends = a.get("renditions")
    href = ""
    if isinstance(rends, dict):
        rends = list(rends.values())
    for r in rends or []:
        if isinstance(r, dict) and r.get("href"):
            href = r["href"]
            break
    if not href:
        return None
    caption = _first_field(a.get("descriptions"), "value")
    arights = str(_ninjs_get(a, "copyrightnotice", "copyrightNotice") or rights)
    return Photo(href, caption, str(a.get("by") or credit), arights)


def _ninjs_photos(doc: dict, description: str, credit: str, rights: str) -> list[Photo]:
    """A picture item's own rendition, then each associated picture."""
    photos = []
    if doc.get("type") in ("picture", "image"):  # a photo item: its own renditions
        own = _first_href(doc.get("renditions"))
        if own:
            photos.append(Photo(own, description[:300], str(doc.get("by") or credit), rights))
    assoc = doc.get("associations")
    if isinstance(assoc, dict):
        assoc = list(assoc.values())
    for a in assoc or []:
        photo = _association_photo(a, credit, rights)
        if photo is not None:
            photos.append(photo)
    return photos


def _ninjs_not_news(doc: dict) -> str:
    """Why the item is not news at all (event or planning data), or "": refused even as a
    kill notice, since it never was an article."""
    kind = str(doc.get("type") or "text")
    if kind in ("event", "planning") or doc.get("eventDetails") or doc.get("plannedCoverage"):
        return f"ninjs {kind} item: event/planning data, not a news story"
    return ""


def _ninjs_missing(doc: dict, *, headline: str, body: str, photos: list[Photo]) -> str:
    """Why a (not killed) story cannot become an article, or "": it needs a headline, and
    text or a photo (a non-text type must bring one of them itself)."""
    if not headline.strip():
        return "missing headline"
    if doc.get("type", "text") not in ("text", "composite") and not (body or photos):
        return f"ninjs type {doc.get('type')!r} has no text for an article"
    if not body.strip() and not photos:
        return "no body text"
    return ""


def parse_ninjs_doc(doc: Any) -> Story | ItemError:
    if not isinstance(doc, dict):
        return ItemError("", "ninjs item is not a JSON object")
    guid = doc.get("uri") or doc.get("guid") or ""
    if not isinstance(guid, str) or not guid.strip():
        return ItemError("", "ninjs item without uri")
    guid = guid.strip()[:500]
    # 1.x: "headline"/"body_html"; 2.x: lower-case keys; 3.x: camelCase.
    headline = _ninjs_headline(doc)
    body = _ninjs_body(doc)
    description = _first_field(doc.get("descriptions"), "value")
    if not body and description:  # NTB-style: the text travels as a "text" description
        body = _paragraphs(description)
    version = doc.get("version", 1)
    try:
        version = int(version)
    except (TypeError, ValueError):
        return ItemError(guid, f"invalid version {version!r}")
    status = str(doc.get("pubstatus") or doc.get("pubStatus") or "usable").split(":")[-1]
    try:
        embargo = _ninjs_embargo(doc)
    except _Rejected as exc:
        return ItemError(guid, str(exc))
    by, located = _ninjs_byline_dateline(doc)
    subjects = _ninjs_subjects(doc)
    credit = _first_field(_ninjs_get(doc, "infosources", "infoSources"), "name")
    rights = str(_ninjs_get(doc, "copyrightnotice", "copyrightNotice") or "")
    photos = _ninjs_photos(doc, description, credit, rights)
    killed = status in ("withdrawn", "canceled")
    refusal = _ninjs_not_news(doc) or (
        "" if killed else _ninjs_missing(doc, headline=headline, body=body, photos=photos)
    )
    if refusal:
        return ItemError(guid, refusal)
    return Story(
        guid=guid,
        headline=" ".join(headline.split())[:300],
        body_html=body,
        version=version,
        pubstatus=status,
        byline=str(by or "")[:200],
        dateline=str(located or "")[:200],
        credit=credit[:200],
        description=description,
        language=str(doc.get("language") or ""),
        subjects=tuple(subjects),
        embargo=embargo,
        first_created=parse_datetime(_ninjs_get(doc, "firstcreated", "firstCreated")),
        version_created=parse_datetime(_ninjs_get(doc, "versioncreated", "versionCreated")),
        photos=tuple(photos),
        ednote=str(doc.get("ednote") or doc.get("edNote") or ""),
    )


def parse_ninjs(data: bytes) -> Parsed:
    try:
        doc = json.loads(data.decode("utf-8"))
    except UnicodeDecodeError as exc:
        raise WireError(f"not UTF-8: {exc}") from exc
    except json.JSONDecodeError as exc:
        raise WireError(f"invalid JSON: {exc}") from exc
    parsed = Parsed("ninjs")
    docs = (
        doc
        if isinstance(doc, list)
        else (
            doc.get("items")
            if isinstance(doc, dict) and isinstance(doc.get("items"), list)
            else [doc]
        )
    )
    if not docs:
        raise WireError("empty ninjs document")
    for d in docs[:1000]:
        parsed.items.append(parse_ninjs_doc(d))
    return parsed


# --- RSS / Atom -----------------------------------------------------------------------------


def parse_rss(data: bytes) -> Parsed:
    import feedparser

    from akhbar.importers.public import feed_entry_body as _entry_body
    from akhbar.importers.public import feed_entry_date as _entry_date
    from akhbar.importers.public import feed_entry_guid as _entry_guid

    feed = feedparser.parse(data)
    if feed.get("bozo") and not feed.entries:
        raise WireError(f"malformed feed: {feed.get('bozo_exception')}")
    parsed = Parsed("rss")
    for entry in feed.entries:
        title = (
            " ".join(lxml.html.fromstring(entry.get("title") or " ").text_content().split())
            if entry.get("title")
            else ""
        )
        guid = _entry_guid(entry)
        if not title:
            parsed.items.append(ItemError(guid, "missing headline"))
            continue
        parsed.items.append(
            Story(
                guid=guid,
                headline=title[:300],
                body_html=_entry_body(entry),
                byline=str(entry.get("author") or "")[:200],
                version_created=_entry_date(entry),
                first_created=_entry_date(entry),
                source_url=(entry.get("link") or "")[:500],
                subjects=tuple(
                    (t.get("term", ""), t.get("term", "")) for t in entry.get("tags", [])
                ),
            )
        )
    return parsed


def detect(data: bytes) -> str:
    head = data[:4096].lstrip(b"\xef\xbb\xbf \t\r\n")
    if head[:1] in (b"{", b"["):
        return "ninjs"
    if NAR.encode() in data[:8192]:
        return "newsml"
    if head[:1] == b"<":
        sample = data[:4096].lower()
        if b"<rss" in sample or b"<feed" in sample or b"<rdf" in sample:
            return "rss"
        return "newsml"
    raise WireError("unknown format: neither XML nor JSON")


def parse(data: bytes, fmt: str = "auto") -> Parsed:
    if fmt == "auto":
        fmt = detect(data)
    if fmt == "newsml":
        return parse_newsml(data)
    if fmt == "ninjs":
        return parse_ninjs(data)
    if fmt == "rss":
        return parse_rss(data)
    raise WireError(f"unknown format {fmt!r}")

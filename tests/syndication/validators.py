"""Checks for the RSS 2.0 and Atom (RFC 4287) rules that feedparser tolerates.

feedparser is a forgiving consumer; stricter ones (podcast directories, Apple News, the W3C
validator) reject feeds that lack required elements, repeat ids or use loose dates. These
functions return a list of problems (empty when valid) so a failing test shows all of them.
"""

from __future__ import annotations

import re
from email.utils import parsedate_to_datetime
from urllib.parse import urlsplit

from lxml import etree

ATOM = "{http://www.w3.org/2005/Atom}"
XML_LANG = "{http://www.w3.org/XML/1998/namespace}lang"
# RFC 3339 date-time (Atom §3.3): full date, "T", time, and a zone (Z or ±hh:mm).
RFC3339 = re.compile(r"^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}(\.\d+)?(Z|[+-]\d{2}:\d{2})$")
# RFC 822 (with RFC 1123 four-digit years), as RSS 2.0 requires.
RFC822 = re.compile(
    r"^(Mon|Tue|Wed|Thu|Fri|Sat|Sun), \d{2} (Jan|Feb|Mar|Apr|May|Jun|Jul|Aug|Sep|Oct|Nov|Dec) "
    r"\d{4} \d{2}:\d{2}:\d{2} ([+-]\d{4}|GMT|UT|Z)$"
)


def is_absolute(url: str | None) -> bool:
    parts = urlsplit(url or "")
    return parts.scheme in {"http", "https"} and bool(parts.netloc)


def _rfc822(value: str | None, where: str, problems: list[str]) -> None:
    if not value or not RFC822.match(value):
        problems.append(f"{where}: not an RFC 822 date: {value!r}")
        return
    try:
        parsedate_to_datetime(value)
    except (TypeError, ValueError):
        problems.append(f"{where}: unparseable date {value!r}")


def _rss_channel(channel: etree._Element, problems: list[str]) -> None:
    """The channel's own required elements: title, absolute link, description, language."""
    for name in ("title", "link", "description"):
        element = channel.find(name)
        if element is None or not (element.text or "").strip():
            problems.append(f"channel: missing or empty <{name}>")
    if not is_absolute(channel.findtext("link")):
        problems.append("channel: <link> is not absolute")
    if channel.findtext("language") is None:
        problems.append("channel: no <language>")
    if channel.find("lastBuildDate") is not None:
        _rfc822(channel.findtext("lastBuildDate"), "channel lastBuildDate", problems)


def _rss_guid(item: etree._Element, where: str, guids: set[str], problems: list[str]) -> None:
    """A guid is present, unique in the feed, and absolute when it claims to be a permalink."""
    guid = item.find("guid")
    if guid is None or not (guid.text or "").strip():
        problems.append(f"{where}: no <guid>")
        return
    if guid.text in guids:
        problems.append(f"{where}: duplicate guid {guid.text}")
    guids.add(guid.text or "")
    if guid.get("isPermaLink", "true") == "true" and not is_absolute(guid.text):
        problems.append(f"{where}: permalink guid is not an absolute URL")


def _rss_enclosures(item: etree._Element, where: str, problems: list[str]) -> None:
    """At most one enclosure, with an absolute url, a length in bytes and a type."""
    enclosures = item.findall("enclosure")
    for enclosure in enclosures:
        if not is_absolute(enclosure.get("url")):
            problems.append(f"{where}: enclosure url not absolute")
        if not (enclosure.get("length") or "").isdigit():
            problems.append(f"{where}: enclosure length must be a number of bytes")
        if not enclosure.get("type"):
            problems.append(f"{where}: enclosure without type")
    if len(enclosures) > 1:
        problems.append(f"{where}: RSS allows one enclosure")


def validate_rss(xml: bytes) -> list[str]:
    problems: list[str] = []
    root = etree.fromstring(xml)
    if root.tag != "rss" or root.get("version") != "2.0":
        return [f"root is <{root.tag} version={root.get('version')}>, not <rss version=2.0>"]
    channels = root.findall("channel")
    if len(channels) != 1:
        return ["rss must contain exactly one channel"]
    channel = channels[0]
    _rss_channel(channel, problems)
    guids: set[str] = set()
    for n, item in enumerate(channel.findall("item")):
        where = f"item {n}"
        if not (item.findtext("title") or item.findtext("description")):
            problems.append(f"{where}: needs a title or a description")
        if not is_absolute(item.findtext("link")):
            problems.append(f"{where}: <link> missing or relative")
        _rss_guid(item, where, guids, problems)
        if item.find("pubDate") is not None:
            _rfc822(item.findtext("pubDate"), f"{where} pubDate", problems)
        _rss_enclosures(item, where, problems)
    return problems


def _exactly_one(
    parent: etree._Element, name: str, where: str, problems: list[str]
) -> etree._Element | None:
    """The one atom:*name* child of *parent*, or None (and a problem) for none or several."""
    found = parent.findall(f"{ATOM}{name}")
    if len(found) != 1:
        problems.append(f"{where}: {len(found)} atom:{name} elements, need exactly 1")
        return None
    return found[0]


def _atom_date(element: etree._Element | None, where: str, problems: list[str]) -> None:
    if element is not None and not RFC3339.match(element.text or ""):
        problems.append(f"{where}: not an RFC 3339 date: {element.text!r}")


def _atom_entry(
    entry: etree._Element, where: str, ids: set[str | None], *, feed_has_author: bool
) -> list[str]:
    """One entry's problems: a unique IRI id, title, dates, an author (its own or the
    feed's), and an alternate link or content, with absolute links."""
    problems: list[str] = []
    entry_id = _exactly_one(entry, "id", where, problems)
    if entry_id is not None:
        if entry_id.text in ids:
            problems.append(f"{where}: duplicate id {entry_id.text}")
        ids.add(entry_id.text)
        if not re.match(r"^[a-zA-Z][a-zA-Z0-9+.-]*:", entry_id.text or ""):
            problems.append(f"{where}: id is not an IRI")
    _exactly_one(entry, "title", where, problems)
    _atom_date(_exactly_one(entry, "updated", where, problems), f"{where} updated", problems)
    for published in entry.findall(f"{ATOM}published"):
        _atom_date(published, f"{where} published", problems)
    if not feed_has_author and entry.find(f"{ATOM}author/{ATOM}name") is None:
        problems.append(f"{where}: no author and the feed has none")
    links = entry.findall(f"{ATOM}link")
    has_alternate = any(link.get("rel", "alternate") == "alternate" for link in links)
    if not has_alternate and entry.find(f"{ATOM}content") is None:
        problems.append(f"{where}: needs an alternate link or content")
    for link in links:
        if not is_absolute(link.get("href")):
            problems.append(f"{where}: link href not absolute: {link.get('href')}")
    return problems


def validate_atom(xml: bytes) -> list[str]:
    problems: list[str] = []
    root = etree.fromstring(xml)
    if root.tag != f"{ATOM}feed":
        return [f"root is {root.tag}, not atom:feed"]
    if not root.get(XML_LANG):
        problems.append("feed: no xml:lang")
    _exactly_one(root, "id", "feed", problems)
    _exactly_one(root, "title", "feed", problems)
    _atom_date(_exactly_one(root, "updated", "feed", problems), "feed updated", problems)
    feed_has_author = root.find(f"{ATOM}author/{ATOM}name") is not None
    if not any(link.get("rel") == "self" for link in root.findall(f"{ATOM}link")):
        problems.append("feed: no rel=self link")
    ids: set[str | None] = set()
    for n, entry in enumerate(root.findall(f"{ATOM}entry")):
        problems += _atom_entry(entry, f"entry {n}", ids, feed_has_author=feed_has_author)
    return problems

"""Our articles out as IPTC ninjs (2.x, 3.x) and NewsML-G2 NewsItems, for partner outlets.

Built from the Content API's representation so every channel says the same thing. ninjs 2.x
uses lower-case property names (``versioncreated``), 3.x camelCase (``versionCreated``); both
are validated in the tests against the official schemas. NewsML-G2 output follows the 2.24 core
XSD (also validated), with the body as inline XHTML.
"""

from __future__ import annotations

from typing import Any

import lxml.etree as ET
import lxml.html

from akhbar.api import public as rep
from akhbar.newsroom.models import Article
from akhbar.newsroom.public import html_to_text
from akhbar.wire.parsers import NAR, XHTML


def item_uri(base: str, article: Article) -> str:
    return f"{base}/api/v1/articles/{article.pk}"


def _version(article: Article) -> int:
    return 1 + len([n for n in article.notes.all() if n.is_public])


def ninjs(base: str, article: Article, version: str = "3") -> dict[str, Any]:
    """ninjs for ``version`` "2" (2.0–2.2 property names) or "3" (3.0/3.1)."""
    v3 = version.startswith("3")
    ct = "contentType" if v3 else "contenttype"
    data = rep.article_dict(base, article)
    modified = data["modified_at"] or data["published_at"]
    doc: dict[str, Any] = {
        "uri": item_uri(base, article),
        "type": "text",
        "version": str(_version(article)),
        ("versionCreated" if v3 else "versioncreated"): modified,
        ("firstCreated" if v3 else "firstcreated"): data["published_at"],
        ("pubStatus" if v3 else "pubstatus"): "usable",
        "language": "ar",
        "headlines": [{"role": "main", "value": article.title}],
        "bodies": [
            {"role": "main", ct: "text/html", "value": article.body},
            {"role": "main", ct: "text/plain", "value": html_to_text(article.body)},
        ],
        "descriptions": [{"role": "summary", ct: "text/plain", "value": article.excerpt}],
        "subjects": [
            {"name": article.category.name, "uri": data["section"]["url"]},
            *({"name": t["name"], "uri": t["url"]} for t in data["tags"]),
        ],
        ("copyrightNotice" if v3 else "copyrightnotice"): f"© {rep.site_name()}",
    }
    doc["standard"] = (
        {
            "name": "ninjs",
            "version": "3.1",
            "schema": "https://iptc.org/std/ninjs/ninjs-schema_3.1.json",
        }
        if v3
        else {
            "name": "ninjs",
            "version": "2.1",
            "schema": "http://www.iptc.org/std/ninjs/ninjs-schema_2.1.json",
        }
    )
    if article.author:
        doc["by"] = article.author.display_name
    if article.source_name:
        doc["infosources" if not v3 else "infoSources"] = [
            {
                "name": article.source_name,
                **({"uri": article.source_url} if article.source_url else {}),
            }
        ]
    if data["image"]:
        img = data["image"]
        rends = [
            {
                "href": img["url"],
                ct: "image/jpeg",
                **({"width": img["width"], "height": img["height"]} if img["width"] else {}),
            }
        ]
        for r in img["renditions"]:
            rends.append({"href": r["url"], ct: r["mime_type"], "width": r["width"]})
        if v3:
            renditions: Any = [{"name": f"r{i}", **r} for i, r in enumerate(rends)]
        else:
            renditions = {f"r{i}": r for i, r in enumerate(rends)}
        picture = {
            "uri": f"{doc['uri']}/image",
            "type": "picture",
            "headlines": [{"role": "main", "value": img["caption"] or article.title}],
            "renditions": renditions,
        }
        if img["credit"]:
            picture["by"] = img["credit"]
        if v3:
            doc["associations"] = [{"name": "featureimage", **picture}]
        else:
            doc["associations"] = {"featureimage": picture}
    return doc


def _e(parent: Any, name_: str, text: str | None = None, **attrs: str) -> Any:
    el = ET.SubElement(
        parent, f"{{{NAR}}}{name_}", {k.replace("_", ""): v for k, v in attrs.items() if v}
    )
    if text is not None:
        el.text = text
    return el


def _xhtml(parent: Any, title: str, body_html: str) -> None:
    html = ET.SubElement(parent, f"{{{XHTML}}}html", nsmap={None: XHTML})
    head = ET.SubElement(html, f"{{{XHTML}}}head")
    ET.SubElement(head, f"{{{XHTML}}}title").text = title
    body = ET.SubElement(html, f"{{{XHTML}}}body")
    if body_html.strip():
        for fragment in lxml.html.fragments_fromstring(body_html):
            if isinstance(fragment, str):
                p = ET.SubElement(body, f"{{{XHTML}}}p")
                p.text = fragment
                continue
            copy = ET.fromstring(lxml.html.tostring(fragment, encoding="unicode", method="xml"))
            for node in copy.iter():
                if isinstance(node.tag, str):
                    node.tag = f"{{{XHTML}}}{node.tag}"
            body.append(copy)


def news_item(base: str, article: Article) -> Any:
    """A NewsML-G2 ``newsItem`` element for ``article``."""
    data = rep.article_dict(base, article)
    xml_lang = "{http://www.w3.org/XML/1998/namespace}lang"
    root = ET.Element(
        f"{{{NAR}}}newsItem",
        {
            "guid": item_uri(base, article),
            "version": str(_version(article)),
            "standard": "NewsML-G2",
            "standardversion": "2.24",
            "conformance": "power",
            xml_lang: "ar",
        },
        nsmap={None: NAR},
    )
    _e(root, "catalogRef", href="http://www.iptc.org/std/catalog/catalog.IPTC-G2-Standards_36.xml")
    rights = _e(root, "rightsInfo")
    holder = _e(rights, "copyrightHolder", uri=base + "/")
    _e(holder, "name", rep.site_name())
    _e(rights, "copyrightNotice", f"© {rep.site_name()}")
    meta = _e(root, "itemMeta")
    _e(meta, "itemClass", qcode="ninat:text")
    provider = _e(meta, "provider", uri=base + "/")
    _e(provider, "name", rep.site_name())
    _e(meta, "versionCreated", data["modified_at"] or data["published_at"])
    _e(meta, "firstCreated", data["published_at"])
    _e(meta, "pubStatus", qcode="stat:usable")
    _e(meta, "link", rel="irel:seeAlso", href=data["url"])
    cmeta = _e(root, "contentMeta")
    if article.author:
        creator = _e(cmeta, "creator", uri=data["author"]["url"])
        _e(creator, "name", article.author.display_name)
    if article.source_name:
        info = _e(cmeta, "infoSource")
        _e(info, "name", article.source_name)
    _e(cmeta, "language", tag="ar")
    subject = _e(cmeta, "subject", uri=data["section"]["url"], type="cpnat:abstract")
    _e(subject, "name", article.category.name)
    for t in data["tags"]:
        s = _e(cmeta, "keyword", t["name"])
        s.set("role", "krole:index")
    _e(cmeta, "headline", article.title)
    if article.excerpt:
        _e(cmeta, "description", article.excerpt, role="drol:summary")
    if article.author:
        _e(cmeta, "by", article.author.display_name)
    if article.source_name:
        _e(cmeta, "creditline", article.source_name)
    cset = _e(root, "contentSet")
    inline = _e(cset, "inlineXML", contenttype="application/xhtml+xml")
    _xhtml(inline, article.title, article.body)
    return root


def newsml_bytes(base: str, article: Article) -> bytes:
    return ET.tostring(
        news_item(base, article), xml_declaration=True, encoding="UTF-8", pretty_print=True
    )


def news_message(base: str, articles: list[Article], sent: str) -> bytes:
    root = ET.Element(f"{{{NAR}}}newsMessage", nsmap={None: NAR})
    header = ET.SubElement(root, f"{{{NAR}}}header")
    ET.SubElement(header, f"{{{NAR}}}sent").text = sent
    ET.SubElement(header, f"{{{NAR}}}sender").text = base.split("://", 1)[-1]
    items = ET.SubElement(root, f"{{{NAR}}}itemSet")
    for article in articles:
        items.append(news_item(base, article))
    return ET.tostring(root, xml_declaration=True, encoding="UTF-8", pretty_print=True)

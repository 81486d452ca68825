"""Export Akhbar's newsroom as WordPress eXtended RSS 1.2 (what Tools → Import reads).

Written with ``lxml.etree.xmlfile``: one ``<item>`` is built at a time and flushed, and
articles are read from the database in chunks, so memory stays flat whatever the archive
size. Text is written escaped rather than in CDATA (a body containing ``]]>`` cannot be put
in CDATA), which WordPress's importer reads the same way.
"""

from __future__ import annotations

import html
import re
import zoneinfo
from collections.abc import Callable
from datetime import datetime
from pathlib import Path
from typing import IO, Any
from urllib.parse import quote

from django.conf import settings
from django.db.models import Max
from django.utils import timezone
from lxml import etree

from akhbar.comments.models import Comment
from akhbar.newsroom.models import Article, Author, Category, Tag
from akhbar.site.models import Page

WP = "http://wordpress.org/export/1.2/"
NSMAP = {
    "excerpt": "http://wordpress.org/export/1.2/excerpt/",
    "content": "http://purl.org/rss/1.0/modules/content/",
    "wfw": "http://wellformedweb.org/CommentAPI/",
    "dc": "http://purl.org/dc/elements/1.1/",
    "wp": WP,
}
_XML_INVALID = re.compile("[\x00-\x08\x0b\x0c\x0e-\x1f\ufffe\uffff]")
COMMENT_APPROVED = {"approved": "1", "pending": "0", "spam": "spam", "trash": "trash"}


def _clean(value: Any) -> str:
    return _XML_INVALID.sub("", "" if value is None else str(value))


def _sub(parent: etree._Element, tag: str, text: Any = "", ns: str | None = WP) -> None:
    name = f"{{{NSMAP.get(ns, ns)}}}{tag}" if ns else tag
    etree.SubElement(parent, name).text = _clean(text)


class WxrExporter:
    def __init__(self, base_url: str = "http://localhost") -> None:
        self.base = base_url.rstrip("/")
        self.tz = zoneinfo.ZoneInfo(settings.TIME_ZONE)
        self.counts = {"authors": 0, "categories": 0, "tags": 0, "posts": 0, "pages": 0,
                       "comments": 0}  # fmt: skip

    def _dates(self, when: datetime | None) -> tuple[str, str]:
        if when is None:
            return "0000-00-00 00:00:00", "0000-00-00 00:00:00"
        local = timezone.localtime(when, self.tz)
        gmt = timezone.localtime(when, zoneinfo.ZoneInfo("UTC"))
        return local.strftime("%Y-%m-%d %H:%M:%S"), gmt.strftime("%Y-%m-%d %H:%M:%S")

    def export(
        self, out: str | Path | IO[bytes], progress: Callable[[int], None] | None = None
    ) -> dict[str, int]:
        """Stream the site to ``out``; ``progress(1)`` after each article (the command's bar)."""
        from akhbar.site.models import SiteSettings

        site = SiteSettings.current()
        logins: dict[int, str] = {}
        with etree.xmlfile(out if not isinstance(out, Path) else str(out), encoding="utf-8") as xf:
            xf.write_declaration()
            with xf.element("rss", version="2.0", nsmap=NSMAP), xf.element("channel"):
                head = etree.Element("head")
                _sub(head, "title", site.site_name, None)
                _sub(head, "link", self.base, None)
                _sub(head, "description", site.tagline, None)
                _sub(head, "language", settings.LANGUAGE_CODE, None)
                _sub(head, "wxr_version", "1.2")
                _sub(head, "base_site_url", self.base)
                _sub(head, "base_blog_url", self.base)
                for child in head:
                    xf.write(child)
                for author in Author.objects.select_related("user").order_by("pk"):
                    user = author.user  # selected with the author: no query, None if none
                    login = user.username if user is not None else author.slug
                    logins[author.pk] = login
                    el = etree.Element(f"{{{WP}}}author")
                    _sub(el, "author_id", author.pk)
                    _sub(el, "author_login", login)
                    _sub(el, "author_email", user.email if user is not None else "")
                    _sub(el, "author_display_name", author.display_name)
                    _sub(el, "author_first_name", user.first_name if user is not None else "")
                    _sub(el, "author_last_name", user.last_name if user is not None else "")
                    xf.write(el)
                    self.counts["authors"] += 1
                for cat in self._categories_parents_first():
                    el = etree.Element(f"{{{WP}}}category")
                    _sub(el, "term_id", cat.pk)
                    _sub(el, "category_nicename", quote(cat.slug).lower())
                    _sub(
                        el, "category_parent", quote(cat.parent.slug).lower() if cat.parent else ""
                    )
                    _sub(el, "cat_name", cat.name)
                    _sub(el, "category_description", cat.description)
                    xf.write(el)
                    self.counts["categories"] += 1
                for tag in Tag.objects.order_by("pk").iterator(chunk_size=1000):
                    el = etree.Element(f"{{{WP}}}tag")
                    _sub(el, "term_id", tag.pk)
                    _sub(el, "tag_slug", quote(tag.slug).lower())
                    _sub(el, "tag_name", tag.name)
                    xf.write(el)
                    self.counts["tags"] += 1
                articles = (
                    Article.objects.select_related("category")
                    .prefetch_related("tags")
                    .order_by("pk")
                    .iterator(chunk_size=500)
                )
                for article in articles:
                    xf.write(self._article(article, logins))
                    xf.flush()
                    if progress is not None:
                        progress(1)
                offset = Article.objects.aggregate(m=Max("pk"))["m"] or 0
                for page in Page.objects.order_by("pk").iterator(chunk_size=500):
                    xf.write(self._page(page, offset))
        return self.counts

    def _categories_parents_first(self) -> list[Category]:
        cats = list(Category.objects.select_related("parent").order_by("pk"))
        done: set[int] = set()
        ordered: list[Category] = []
        while len(ordered) < len(cats):
            progressed = False
            for cat in cats:
                if cat.pk not in done and (cat.parent_id is None or cat.parent_id in done):
                    ordered.append(cat)
                    done.add(cat.pk)
                    progressed = True
            if not progressed:  # a cycle: write the rest anyway
                ordered.extend(c for c in cats if c.pk not in done)
                break
        return ordered

    def _item_head(self, title: str, url: str, post_id: int, guid: str) -> etree._Element:
        item = etree.Element("item")
        _sub(item, "title", title, None)
        _sub(item, "link", self.base + url, None)
        guid_el = etree.SubElement(item, "guid", isPermaLink="false")
        guid_el.text = _clean(guid)
        return item

    def _article(self, article: Article, logins: dict[int, str]) -> etree._Element:
        item = self._item_head(
            article.title, article.get_absolute_url(), article.pk, f"{self.base}/?p={article.pk}"
        )
        author_id = article.author_id
        _sub(item, "creator", logins.get(author_id, "") if author_id is not None else "", "dc")
        # A Custom HTML block: the body is finished HTML, which WordPress must not re-paragraph.
        _sub(item, "encoded", f"<!-- wp:html -->\n{article.body}\n<!-- /wp:html -->", "content")
        _sub(item, "encoded", article.excerpt, "excerpt")
        local, gmt = self._dates(article.published_at)
        _sub(item, "post_id", article.pk)
        _sub(item, "post_date", local)
        _sub(item, "post_date_gmt", gmt)
        _sub(item, "comment_status", "open" if article.comments_open else "closed")
        _sub(item, "ping_status", "closed")
        _sub(item, "post_name", quote(article.slug).lower())
        if article.status == Article.Status.PUBLISHED:
            status = "future" if article.is_scheduled else "publish"
        else:
            status = {"draft": "draft", "pending": "pending", "archived": "private"}.get(
                article.status, "draft"
            )
        _sub(item, "status", status)
        _sub(item, "post_parent", 0)
        _sub(item, "menu_order", 0)
        _sub(item, "post_type", "post")
        _sub(item, "post_password", "")
        _sub(item, "is_sticky", int(article.is_featured))
        cat = etree.SubElement(
            item, "category", domain="category", nicename=quote(article.category.slug).lower()
        )
        cat.text = _clean(article.category.name)
        for tag in article.tags.all():
            el = etree.SubElement(
                item, "category", domain="post_tag", nicename=quote(tag.slug).lower()
            )
            el.text = _clean(tag.name)
        for comment in Comment.objects.filter(article=article).order_by("pk"):
            item.append(self._comment(comment))
        self.counts["posts"] += 1
        return item

    def _comment(self, comment: Comment) -> etree._Element:
        el = etree.Element(f"{{{WP}}}comment")
        local, gmt = self._dates(comment.created_at)
        _sub(el, "comment_id", comment.pk)
        _sub(el, "comment_author", comment.author_name)
        _sub(el, "comment_author_email", comment.author_email)
        _sub(el, "comment_author_url", comment.author_url)
        _sub(el, "comment_author_IP", comment.ip_address or "")
        _sub(el, "comment_date", local)
        _sub(el, "comment_date_gmt", gmt)
        # Akhbar comments are plain text; WordPress comment content is HTML.
        _sub(el, "comment_content", html.escape(comment.body, quote=False))
        _sub(el, "comment_approved", COMMENT_APPROVED.get(comment.status, "0"))
        _sub(el, "comment_type", "comment")
        _sub(el, "comment_parent", comment.parent_id or 0)
        _sub(el, "comment_user_id", comment.user_id or 0)
        self.counts["comments"] += 1
        return el

    def _page(self, page: Page, offset: int) -> etree._Element:
        post_id = offset + page.pk  # WordPress ids are shared by posts and pages
        item = self._item_head(
            page.title, page.get_absolute_url(), post_id, f"{self.base}/?page_id={post_id}"
        )
        _sub(item, "creator", "", "dc")
        _sub(item, "encoded", f"<!-- wp:html -->\n{page.body}\n<!-- /wp:html -->", "content")
        _sub(item, "encoded", "", "excerpt")
        local, gmt = self._dates(page.updated_at)
        for tag, value in (
            ("post_id", post_id), ("post_date", local), ("post_date_gmt", gmt),
            ("comment_status", "closed"), ("ping_status", "closed"),
            ("post_name", quote(page.slug).lower()),
            ("status", "publish" if page.is_published else "draft"), ("post_parent", 0),
            ("menu_order", 0), ("post_type", "page"), ("post_password", ""), ("is_sticky", 0),
        ):  # fmt: skip
            _sub(item, tag, value)
        self.counts["pages"] += 1
        return item

"""Posts and pages: WordPress items written through the newsroom's write path.

A batch of posts goes through ``services.save_many`` (the same derived fields, slugs,
revisions, tags, renditions request and events as single saves, in bulk statements), inside
the importer's transaction; the one-by-one fallback saves each post through
``Article.save()``. Both set the article the same way (:meth:`PostWriter._fill`), so a batch is
only a faster way to reach the same end state.
"""

from __future__ import annotations

import html
from dataclasses import dataclass
from datetime import datetime
from typing import Any

from django.utils import timezone

from akhbar.importers import bulk, legacy
from akhbar.importers.models import ImportedItem
from akhbar.importers.wordpress.comments import CommentWriter
from akhbar.importers.wordpress.common import (
    COMMENT,
    PAGE,
    POST,
    RECORD_FIELDS,
    clip,
    legacy_keys,
    set_created_at,
    slug,
    to_int,
)
from akhbar.importers.wordpress.records import RecordBook
from akhbar.importers.wordpress.taxonomy import Taxonomy, term_key
from akhbar.importers.wpcontent import convert_wp_content, excerpt_from_html
from akhbar.importers.wxr import WxrCategory, WxrItem, WxrItemTerm
from akhbar.newsroom import public as services
from akhbar.newsroom.models import Article, Category, unique_slug
from akhbar.site.models import Page

PUBLISHED = str(Article.Status.PUBLISHED)
DRAFT = str(Article.Status.DRAFT)
# WordPress post status -> Akhbar article status; ``None`` means "do not import".
POST_STATUS: dict[str, str | None] = {
    "publish": PUBLISHED,
    "future": PUBLISHED,  # published with a future date = scheduled
    "draft": DRAFT,
    "pending": str(Article.Status.PENDING),
    "private": DRAFT,  # private posts must not become public
    "trash": None,
    "auto-draft": None,
    "inherit": None,
}
#: Columns of a post's bookkeeping row that a re-import rewrites.
RECORD_UPDATE_FIELDS = [
    "key", "wp_id", "guid", "content_type", "object_id", "old_permalink", "data",
    "needs_linking", "imported_at",
]  # fmt: skip


@dataclass
class _Row:
    """One post of a batch between reading and writing."""

    wp: WxrItem
    record: ImportedItem | None
    article: Article
    created: bool
    when: datetime | None
    tags: list[int]
    data: dict[str, Any]
    needs_linking: bool


class PostWriter:
    """Posts (one by one, or a batch at once) with their tags, old URLs and comments; pages."""

    def __init__(self, book: RecordBook, taxonomy: Taxonomy, comments: CommentWriter) -> None:
        self.book = book
        self.report = book.report
        self.taxonomy = taxonomy
        self.comments = comments

    # --- what both paths set ----------------------------------------------------------------

    def status(self, wp: WxrItem) -> str | None:
        """The Akhbar status for a post, or ``None`` (reported as skipped) when not imported."""
        status = POST_STATUS.get(wp.status, DRAFT)
        if status is None:
            self.report.skip(POST, f"status {wp.status}")
            return None
        if wp.status not in POST_STATUS:
            self.report.warn(f"post {wp.post_id}: unknown status {wp.status!r}, imported as draft")
        if wp.password and status == PUBLISHED:
            status = DRAFT
            self.report.warn(f"post {wp.post_id} is password-protected: imported as a draft")
        return status

    def _categories(self, wp: WxrItem) -> tuple[list[WxrItemTerm], list[int]]:
        """The post's category terms and their pks (undeclared ones created on the fly)."""
        categories = [t for t in wp.categories if t.domain == "category"]
        category_pks: list[int] = []
        for term in categories:
            pk = self.taxonomy.category_pk(term_key(term.nicename))
            if pk is None:
                made = self.taxonomy.import_category(
                    WxrCategory(None, term.nicename, "", term.name, "")
                )
                pk = made.pk if made else None
            if pk is not None and pk not in category_pks:
                category_pks.append(pk)
        return categories, category_pks

    def _fill(
        self,
        article: Article,
        wp: WxrItem,
        status: str,
        when: datetime | None,
        category_pks: list[int],
    ) -> None:
        """Set what the export says about the article (both paths; saving derives the rest)."""
        article.category_id = category_pks[0] if category_pks else self.taxonomy.uncategorised()
        article.title = clip(html.unescape(wp.title).strip(), 300)
        article.body = convert_wp_content(wp.content)
        article.excerpt = (
            excerpt_from_html(convert_wp_content(wp.excerpt), 80) if wp.excerpt else ""
        )
        article.status = status
        dated = status == PUBLISHED or wp.post_date_gmt is not None
        article.published_at = when if dated else None
        article.is_featured = wp.is_sticky
        article.comments_open = wp.comment_status != "closed"
        article.author_id = self.taxonomy.author_for(wp.creator)

    def _tag_pks(self, wp: WxrItem, category_pks: list[int]) -> list[int]:
        """Tag pks, in order, without repeats; categories beyond the first become tags."""
        tag_pks = [
            self.taxonomy.tag_pk(term_key(t.nicename), t.name)
            for t in wp.categories
            if t.domain == "post_tag"
        ]
        # Akhbar has one category per article: the others stay visible as tags.
        for pk in category_pks[1:]:
            name = Category.objects.filter(pk=pk).values_list("name", flat=True).first()
            if name:
                tag_pks.append(self.taxonomy.tag_pk(f"category-{pk}", name))
        return list(dict.fromkeys(tag_pks))

    @staticmethod
    def _data(
        wp: WxrItem, categories: list[WxrItemTerm], category_pks: list[int]
    ) -> tuple[dict[str, Any], bool]:
        """The bookkeeping data of a post's ImportedItem row, and whether it needs linking."""
        thumbnail = to_int(wp.postmeta.get("_thumbnail_id", [""])[0])
        data: dict[str, Any] = {}
        if thumbnail:
            data["thumbnail"] = thumbnail
        if len(category_pks) > 1:
            data["categories"] = [t.nicename for t in categories]
        return data, bool(thumbnail)

    @staticmethod
    def _base_slug(wp: WxrItem) -> str:
        return slug(wp.post_name, 190) or slug(wp.title, 190) or f"post-{wp.post_id}"

    def _already_live(self, status: str, when: datetime | None) -> bool:
        """Already live on the old site: it went live then, and no "went live" hook should
        fire for it now."""
        return when is not None and status == PUBLISHED and when <= self.book.started

    # --- one post ---------------------------------------------------------------------------

    def import_post(self, wp: WxrItem) -> Article | None:
        """One post through ``Article.save()`` (the fallback for a batch that failed)."""
        status = self.status(wp)
        if status is None:
            return None
        key = str(wp.post_id)
        record = self.book.find(POST, key, wp.guid)
        article = self.book.target(record, Article)
        created = article is None
        if article is None:
            article = Article()
        when = self.book.aware(wp.post_date, wp.post_date_gmt)
        categories, category_pks = self._categories(wp)
        self._fill(article, wp, status, when, category_pks)
        if created:
            article.slug = unique_slug(Article, self._base_slug(wp), None, 200)
        # Tags in the same save through the write path, so its one event knows them.
        article._pending_tag_ids = self._tag_pks(wp, category_pks)
        article.save()
        if created and when is not None:
            stamps: dict[str, Any] = {"created_at": when}
            if self._already_live(status, when):
                stamps["went_live_at"] = when
            Article.objects.filter(pk=article.pk).update(**stamps)

        data, needs_linking = self._data(wp, categories, category_pks)
        self.book.remember(
            record,
            POST,
            key,
            article,
            wp_id=wp.post_id,
            guid=wp.guid,
            permalink=wp.link,
            data=data,
            needs_linking=needs_linking,
        )
        self.report.count(POST, created=created)
        self.book.legacy(article, wp.link, extra=(f"?p={wp.post_id}",))
        self.comments.import_comments([(wp, article)])
        return article

    # --- a batch ----------------------------------------------------------------------------

    def import_batch(self, batch: list[WxrItem]) -> None:
        """Posts, their tags, revisions, bookkeeping rows, old URLs and comments, in bulk.

        Call inside a transaction: the importer rolls the whole batch back and redoes it one
        post at a time (:meth:`import_post`) if any statement fails.
        """
        now = timezone.now()
        wanted = [(wp, status) for wp in batch if (status := self.status(wp)) is not None]
        if not wanted:
            return
        records = self.book.find_many(POST, [(str(wp.post_id), wp.guid) for wp, _ in wanted])
        existing = Article.objects.in_bulk(
            [r.object_id for r in records if r is not None and r.object_id]
        )
        rows = [
            self._batch_row(wp, status, record, existing)
            for (wp, status), record in zip(wanted, records, strict=True)
        ]
        services.save_many([(row.article, row.tags) for row in rows])
        set_created_at(
            [(row.article, row.when) for row in rows if row.created and row.when is not None],
            Article,
        )
        self._write_records(rows, now)
        legacy.register_many(
            (legacy_keys([row.wp.link], (f"?p={row.wp.post_id}",)), row.article) for row in rows
        )
        self.comments.import_comments([(row.wp, row.article) for row in rows])
        for row in rows:
            self.report.count(POST, created=row.created)

    def _batch_row(
        self,
        wp: WxrItem,
        status: str,
        record: ImportedItem | None,
        existing: dict[int, Article],
    ) -> _Row:
        """One post of a batch set up for ``save_many`` (taxonomy created as it goes)."""
        article = existing.get(record.object_id) if record and record.object_id else None
        created = article is None
        if article is None:
            article = Article()
        when = self.book.aware(wp.post_date, wp.post_date_gmt)
        categories, category_pks = self._categories(wp)
        self._fill(article, wp, status, when, category_pks)
        if created:
            article.slug = self._base_slug(wp)  # made unique by save_many
            if self._already_live(status, when):
                article.went_live_at = when
        data, needs_linking = self._data(wp, categories, category_pks)
        return _Row(
            wp=wp,
            record=record,
            article=article,
            created=created,
            when=when,
            tags=self._tag_pks(wp, category_pks),
            data=data,
            needs_linking=needs_linking,
        )

    def _write_records(self, rows: list[_Row], now: datetime) -> None:
        """The posts' ImportedItem rows: new ones inserted, earlier ones updated in place."""
        ct = self.book.content_type(Article)
        fresh: list[ImportedItem] = []
        seen: list[ImportedItem] = []
        for row in rows:
            wp = row.wp
            record = row.record or ImportedItem(source=self.book.source, kind=POST)
            record.key = str(wp.post_id)
            record.wp_id = wp.post_id
            record.guid = clip(wp.guid, 500)
            record.content_type = ct
            record.object_id = row.article.pk
            record.old_permalink = clip(wp.link, 1000)
            record.data = row.data
            record.needs_linking = row.needs_linking
            record.imported_at = now  # auto_now is not applied by bulk_update
            (seen if record.pk else fresh).append(record)
        bulk.insert_rows(ImportedItem, fresh, RECORD_FIELDS)
        ImportedItem.objects.bulk_update(seen, RECORD_UPDATE_FIELDS)

    # --- pages ------------------------------------------------------------------------------

    def import_page(self, wp: WxrItem) -> Page | None:
        """A static page: a site page, public only if it was published without a password."""
        status = POST_STATUS.get(wp.status, DRAFT)
        if status is None:
            self.report.skip(PAGE, f"status {wp.status}")
            return None
        key = str(wp.post_id)
        record = self.book.find(PAGE, key, wp.guid)
        page = self.book.target(record, Page)
        created = page is None
        if page is None:
            base = slug(wp.post_name, 110) or slug(wp.title, 110) or f"page-{wp.post_id}"
            page = Page(slug=unique_slug(Page, base, None, 120))
        page.title = clip(html.unescape(wp.title).strip(), 200)
        page.body = convert_wp_content(wp.content)
        page.is_published = status == PUBLISHED and not wp.password
        page.save()
        self.book.remember(
            record,
            PAGE,
            key,
            page,
            wp_id=wp.post_id,
            guid=wp.guid,
            permalink=wp.link,
            data={"parent": wp.post_parent} if wp.post_parent else {},
        )
        self.report.count(PAGE, created=created)
        self.book.legacy(page, wp.link, extra=(f"?page_id={wp.post_id}", f"?p={wp.post_id}"))
        for _ in wp.comments:
            self.report.skip(COMMENT, "on a static page (pages take no comments)")
        return page

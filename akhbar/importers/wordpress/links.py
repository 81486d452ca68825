"""The link pass: what pointed forward in the file, resolved after the stream.

A category's parent, a post's featured image and a reply's parent in another post may all
come later in the export than what names them. The first pass writes such links down on the
record's row (``needs_linking``, the target in ``data``); this pass reads those rows back,
one at a time (each in its own transaction, like every record), once the whole file is in.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from akhbar.comments.models import Comment
from akhbar.importers import legacy
from akhbar.importers.models import ImportedItem
from akhbar.importers.wordpress.common import ATTACHMENT, CATEGORY, COMMENT, POST, clip
from akhbar.importers.wordpress.media import Media
from akhbar.importers.wordpress.records import RecordBook
from akhbar.importers.wordpress.taxonomy import Taxonomy
from akhbar.newsroom import public as services
from akhbar.newsroom.models import Article, Category

#: Runs one record's work in its own transaction and reports a failure instead of raising:
#: ``guard(kind, what, func, *args)`` (the importer's).
Guard = Callable[..., Any]


class LinkPass:
    """Second pass over the rows the first pass marked ``needs_linking``."""

    def __init__(self, book: RecordBook, taxonomy: Taxonomy, media: Media) -> None:
        self.book = book
        self.report = book.report
        self.taxonomy = taxonomy
        self.media = media

    def run(self, guard: Guard) -> None:
        """Resolve what pointed forward in the file, from the rows written in the first pass.

        Each row is re-read by id just before it is linked, and linked under ``guard``: a
        failure skips that one link (reported), never the rest.
        """
        pending = ImportedItem.objects.filter(source=self.book.source, needs_linking=True)
        steps: tuple[tuple[str, Callable[[ImportedItem], None]], ...] = (
            (CATEGORY, self.category),
            (POST, self.post),
            (COMMENT, self.comment),
        )
        for kind, func in steps:
            for pk in list(pending.filter(kind=kind).values_list("pk", flat=True)):
                row = ImportedItem.objects.filter(pk=pk).first()
                if row is not None:
                    guard(kind, row.key, func, row)

    def _row(self, kind: str, key: str) -> ImportedItem | None:
        return ImportedItem.objects.filter(source=self.book.source, kind=kind, key=key).first()

    @staticmethod
    def _done(row: ImportedItem, *fields: str) -> None:
        row.needs_linking = False
        row.save(update_fields=[*fields, "needs_linking"])

    # --- categories -------------------------------------------------------------------------

    def category(self, row: ImportedItem) -> None:
        """Set the category's parent (unless that makes a cycle) and its nested old URL."""
        parent_key = row.data.get("parent", "")
        parent_pk = self.taxonomy.category_pk(parent_key)
        category = self.book.target(row, Category)
        if category is None:
            return
        if parent_pk is None:
            self.report.warn(f"category {row.key}: parent {parent_key!r} is not in the export")
        elif (
            parent_pk != category.pk
            and category.parent_id != parent_pk
            and not self._is_descendant(parent_pk, category.pk)
        ):
            category.parent_id = parent_pk
            category.save(update_fields=["parent"])
        legacy.register([f"{self.book.base_path}/category/{self._chain(row)}"], category)
        self._done(row)

    def _chain(self, row: ImportedItem) -> str:
        """WordPress links nested categories with their whole chain: ``a/b/c``."""
        chain = [row.key]
        seen = {row.key}
        parent = row.data.get("parent", "")
        while parent and parent not in seen:
            chain.insert(0, parent)
            seen.add(parent)
            up = self._row(CATEGORY, parent)
            parent = up.data.get("parent", "") if up else ""
        return "/".join(chain)

    @staticmethod
    def _is_descendant(candidate_pk: int, ancestor_pk: int) -> bool:
        """Would making ``candidate`` the parent create a cycle?"""
        seen: set[int] = set()
        pk: int | None = candidate_pk
        while pk is not None and pk not in seen:
            if pk == ancestor_pk:
                return True
            seen.add(pk)
            pk = Category.objects.filter(pk=pk).values_list("parent_id", flat=True).first()
        return False

    # --- posts ------------------------------------------------------------------------------

    def post(self, row: ImportedItem) -> None:
        """The post's featured image: its caption and alt text, and its file if fetched."""
        article = self.book.target(row, Article)
        thumb = row.data.get("thumbnail")
        if article is None or not thumb:
            return
        media = self._row(ATTACHMENT, str(thumb))
        if media is None:
            self.report.warn(f"post {row.key}: featured image {thumb} is not in the export")
        else:
            info = media.data
            article.image_caption = clip(info.get("caption") or "", 300)
            article.image_alt = clip(info.get("alt") or info.get("title") or "", 300)
            fields = ["image_caption", "image_alt"]
            local = info.get("local")
            if local and article.featured_image.name != local:
                self.media.attach_image(article, local)
            Article.objects.filter(pk=article.pk).update(**{f: getattr(article, f) for f in fields})
            # A bulk column update: tell subscribers through the write path's helper.
            services.emit_updated([article.pk], frozenset({"image_caption", "image_alt"}))
            row.data = {**row.data, "featured_image_url": info.get("url", "")}
        self._done(row, "data")

    # --- comments ---------------------------------------------------------------------------

    def comment(self, row: ImportedItem) -> None:
        """Thread a reply whose parent was not among its post's comments in this item.

        The parent counts only if it is a comment of the same article (imported by an
        earlier run, or with another item of the same post); otherwise the reply
        stays at the top level, with a warning.
        """
        parent_id = row.data.get("parent")
        comment = self.book.target(row, Comment)
        parent = self.book.target(self._row(COMMENT, str(parent_id)), Comment)
        if comment is not None:
            if parent is None or parent.article_id != comment.article_id:
                self.report.warn(
                    f"comment {row.key}: parent {parent_id} not found; kept unthreaded"
                )
            else:
                Comment.objects.filter(pk=comment.pk).update(parent=parent, depth=parent.depth + 1)
        self._done(row)

"""Import a WordPress export (WXR) into Akhbar: authors, taxonomy, posts, pages, comments and
attachments (as metadata; their files on request).

The file is streamed through :func:`akhbar.importers.wxr.read_wxr`, so memory stays bounded
by the largest single item (times the batch size), whatever the file size. Posts are written
in batches of a few hundred, each batch in one ``transaction.atomic()`` block with bulk
statements (a few per table, not a dozen ORM round trips per post). If a batch fails it is
rolled back and redone one post at a time through ``Article.save()``, each post in its own
transaction, like every other record: a bad item is reported and skipped, never half-written,
and a file that breaks half-way keeps everything before the fault (each item whole).

What an item points at may come later in the file (a category's parent, a comment's parent,
a post's featured image). Such links are written down on the item's :class:`ImportedItem`
row (``needs_linking``) and resolved in a second pass over those rows after the stream.

Re-running the same export updates what it imported the first time instead of duplicating
it: items are keyed by the WordPress site, the record kind and the WordPress id (or login /
nicename / slug), with the GUID of a post, page or attachment as a fallback key against the
rows of earlier runs.

The work is split by job, each in its own module: the record book (``records``), people and
taxonomy (``taxonomy``), the post writer (``posts``, through the newsroom's write path),
comments (``comments``), attachments (``media``) and the link pass (``links``).
:class:`WordPressImporter` reads the stream, decides what is batched, and hands each record
to its job.
"""

from __future__ import annotations

import contextlib
import logging
import os
from collections.abc import Callable
from pathlib import Path
from typing import IO, Any

from django.conf import settings
from django.db import transaction
from django.utils import timezone

from akhbar.importers import bulk
from akhbar.importers.wordpress.comments import COMMENT_STATUS, PING_TYPES, CommentWriter
from akhbar.importers.wordpress.common import (
    ATTACHMENT,
    AUTHOR,
    CATEGORY,
    PAGE,
    POST,
    RECORD_ERRORS,
    RECORD_FIELDS,
    TAG,
    Kind,
    Unbatchable,
    log,
)
from akhbar.importers.wordpress.links import LinkPass
from akhbar.importers.wordpress.media import MAX_MEDIA_BYTES, MEDIA_TIMEOUT, Media
from akhbar.importers.wordpress.posts import POST_STATUS, PostWriter
from akhbar.importers.wordpress.records import RecordBook
from akhbar.importers.wordpress.report import CountingReader, ImportReport
from akhbar.importers.wordpress.taxonomy import (
    UNCATEGORISED_NAME,
    UNCATEGORISED_SLUG,
    Taxonomy,
)
from akhbar.importers.wxr import (
    WxrAuthor,
    WxrCategory,
    WxrError,
    WxrItem,
    WxrRecord,
    WxrSite,
    WxrTag,
    WxrTerm,
    read_wxr,
)

__all__ = [
    "BATCH_SIZE", "COMMENT_STATUS", "MAX_MEDIA_BYTES", "MEDIA_TIMEOUT", "PING_TYPES",
    "POST_STATUS", "RECORD_FIELDS", "UNCATEGORISED_NAME", "UNCATEGORISED_SLUG",
    "CountingReader", "ImportReport", "Kind", "WordPressImporter", "import_wordpress",
]  # fmt: skip

# Posts written per transaction by the batch path. Big enough that the fixed cost of a
# statement is spread thin, small enough that redoing a failed batch one by one is quick.
BATCH_SIZE = 250


class WordPressImporter:
    """One import run. ``import_file`` is the whole job; the jobs it hands records to are
    built here, sharing one record book (and so one report and one site)."""

    def __init__(
        self,
        *,
        fetch_media: bool = False,
        progress: Callable[[int], None] | None = None,
        http_client: Any = None,
        time_zone: str | None = None,
        pause_indexing: bool = False,
        batch_size: int = BATCH_SIZE,
        author_map: dict[str, str] | None = None,
    ) -> None:
        self.progress = progress
        self.report = ImportReport()
        self.started = timezone.now()
        self.pause_indexing = pause_indexing
        self.book = RecordBook(
            self.report, started=self.started, time_zone=time_zone or settings.TIME_ZONE
        )
        self.taxonomy = Taxonomy(self.book, author_map=author_map)
        self.media = Media(self.book, fetch=fetch_media, http_client=http_client)
        self.comments = CommentWriter(self.book, self.taxonomy)
        self.posts = PostWriter(self.book, self.taxonomy, self.comments)
        self.links = LinkPass(self.book, self.taxonomy, self.media)
        # Posts waiting to be written as one batch (``batch_size`` <= 1: one by one).
        self.batch_size = batch_size
        self._pending: list[WxrItem] = []
        self._pending_ids: set[int | None] = set()
        self._pending_comment_ids: set[int] = set()

    # --- entry point ----------------------------------------------------------------------

    def import_file(self, path_or_file: str | os.PathLike[str] | IO[bytes]) -> ImportReport:
        """Stream the file, import each record, then resolve deferred links."""
        if isinstance(path_or_file, str | os.PathLike):
            try:
                raw: IO[bytes] = open(path_or_file, "rb")  # noqa: SIM115 - closed below
            except OSError as exc:
                self.report.fatal = f"Cannot read {os.fspath(path_or_file)}: {exc.strerror}"
                return self.report
            close = True
        else:
            raw, close = path_or_file, False
        try:
            with contextlib.ExitStack() as stack:
                paused = stack.enter_context(bulk.paused_indexing()) if self.pause_indexing else []
                self._stream(CountingReader(raw, self.progress))
            if paused and (self.report.created or self.report.updated):
                self.report.notes.extend(bulk.catch_up(paused))
        finally:
            if close:
                raw.close()
        return self.report

    def _stream(self, reader: CountingReader) -> None:
        try:
            for record in read_wxr(reader, forbid_dtd=True):
                self._dispatch(record)
        except WxrError as exc:
            self.report.fatal = exc.message
            self.report.fatal_line = exc.line
        # Every post read whole before the end (or the fault) is written.
        self._flush_posts()
        if self.report.items_seen or self.report.created or self.report.updated:
            self.link_pass()

    def _dispatch(self, record: WxrRecord) -> None:
        if self._batched(record):
            return
        # Anything else (site, people, taxonomy, pages) may change what the pending posts
        # would find, so they are written first, keeping the file's order of effects.
        self._flush_posts()
        if isinstance(record, WxrSite):
            self.book.site(record)
        elif isinstance(record, WxrAuthor):
            self._guard(AUTHOR, record.login, self.taxonomy.import_author, record)
        elif isinstance(record, WxrCategory):
            self._guard(CATEGORY, record.nicename, self.taxonomy.import_category, record)
        elif isinstance(record, WxrTag):
            self._guard(TAG, record.slug, self.taxonomy.import_tag, record)
        elif isinstance(record, WxrTerm):
            self.report.skip("term", f"taxonomy {record.taxonomy or '?'} is not imported")
        elif isinstance(record, WxrItem):
            self.report.items_seen += 1
            self._item(record)

    def _batched(self, record: WxrRecord) -> bool:
        """Handle ``record`` without ending the pending batch, if it can be; else False."""
        if not isinstance(record, WxrItem) or record.post_id is None or self.batch_size <= 1:
            return False
        if record.post_type == "post":
            self.report.items_seen += 1
            self._queue_post(record)
            return True
        if record.post_type == "attachment":
            # Attachment rows touch nothing a post writes: no need to end the batch.
            self.report.items_seen += 1
            self._item(record)
            return True
        return False

    def _guard(self, kind: str, what: Any, func: Callable[..., Any], *args: Any) -> Any:
        """Run one record's import in its own transaction; report instead of raising."""
        try:
            with transaction.atomic():
                return func(*args)
        except RECORD_ERRORS as exc:
            log.warning("Skipping %s %s: %s", kind, what, exc)
            self.report.error(kind, str(what), exc)
            self.taxonomy.forget()
            return None

    def _item(self, item: WxrItem) -> None:
        post_type = item.post_type or "?"
        if item.post_id is None:
            self.report.skip(post_type, "no valid wp:post_id")
            return
        if post_type == "post":
            self._guard(POST, item.post_id, self.posts.import_post, item)
        elif post_type == "page":
            self._guard(PAGE, item.post_id, self.posts.import_page, item)
        elif post_type == "attachment":
            self._guard(ATTACHMENT, item.post_id, self.media.import_attachment, item)
        else:
            self.report.skip(post_type, "post type not imported")

    # --- posts in batches -------------------------------------------------------------------

    def _queue_post(self, wp: WxrItem) -> None:
        """Hold a post for the next batch; a repeated post or comment id ends the batch first.

        Within one batch every post is looked up before any is written, so a post (or a
        comment) that appears twice must land in different batches to be updated, not doubled.
        """
        comment_ids = {c.id for c in wp.comments if c.id is not None}
        if wp.post_id in self._pending_ids or not comment_ids.isdisjoint(self._pending_comment_ids):
            self._flush_posts()
        self._pending.append(wp)
        self._pending_ids.add(wp.post_id)
        self._pending_comment_ids |= comment_ids
        if len(self._pending) >= self.batch_size:
            self._flush_posts()

    def _flush_posts(self) -> None:
        """Write the pending posts in one transaction; if that fails, one by one.

        The one-by-one redo goes through :meth:`PostWriter.import_post` (each post in its own
        transaction), so a bad post is reported and skipped while the rest of its batch is
        imported: the batch is only a faster way to reach the same end state.
        """
        batch = self._pending
        if not batch:
            return
        self._pending, self._pending_ids, self._pending_comment_ids = [], set(), set()
        saved = self.report.snapshot()
        try:
            with transaction.atomic():
                self.posts.import_batch(batch)
        except (Unbatchable, *RECORD_ERRORS) as exc:
            self.report.restore(saved)
            self.taxonomy.forget()
            level = logging.INFO if isinstance(exc, Unbatchable) else logging.WARNING
            log.log(level, "Batch of %d posts redone one by one: %s", len(batch), exc)
            for wp in batch:
                self._guard(POST, wp.post_id, self.posts.import_post, wp)

    # --- second pass ----------------------------------------------------------------------

    def link_pass(self) -> None:
        """Resolve what pointed forward in the file (see :mod:`.links`)."""
        self.links.run(self._guard)


def import_wordpress(
    path: str | Path | IO[bytes], *, fetch_media: bool = False, **kwargs: Any
) -> ImportReport:
    """Import a WXR file; see :class:`WordPressImporter`."""
    return WordPressImporter(fetch_media=fetch_media, **kwargs).import_file(path)

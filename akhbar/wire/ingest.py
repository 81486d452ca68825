"""Agency stories into articles through the newsroom's write path, one transaction per delivery.

What a desk expects from wire ingest: items become drafts (or go live directly, per source)
with the agency credit, byline, dateline and subjects mapped by the admin's rules; embargoed
items are scheduled for the embargo time (``Article.objects.published()`` never shows them
earlier); a newer version updates the article with a visible "تحديث" note; a kill/withdraw
unpublishes it with a notice; the same story from another agency is flagged as a near-duplicate.
Every item gets a line in the source's log; a failing item rolls back alone.

A delivery (a pushed or polled document, or a scan of a watched folder, up to ``BATCH_FILES``
files) is imported in one transaction with a savepoint per item: a bad item is rolled back,
logged and reported alone, the others stay. The delivery's events reach subscribers as one
batch (``events.batched``: one page-cache generation bump, one indexing job), and the
folder's files are moved to ``done/`` or ``failed/`` only once it has committed (a crash
in between re-reads them next time, and their versions are then skipped as duplicates).
"""

from __future__ import annotations

import contextlib
import logging
import os
import shutil
from collections.abc import Iterator
from dataclasses import dataclass, field
from datetime import datetime, timedelta
from pathlib import Path
from typing import Any

from django.core.exceptions import ValidationError
from django.db import DatabaseError, transaction
from django.utils import timezone
from django.utils.html import escape

from akhbar.core import events
from akhbar.core.conf import akhbar_settings
from akhbar.core.sql import insert_rows
from akhbar.newsroom import public as newsroom
from akhbar.newsroom.models import Article, ArticleNote, Author, Tag
from akhbar.newsroom.public import html_to_text
from akhbar.wire import parsers
from akhbar.wire.models import SubjectRule, WireItem, WireLog, WireSource
from akhbar.wire.parsers import ItemError, Story, WireError

log = logging.getLogger(__name__)
Status = Article.Status


@dataclass
class FileResult:
    created: int = 0
    updated: int = 0
    killed: int = 0
    skipped: int = 0
    errors: list[str] = field(default_factory=list)
    fatal: str = ""
    #: Articles written, whose related-articles lists are refreshed afterwards in a job.
    article_ids: list[int] = field(default_factory=list)
    #: Photo files beside the document that it used (the watcher moves them along with it).
    used_files: list[Path] = field(default_factory=list)

    @property
    def ok(self) -> bool:
        return not self.fatal and not (
            self.errors and not (self.created or self.updated or self.killed or self.skipped)
        )


class ItemRejected(Exception):
    pass


def _log(
    source: WireSource,
    level: str,
    message: str,
    *,
    filename: str = "",
    guid: str = "",
    article: Article | None = None,
) -> None:
    _log_row(source, level, message, filename=filename, guid=guid, article=article).save()


def _log_row(
    source: WireSource,
    level: str,
    message: str,
    *,
    filename: str = "",
    guid: str = "",
    article: Article | None = None,
    article_id: int | None = None,
) -> WireLog:
    row = WireLog(
        source=source,
        level=level,
        message=message[:2000],
        filename=filename[:300],
        guid=guid[:500],
        article=article,
        at=timezone.now(),
    )
    if article is None:
        row.article_id = article_id
    return row


# --- One delivery ---------------------------------------------------------------------------


class _Delivery:
    """What the items of one delivery (one transaction) share, so that each costs only its
    own writes: the subject rules, the authors and wire items already looked up, the log
    lines (written together when the delivery ends). An item whose savepoint rolls back
    forgets what it had put in the lookups, so nothing refers to rows that are gone."""

    def __init__(self, source: WireSource, rules: list[SubjectRule]) -> None:
        from akhbar.related.public import FingerprintBatch

        self.source = source
        self.rules = rules
        self.logs: list[WireLog] = []
        #: Near-duplicate fingerprints of the delivery's articles, stored together.
        self.fingerprints = FingerprintBatch()
        self._items: dict[str, WireItem | None] = {}
        self._authors: dict[str, Author] = {}
        self._new_authors: list[str] = []

    def log(self, level: str, message: str, **kwargs: Any) -> None:
        self.logs.append(_log_row(self.source, level, message, **kwargs))

    def flush(self) -> None:
        """Write what the items left for the end: fingerprints, then the log lines."""
        self.fingerprints.flush()
        # Write-only rows, one executemany (``at`` was set by _log_row: no auto_now_add here).
        insert_rows(
            WireLog,
            self.logs,
            ["source", "at", "filename", "guid", "level", "message", "article"],
        )
        self.logs = []

    def load_items(self, guids: list[str]) -> None:
        """Look up the source's items for ``guids`` not looked up yet: one query for the
        whole delivery (the rows are locked until it ends where the database can)."""
        wanted = [g for g in dict.fromkeys(guids) if g not in self._items]
        for start in range(0, len(wanted), 500):
            part = wanted[start : start + 500]
            found = {
                item.guid: item
                for item in WireItem.objects.select_for_update().filter(
                    source=self.source, guid__in=part
                )
            }
            for guid in part:
                self._items[guid] = found.get(guid)

    def item(self, guid: str) -> WireItem | None:
        if guid not in self._items:
            self.load_items([guid])
        return self._items[guid]

    def author(self, byline: str) -> Author | None:
        name = " ".join(byline.split())[:120]
        if not name:
            return None
        if name not in self._authors:
            found = Author.objects.filter(display_name=name).first()
            if found is None:
                found = Author.objects.create(display_name=name)
                self._new_authors.append(name)
            self._authors[name] = found
        return self._authors[name]

    @contextlib.contextmanager
    def savepoint(self, guid: str) -> Iterator[None]:
        """One item: its own savepoint; on failure, forget what it looked up, created or
        logged (the caller logs the failure instead)."""
        self._new_authors = []
        mark = self.fingerprints.mark()
        logged = len(self.logs)
        try:
            with transaction.atomic():
                yield
        except BaseException:
            del self.logs[logged:]
            self._items.pop(guid, None)
            for name in self._new_authors:
                self._authors.pop(name, None)
            self.fingerprints.rollback(mark)
            raise

    def stored(self, item: WireItem) -> None:
        self._items[item.guid] = item


# --- Mapping ---------------------------------------------------------------------------------


def _rules(source: WireSource) -> list[SubjectRule]:
    from django.db.models import Q

    return list(
        SubjectRule.objects.filter(Q(source=source) | Q(source__isnull=True)).select_related(
            "category", "tag"
        )
    )


def map_subjects(
    source: WireSource, story: Story, rules: list[SubjectRule]
) -> tuple[Any, list[Tag]]:
    category = None
    tags: list[Tag] = []
    for rule in rules:
        if any(rule.matches(code, name) for code, name in story.subjects):
            if rule.category_id and category is None:
                category = rule.category
            if rule.tag_id and rule.tag is not None and rule.tag not in tags:
                tags.append(rule.tag)
    return category or source.default_category, tags


def _body(story: Story) -> str:
    body = story.body_html
    if story.dateline:
        body = f"<p><strong>{escape(story.dateline)}</strong></p>{body}"
    return body


MEDIA_SUFFIXES = (".jpg", ".jpeg", ".png", ".webp", ".gif")


def _photo(article: Article, story: Story, base_dir: Path | None, used: list[Path]) -> str:
    """Take the first photo with its caption and rights; returns a log remark."""
    from django.core.files.base import ContentFile

    from akhbar.newsroom import public as images

    if not story.photos:
        return ""
    photo = story.photos[0]
    data = None
    href = photo.url
    try:
        if "://" not in href and base_dir is not None:
            path = (base_dir / href).resolve()
            if base_dir.resolve() not in path.parents or not path.is_file():
                return f"photo {href!r} not found beside the file"
            data = path.read_bytes()[: images.max_bytes() + 1]
            used.append(path)
        elif href.startswith(("http://", "https://")) and akhbar_settings.wire_fetch_photos:
            from akhbar.core import http as outgoing

            response = outgoing.fetch(href, timeout=15, max_bytes=images.max_bytes())
            if response.status_code != 200:
                return f"photo {href}: HTTP {response.status_code}"
            data = response.content
        else:
            return f"photo {href!r} not fetched"
        upload = ContentFile(data, name=os.path.basename(href.split("?")[0]) or "photo.jpg")
        cleaned = images.clean_upload(upload, upload.name)
    except (ValidationError, OSError, Exception) as exc:  # a photo never fails the story
        return f"photo {href!r} refused: {exc}"
    article.featured_image.save(cleaned.name, cleaned, save=False)
    article.image_caption = (photo.caption or "")[:300]
    article.image_alt = (photo.caption or story.headline)[:300]
    credit = " — ".join(x for x in (photo.credit, photo.rights) if x)
    article.image_credit = credit[:200]
    return "photo ingested"


# --- One story -----------------------------------------------------------------------------


def _check_embargo(story: Story, now: datetime) -> datetime | None:
    if story.embargo is None:
        return None
    if story.embargo > now + timedelta(days=akhbar_settings.wire_max_embargo_days):
        raise ItemRejected(f"embargo {story.embargo.isoformat()} is too far in the future")
    return story.embargo if story.embargo > now else None


def _already_imported(
    delivery: _Delivery, story: Story, item: WireItem | None, filename: str
) -> bool:
    """Whether this version (or a later one) was imported before: logged as a skipped duplicate,
    since agencies resend items and a resend must not overwrite the newsroom's later edits."""
    if item is None or story.version > item.version:
        return False
    delivery.log(
        WireLog.Level.SKIPPED,
        f"duplicate: version {story.version} already imported (have {item.version})",
        filename=filename,
        guid=story.guid,
        article_id=item.article_id,
    )
    return True


def _write_story(delivery: _Delivery, article: Article, story: Story, category: Any) -> None:
    """Copy the story's text, section, credit, link and byline onto the article (not saved).

    The agency's own credit is kept unless the story names another (a partner's item resent).
    """
    source = delivery.source
    article.title = story.headline
    article.body = _body(story)
    if story.description:
        article.excerpt = html_to_text(story.description)[:1000]
    article.category = category
    article.source_name = (
        (story.credit or source.credit)[:200]
        if story.credit and story.credit != source.credit
        else source.credit[:200]
    )
    if story.source_url:
        article.source_url = story.source_url
    article.author = delivery.author(story.byline) or article.author


def _schedule(
    article: Article,
    source: WireSource,
    *,
    created: bool,
    embargo: datetime | None,
    now: datetime,
) -> None:
    """A new article's status (published or draft, per source) and time (the embargo's end);
    an update only moves a not-yet-live article to a new embargo, never unpublishes one."""
    if created:
        if source.auto_publish:
            article.status = Status.PUBLISHED
            article.published_at = embargo or now
        else:
            article.status = Status.DRAFT
            article.published_at = embargo  # publishing later schedules it for the embargo
    elif embargo and not article.is_live:
        article.published_at = embargo


def _note_update(article: Article, story: Story, source: WireSource, now: datetime) -> None:
    """Tell the newsroom, on the article, that the agency sent a newer version (and why)."""
    note = f"نسخة أحدث من {source.credit} (الإصدار {story.version})"
    if story.ednote:
        note += f": {story.ednote}"
    newsroom.add_article_note(article, ArticleNote.Kind.UPDATE, note, at=now)


def _ok_message(
    story: Story, item: WireItem, *, created: bool, embargo: datetime | None, remark: str
) -> str:
    """The log line for a written story: what was done, its embargo, duplicate and photo."""
    message = ("created" if created else "updated") + f" v{story.version}: {story.headline[:120]}"
    if embargo:
        message += f" (embargoed until {embargo.isoformat()}, scheduled)"
    elif story.embargo:
        message += " (embargo already passed)"
    if item.duplicate_of_id:
        message += (
            f"; near-duplicate of article {item.duplicate_of_id} ({item.duplicate_score:.2f})"
        )
    if remark:
        message += f"; {remark}"
    return message


def import_story(
    delivery: _Delivery,
    story: Story,
    *,
    filename: str = "",
    base_dir: Path | None = None,
    now: datetime | None = None,
    near_duplicates: bool = True,
    used_files: list[Path] | None = None,
) -> tuple[str, int | None]:
    """Import one story inside the delivery's transaction (the caller gives it a savepoint);
    returns (created|updated|killed|skipped, the article written or None)."""
    source = delivery.source
    now = now or timezone.now()
    item = delivery.item(story.guid)
    if story.killed:
        outcome = _kill(delivery, story, item, filename)
        return outcome, (item.article_id if outcome == "killed" and item is not None else None)
    embargo = _check_embargo(story, now)
    if _already_imported(delivery, story, item, filename):
        return "skipped", None
    category, tags = map_subjects(source, story, delivery.rules)
    article = item.article if item is not None and item.article_id else None
    created = article is None
    if article is None:
        article = Article(created_at=now)
    old_status = None if created else article.status
    _write_story(delivery, article, story, category)
    _schedule(article, source, created=created, embargo=embargo, now=now)
    remark = _photo(article, story, base_dir, used_files if used_files is not None else [])
    tag_ids = [t.pk for t in tags]
    newsroom.save_article(article, None, old_status, check=False, tags=tag_ids or None)
    if not created:
        _note_update(article, story, source, now)
    if item is None:
        item = WireItem(source=source, guid=story.guid)
    item.version, item.article, item.pubstatus, item.embargo = (
        story.version,
        article,
        story.pubstatus,
        story.embargo,
    )
    if near_duplicates:
        if not created and not tag_ids:
            # An update without mapped tags keeps the article's tags (the save left them).
            tag_ids = list(article.tags.values_list("pk", flat=True))
        _flag_duplicates(delivery, item, article, tag_ids)
    item.save()
    delivery.stored(item)
    message = _ok_message(story, item, created=created, embargo=embargo, remark=remark)
    delivery.log(WireLog.Level.OK, message, filename=filename, guid=story.guid, article=article)
    return ("created" if created else "updated"), article.pk


def _flag_duplicates(
    delivery: _Delivery, item: WireItem, article: Article, tag_ids: list[int]
) -> None:
    """Fingerprint the article now and flag the most similar article from another source.

    Ingest runs with the related app's per-save work suspended (its related-list ranking is
    the slow part, done afterwards in a job); the near-duplicate check, which the next item
    and the admin's warning need, runs here, against the stored articles and the delivery's
    earlier ones (the fingerprints are stored together when the delivery ends).
    """
    try:
        # Reads only (the writes wait for the delivery's end), so no savepoint of its own: a
        # database error fails the item (its savepoint rolls back), anything else is logged.
        matches = delivery.fingerprints.add(article, tag_ids)
    except DatabaseError:
        raise
    except Exception as exc:  # a broken fingerprint must not stop ingest
        log.warning("near-duplicate check failed: %s", exc)
        return
    if not matches:
        return
    same_source = set(
        WireItem.objects.filter(
            source=delivery.source, article_id__in=[m.pk for m, _ in matches]
        ).values_list("article_id", flat=True)
    )
    for match, score in matches:
        if match.pk != article.pk and match.pk not in same_source:
            item.duplicate_of, item.duplicate_score = match, score
            return


def _kill(delivery: _Delivery, story: Story, item: WireItem | None, filename: str) -> str:
    source = delivery.source
    if item is None or item.article is None:
        delivery.log(
            WireLog.Level.SKIPPED,
            f"{story.pubstatus} notice for an item never imported",
            filename=filename,
            guid=story.guid,
        )
        return "skipped"
    article = item.article
    if item.pubstatus in ("withdrawn", "canceled"):
        delivery.log(
            WireLog.Level.SKIPPED,
            "already withdrawn",
            filename=filename,
            guid=story.guid,
            article=article,
        )
        return "skipped"
    old = article.status
    article.status = Status.ARCHIVED if old == Status.PUBLISHED else old
    newsroom.save_article(article, None, old, check=False)
    notice = f"سحبت {source.credit} هذا الخبر"
    if story.ednote:
        notice += f": {story.ednote}"
    newsroom.add_article_note(article, ArticleNote.Kind.WITHDRAWAL, notice)
    item.pubstatus = story.pubstatus
    item.version = max(item.version, story.version)
    item.save()
    delivery.stored(item)
    delivery.log(
        WireLog.Level.OK,
        f"{story.pubstatus}: unpublished article {article.pk}",
        filename=filename,
        guid=story.guid,
        article=article,
    )
    return "killed"


# --- Files ----------------------------------------------------------------------------------


def _batches(paths: list[Path]) -> Iterator[list[Path]]:
    """The waiting files in deliveries of at most ``BATCH_FILES`` files and ``BATCH_BYTES``
    bytes (a delivery's documents are parsed before its transaction, so held in memory)."""
    most = max(1, akhbar_settings.wire_batch_files)
    budget = akhbar_settings.wire_batch_bytes
    batch: list[Path] = []
    total = 0
    for path in paths:
        try:
            size = path.stat().st_size
        except OSError:
            size = 0
        if batch and (len(batch) >= most or total + size > budget):
            yield batch
            batch, total = [], 0
        batch.append(path)
        total += size
    if batch:
        yield batch


@dataclass(frozen=True)
class _Document:
    """One document of a delivery: its name for the log, its bytes (or the file to read
    them from, refused unread if too large) and the folder its photos may sit in."""

    name: str
    data: bytes | None = None
    path: Path | None = None
    base_dir: Path | None = None


def ingest_bytes(
    source: WireSource,
    data: bytes,
    *,
    filename: str = "",
    base_dir: Path | None = None,
    rules: list[SubjectRule] | None = None,
) -> FileResult:
    """Parse and import one delivery (file, push body or polled document)."""
    return _import_delivery(
        source, [_Document(filename, data=data, base_dir=base_dir)], rules=rules
    )[0]


def _import_delivery(
    source: WireSource, documents: list[_Document], *, rules: list[SubjectRule] | None = None
) -> list[FileResult]:
    """Import ``documents`` in one transaction (a savepoint per item), one result each.

    Should the transaction itself fail (the database refused the commit, a lock timed out),
    nothing of it stays and each document is imported again in a transaction of its own, so
    one document's trouble is reported against that document alone.
    """
    from akhbar.related import public as related

    rules = _rules(source) if rules is None else rules
    # The related app's per-save job (ranking related lists, the slow part) is held back and
    # requested once for the whole delivery; near-duplicates are found per item in
    # _flag_duplicates (the next item and the admin need them at once), and their
    # fingerprints stored together when the delivery ends.
    with related.suspended() as held:
        try:
            results = _import_in_one_transaction(source, documents, rules)
        except DatabaseError as exc:
            if len(documents) == 1:
                results = [_failed_delivery(source, documents[0], exc)]
            else:
                log.warning(
                    "wire delivery of %d documents failed (%s); importing them one by one",
                    len(documents),
                    exc,
                )
                results = []
                for document in documents:
                    try:
                        results.extend(_import_in_one_transaction(source, [document], rules))
                    except DatabaseError as one:
                        results.append(_failed_delivery(source, document, one))
    written = {pk for result in results for pk in result.article_ids}
    related.articles_changed(held.ids | written)
    return results


def _import_in_one_transaction(
    source: WireSource, documents: list[_Document], rules: list[SubjectRule]
) -> list[FileResult]:
    delivery = _Delivery(source, rules)
    # Parsed before the transaction opens (no write lock held meanwhile); the wire items of
    # every guid in the delivery are then looked up together.
    parsed = [_parse_document(delivery, document) for document in documents]
    with events.batched(), transaction.atomic():
        delivery.load_items(
            [
                e.guid
                for _, doc in parsed
                if doc is not None
                for e in doc.items
                if isinstance(e, Story)
            ]
        )
        for document, (result, doc) in zip(documents, parsed, strict=True):
            if doc is not None:
                _import_all(delivery, doc, result, document.name, document.base_dir)
        delivery.flush()
    return [result for result, _ in parsed]


def _failed_delivery(source: WireSource, document: _Document, exc: Exception) -> FileResult:
    result = FileResult(fatal=f"not imported: {exc}")
    try:
        with transaction.atomic():  # a savepoint, should the caller hold a transaction
            _log(source, WireLog.Level.ERROR, result.fatal, filename=document.name)
    except DatabaseError:  # the database is unwell: the result and the server log say it
        log.exception("wire: could not log the failure of %s", document.name)
    return result


def _parse_document(
    delivery: _Delivery, document: _Document
) -> tuple[FileResult, parsers.Parsed | None]:
    """Read and parse one document; a refused one gets its log line and no parse."""
    result = FileResult()
    limit = akhbar_settings.wire_max_bytes
    try:
        if document.data is not None:
            data = document.data
        else:
            assert document.path is not None
            size = document.path.stat().st_size
            if size > limit:
                raise WireError(
                    f"file is {size / 1048576:.1f} MB, larger than the {limit // 1048576} MB limit"
                )
            data = document.path.read_bytes()
        if len(data) > limit:
            raise WireError(
                f"file is {len(data) / 1048576:.1f} MB, larger than the {limit // 1048576} MB limit"
            )
        return result, parsers.parse(data, delivery.source.format)
    except WireError as exc:
        result.fatal = str(exc)
        delivery.log(WireLog.Level.ERROR, f"file refused: {exc}", filename=document.name)
        return result, None


def _import_all(
    delivery: _Delivery,
    parsed: Any,
    result: FileResult,
    filename: str,
    base_dir: Path | None,
) -> None:
    seen: set[str] = set()
    for entry in parsed.items:
        if isinstance(entry, ItemError):
            result.errors.append(f"{entry.guid or '(no guid)'}: {entry.reason}")
            delivery.log(WireLog.Level.ERROR, entry.reason, filename=filename, guid=entry.guid)
            continue
        if entry.guid in seen:
            result.errors.append(f"{entry.guid}: duplicate guid in the same file")
            delivery.log(
                WireLog.Level.ERROR,
                "duplicate guid in the same file",
                filename=filename,
                guid=entry.guid,
            )
            continue
        seen.add(entry.guid)
        try:
            with delivery.savepoint(entry.guid):
                outcome, article_id = import_story(
                    delivery,
                    entry,
                    filename=filename,
                    base_dir=base_dir,
                    used_files=result.used_files,
                )
        except ItemRejected as exc:
            result.errors.append(f"{entry.guid}: {exc}")
            delivery.log(WireLog.Level.ERROR, str(exc), filename=filename, guid=entry.guid)
            continue
        except (DatabaseError, ValidationError, ValueError) as exc:
            result.errors.append(f"{entry.guid}: {exc}")
            delivery.log(
                WireLog.Level.ERROR,
                f"not imported: {exc}",
                filename=filename,
                guid=entry.guid,
            )
            continue
        if article_id is not None:
            result.article_ids.append(article_id)
        if outcome == "created":
            result.created += 1
        elif outcome == "updated":
            result.updated += 1
        elif outcome == "killed":
            result.killed += 1
        else:
            result.skipped += 1


def source_dir(source: WireSource) -> Path:
    root = Path(akhbar_settings.wire_root).resolve()
    name = (source.folder or f"source-{source.pk}").strip("/").replace("..", "")
    path = (root / name).resolve()
    if root not in path.parents and path != root:
        raise WireError(f"folder {source.folder!r} is outside the wire root")
    return path


def watch_folder(source: WireSource) -> list[tuple[str, FileResult]]:
    """Import every file waiting in the source's folder, then move it to done/ or failed/
    (with ``<name>.reason.txt`` beside it). Files still being written (ending ``.part`` or
    ``.tmp``, or starting with a dot) are left for the next run. Photos wait beside the
    documents that reference them and move to done/ with the first one that uses them; a photo
    no document claimed within a day goes to failed/.

    The files are imported ``BATCH_FILES`` (200) at a time, each batch one delivery: one
    transaction, a savepoint per item, one batch of events; they are moved once it committed.
    """
    folder = source_dir(source)
    for sub in ("", "done", "failed"):
        (folder / sub).mkdir(parents=True, exist_ok=True)
    results = []
    rules = _rules(source)  # once per run, not per file
    waiting = [
        path
        for path in sorted(p for p in folder.iterdir() if p.is_file())
        if not (
            path.name.startswith(".")
            or path.suffix in (".part", ".tmp")
            or path.name.endswith(".reason.txt")
            or path.suffix.lower() in MEDIA_SUFFIXES
        )
    ]
    for paths in _batches(waiting):
        documents = [_Document(path.name, path=path, base_dir=folder) for path in paths]
        done = _import_delivery(source, documents, rules=rules)
        for path, res in zip(paths, done, strict=True):
            _move_done(folder, path, res)
            results.append((path.name, res))
    _expire_orphan_photos(source, folder)
    source.last_checked_at = timezone.now()
    source.last_error = next((r.fatal for _, r in results if r.fatal), "")
    source.save(update_fields=["last_checked_at", "last_error"])
    return results


def _move_done(folder: Path, path: Path, res: FileResult) -> None:
    """Move an imported file (and the photos it used) to done/, or to failed/ with reasons."""
    target = folder / ("done" if res.ok else "failed")
    dest = target / path.name
    if dest.exists():
        dest = target / f"{timezone.now():%Y%m%d%H%M%S}-{path.name}"
    shutil.move(str(path), dest)
    reasons = ([res.fatal] if res.fatal else []) + res.errors
    if reasons:
        (target / f"{dest.name}.reason.txt").write_text("\n".join(reasons) + "\n", encoding="utf-8")
    for photo in res.used_files:
        if photo.exists():
            shutil.move(str(photo), folder / "done" / photo.name)


def _expire_orphan_photos(source: WireSource, folder: Path) -> None:
    cutoff = timezone.now().timestamp() - 86400
    for path in folder.iterdir():
        if (
            path.is_file()
            and path.suffix.lower() in MEDIA_SUFFIXES
            and path.stat().st_mtime < cutoff
        ):
            shutil.move(str(path), folder / "failed" / path.name)
            reason = "photo not referenced by any item within a day\n"
            (folder / "failed" / f"{path.name}.reason.txt").write_text(reason, encoding="utf-8")
            _log(source, WireLog.Level.ERROR, reason.strip(), filename=path.name)


def poll(source: WireSource) -> FileResult:
    """Fetch a polled source (conditional GET) through the outgoing-request guard."""
    import httpx

    from akhbar.core import http as outgoing

    headers = {"If-None-Match": source.etag} if source.etag else {}
    source.last_checked_at = timezone.now()
    try:
        response = outgoing.fetch(
            source.url, headers=headers, timeout=15, max_bytes=akhbar_settings.wire_max_bytes
        )
    except httpx.HTTPError as exc:
        source.last_error = f"could not fetch {source.url}: {exc}"
        source.save(update_fields=["last_checked_at", "last_error"])
        _log(source, WireLog.Level.ERROR, source.last_error)
        return FileResult(fatal=source.last_error)
    if response.status_code == 304:
        source.save(update_fields=["last_checked_at"])
        return FileResult()
    if response.status_code != 200:
        source.last_error = f"HTTP {response.status_code} from {source.url}"
        source.save(update_fields=["last_checked_at", "last_error"])
        _log(source, WireLog.Level.ERROR, source.last_error)
        return FileResult(fatal=source.last_error)
    result = ingest_bytes(source, response.content, filename=source.url[-300:])
    source.etag = (response.headers.get("etag") or "")[:300]
    source.last_error = result.fatal
    source.save(update_fields=["last_checked_at", "last_error", "etag"])
    return result


def run_sources() -> dict[str, Any]:
    """One pass over every active folder and polled source (cron / ``manage.py wire_ingest``)."""
    out: dict[str, Any] = {}
    for source in WireSource.objects.filter(is_active=True).exclude(kind=WireSource.Kind.PUSH):
        try:
            out[source.name] = (
                watch_folder(source) if source.kind == WireSource.Kind.FOLDER else poll(source)
            )
        except (WireError, OSError) as exc:
            WireSource.objects.filter(pk=source.pk).update(
                last_error=str(exc), last_checked_at=timezone.now()
            )
            _log(source, WireLog.Level.ERROR, str(exc))
            out[source.name] = exc
    return out

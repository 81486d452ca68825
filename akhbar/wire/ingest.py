"""Agency stories into articles, one transaction per item, through the newsroom's write path.

What a desk expects from wire ingest: items become drafts (or go live directly, per source)
with the agency credit, byline, dateline and subjects mapped by the admin's rules; embargoed
items are scheduled for the embargo time (``Article.objects.published()`` never shows them
earlier); a newer version updates the article with a visible "تحديث" note; a kill/withdraw
unpublishes it with a notice; the same story from another agency is flagged as a near-duplicate.
Every item gets a line in the source's log; a failing item rolls back alone.
"""

from __future__ import annotations

import logging
import os
import shutil
from dataclasses import dataclass, field
from datetime import datetime, timedelta
from pathlib import Path
from typing import Any

from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import DatabaseError, transaction
from django.utils import timezone
from django.utils.html import escape

from akhbar.newsroom import services as newsroom
from akhbar.newsroom.html import html_to_text
from akhbar.newsroom.models import Article, ArticleNote, Author, Tag
from akhbar.wire import parsers
from akhbar.wire.models import SubjectRule, WireItem, WireLog, WireSource
from akhbar.wire.parsers import ItemError, Story, WireError

log = logging.getLogger(__name__)
Status = Article.Status


def _conf(name: str, default: Any) -> Any:
    return getattr(settings, "AKHBAR_WIRE", {}).get(name, default)


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
    article=None,
) -> None:
    WireLog.objects.create(
        source=source,
        level=level,
        message=message[:2000],
        filename=filename[:300],
        guid=guid[:500],
        article=article,
    )


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
            if rule.tag_id and rule.tag not in tags:
                tags.append(rule.tag)
    return category or source.default_category, tags


def _body(story: Story) -> str:
    body = story.body_html
    if story.dateline:
        body = f"<p><strong>{escape(story.dateline)}</strong></p>{body}"
    return body


def _author(byline: str) -> Author | None:
    name = " ".join(byline.split())[:120]
    if not name:
        return None
    found = Author.objects.filter(display_name=name).first()
    return found or Author.objects.create(display_name=name)


MEDIA_SUFFIXES = (".jpg", ".jpeg", ".png", ".webp", ".gif")


def _photo(article: Article, story: Story, base_dir: Path | None, used: list[Path]) -> str:
    """Take the first photo with its caption and rights; returns a log remark."""
    from django.core.files.base import ContentFile

    from akhbar.newsroom import images

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
        elif href.startswith(("http://", "https://")) and _conf("FETCH_PHOTOS", True):
            from akhbar.api import outgoing

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
    if story.embargo > now + timedelta(days=int(_conf("MAX_EMBARGO_DAYS", 30))):
        raise ItemRejected(f"embargo {story.embargo.isoformat()} is too far in the future")
    return story.embargo if story.embargo > now else None


def import_story(
    source: WireSource,
    story: Story,
    *,
    filename: str = "",
    base_dir: Path | None = None,
    rules: list[SubjectRule] | None = None,
    now: datetime | None = None,
    near_duplicates: bool = True,
    used_files: list[Path] | None = None,
    written: list[int] | None = None,
) -> str:
    """Import one story in its own transaction; returns created|updated|killed|skipped."""
    now = now or timezone.now()
    rules = _rules(source) if rules is None else rules
    with transaction.atomic():
        item = WireItem.objects.select_for_update().filter(source=source, guid=story.guid).first()
        if story.killed:
            outcome = _kill(source, story, item, filename)
            if outcome == "killed" and written is not None and item is not None:
                written.append(item.article_id)
            return outcome
        embargo = _check_embargo(story, now)
        if item is not None and story.version <= item.version:
            _log(
                source,
                WireLog.Level.SKIPPED,
                f"duplicate: version {story.version} already imported (have {item.version})",
                filename=filename,
                guid=story.guid,
                article=item.article,
            )
            return "skipped"
        category, tags = map_subjects(source, story, rules)
        article = item.article if item is not None and item.article_id else None
        created = article is None
        if article is None:
            article = Article(created_at=now)
        old_status = None if created else article.status
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
        article.author = _author(story.byline) or article.author
        if created:
            if source.auto_publish:
                article.status = Status.PUBLISHED
                article.published_at = embargo or now
            else:
                article.status = Status.DRAFT
                article.published_at = embargo  # publishing later schedules it for the embargo
        elif embargo and not article.is_live:
            article.published_at = embargo
        remark = _photo(article, story, base_dir, used_files if used_files is not None else [])
        newsroom.save_article(article, None, old_status, check=False, tags=tags or None)
        if written is not None:
            written.append(article.pk)
        if not created:
            note = f"نسخة أحدث من {source.credit} (الإصدار {story.version})"
            if story.ednote:
                note += f": {story.ednote}"
            newsroom.add_article_note(article, ArticleNote.Kind.UPDATE, note, at=now)
        if item is None:
            item = WireItem(source=source, guid=story.guid)
        item.version, item.article, item.pubstatus, item.embargo = (
            story.version,
            article,
            story.pubstatus,
            story.embargo,
        )
        if near_duplicates:
            _flag_duplicates(source, item, article)
        item.save()
        message = (
            "created" if created else "updated"
        ) + f" v{story.version}: {story.headline[:120]}"
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
        _log(source, WireLog.Level.OK, message, filename=filename, guid=story.guid, article=article)
    return "created" if created else "updated"


def _flag_duplicates(source: WireSource, item: WireItem, article: Article) -> None:
    """Fingerprint the article now and flag the most similar article from another source.

    Ingest runs with the related app's per-save work suspended (its related-list ranking is
    the slow part, done afterwards in a job); the fingerprint and the near-duplicate record,
    which the next item and the admin's warning need at once, are stored here.
    """
    from akhbar.related import services as related

    try:
        related.store_fingerprint(article)
        matches = related.record_near_duplicates(article)
    except Exception as exc:  # a broken index must not stop ingest
        log.warning("near-duplicate check failed: %s", exc)
        return
    if not matches:
        return
    same_source = set(
        WireItem.objects.filter(
            source=source, article_id__in=[m.pk for m, _ in matches]
        ).values_list("article_id", flat=True)
    )
    for match, score in matches:
        if match.pk != article.pk and match.pk not in same_source:
            item.duplicate_of, item.duplicate_score = match, score
            return


def _kill(source: WireSource, story: Story, item: WireItem | None, filename: str) -> str:
    if item is None or item.article is None:
        _log(
            source,
            WireLog.Level.SKIPPED,
            f"{story.pubstatus} notice for an item never imported",
            filename=filename,
            guid=story.guid,
        )
        return "skipped"
    article = item.article
    if item.pubstatus in ("withdrawn", "canceled"):
        _log(
            source,
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
    _log(
        source,
        WireLog.Level.OK,
        f"{story.pubstatus}: unpublished article {article.pk}",
        filename=filename,
        guid=story.guid,
        article=article,
    )
    return "killed"


# --- Files ----------------------------------------------------------------------------------


def ingest_bytes(
    source: WireSource,
    data: bytes,
    *,
    filename: str = "",
    base_dir: Path | None = None,
    rules: list[SubjectRule] | None = None,
) -> FileResult:
    """Parse and import one delivery (file, push body or polled document)."""
    result = FileResult()
    limit = int(_conf("MAX_BYTES", 20 * 1024 * 1024))
    try:
        if len(data) > limit:
            raise WireError(
                f"file is {len(data) / 1048576:.1f} MB, larger than the {limit // 1048576} MB limit"
            )
        parsed = parsers.parse(data, source.format)
    except WireError as exc:
        result.fatal = str(exc)
        _log(source, WireLog.Level.ERROR, f"file refused: {exc}", filename=filename)
        return result
    from akhbar.related import services as related

    # The related app's per-save job (ranking related lists, the slow part) is held back and
    # requested once for the whole delivery; fingerprints and near-duplicate flags are stored
    # per item in _flag_duplicates, because the next item and the admin need them at once.
    with related.suspended() as held:
        _import_all(source, parsed, result, filename, base_dir, rules)
    related.articles_changed(held.ids | set(result.article_ids))
    return result


def _import_all(
    source: WireSource,
    parsed: Any,
    result: FileResult,
    filename: str,
    base_dir: Path | None,
    rules: list[SubjectRule] | None,
) -> None:
    rules = _rules(source) if rules is None else rules
    seen: set[str] = set()
    for entry in parsed.items:
        if isinstance(entry, ItemError):
            result.errors.append(f"{entry.guid or '(no guid)'}: {entry.reason}")
            _log(source, WireLog.Level.ERROR, entry.reason, filename=filename, guid=entry.guid)
            continue
        if entry.guid in seen:
            result.errors.append(f"{entry.guid}: duplicate guid in the same file")
            _log(
                source,
                WireLog.Level.ERROR,
                "duplicate guid in the same file",
                filename=filename,
                guid=entry.guid,
            )
            continue
        seen.add(entry.guid)
        try:
            outcome = import_story(
                source,
                entry,
                filename=filename,
                base_dir=base_dir,
                rules=rules,
                used_files=result.used_files,
                written=result.article_ids,
            )
        except ItemRejected as exc:
            result.errors.append(f"{entry.guid}: {exc}")
            _log(source, WireLog.Level.ERROR, str(exc), filename=filename, guid=entry.guid)
            continue
        except (DatabaseError, ValidationError, ValueError) as exc:
            result.errors.append(f"{entry.guid}: {exc}")
            _log(
                source,
                WireLog.Level.ERROR,
                f"not imported: {exc}",
                filename=filename,
                guid=entry.guid,
            )
            continue
        if outcome == "created":
            result.created += 1
        elif outcome == "updated":
            result.updated += 1
        elif outcome == "killed":
            result.killed += 1
        else:
            result.skipped += 1


def source_dir(source: WireSource) -> Path:
    root = Path(_conf("ROOT", "var/wire")).resolve()
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
    no document claimed within a day goes to failed/."""
    folder = source_dir(source)
    for sub in ("", "done", "failed"):
        (folder / sub).mkdir(parents=True, exist_ok=True)
    results = []
    rules = _rules(source)  # once per run, not per file
    for path in sorted(p for p in folder.iterdir() if p.is_file()):
        if (
            path.name.startswith(".")
            or path.suffix in (".part", ".tmp")
            or path.name.endswith(".reason.txt")
            or path.suffix.lower() in MEDIA_SUFFIXES
        ):
            continue
        limit = int(_conf("MAX_BYTES", 20 * 1024 * 1024))
        if path.stat().st_size > limit:
            size = path.stat().st_size / 1048576
            res = FileResult(
                fatal=f"file is {size:.1f} MB, larger than the {limit // 1048576} MB limit"
            )
            _log(source, WireLog.Level.ERROR, f"file refused: {res.fatal}", filename=path.name)
        else:
            res = ingest_bytes(
                source, path.read_bytes(), filename=path.name, base_dir=folder, rules=rules
            )
        target = folder / ("done" if res.ok else "failed")
        dest = target / path.name
        if dest.exists():
            dest = target / f"{timezone.now():%Y%m%d%H%M%S}-{path.name}"
        shutil.move(str(path), dest)
        reasons = ([res.fatal] if res.fatal else []) + res.errors
        if reasons:
            (target / f"{dest.name}.reason.txt").write_text(
                "\n".join(reasons) + "\n", encoding="utf-8"
            )
        for photo in res.used_files:
            if photo.exists():
                shutil.move(str(photo), folder / "done" / photo.name)
        results.append((path.name, res))
    _expire_orphan_photos(source, folder)
    source.last_checked_at = timezone.now()
    source.last_error = next((r.fatal for _, r in results if r.fatal), "")
    source.save(update_fields=["last_checked_at", "last_error"])
    return results


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

    from akhbar.api import outgoing

    headers = {"If-None-Match": source.etag} if source.etag else {}
    source.last_checked_at = timezone.now()
    try:
        response = outgoing.fetch(
            source.url, headers=headers, timeout=15, max_bytes=int(_conf("MAX_BYTES", 20 << 20))
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

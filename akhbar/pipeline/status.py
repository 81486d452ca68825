"""``akhbar status``: the whole site's health on one screen, for an operator or a probe.

Each check answers one question an operator asks first when something looks wrong — is the
database there and migrated, does the cache keep what it is given, is a worker taking jobs
(the queue check is :func:`akhbar.pipeline.health.check`, the same one ``pipeline_health`` and
``/health/pipeline`` run), do the search and related indexes cover the published articles,
when were partner feeds last fetched, how many comments wait for a moderator, how much disk
media takes. A check that raises is reported as failed with its error in one line, so one
broken part (the database down) never hides the others or ends in a traceback.

States: ``ok``; ``warn`` (worth a look, the site works: an index behind, a failing feed,
failed jobs); ``fail`` (the site or its background work is broken). The command exits 1 when
any check failed.
"""

from __future__ import annotations

import os
import shutil
import uuid
from collections.abc import Callable
from dataclasses import asdict, dataclass, field
from datetime import datetime, timedelta
from pathlib import Path
from typing import Any

from django.utils import timezone

from akhbar.core.conf import akhbar_settings

OK, WARN, FAIL = "ok", "warn", "fail"

#: Free space on the media disk below this share is a warning.
LOW_DISK_SHARE = 0.05


@dataclass(frozen=True)
class Check:
    """One part of the site: its state, one English line for people, figures for machines."""

    name: str
    state: str
    summary: str
    details: dict[str, Any] = field(default_factory=dict)


@dataclass(frozen=True)
class SiteStatus:
    checks: tuple[Check, ...]

    @property
    def ok(self) -> bool:
        return all(c.state != FAIL for c in self.checks)

    def as_dict(self) -> dict[str, Any]:
        return {"ok": self.ok, "checks": [asdict(c) for c in self.checks]}


def _iso(value: datetime | None) -> str | None:
    return value.isoformat() if value else None


def _ago(value: datetime | None, now: datetime) -> str:
    if value is None:
        return "never"
    seconds = max(0, int((now - value).total_seconds()))
    if seconds < 120:
        return f"{seconds} s ago"
    if seconds < 7200:
        return f"{seconds // 60} min ago"
    if seconds < 172800:
        return f"{seconds // 3600} h ago"
    return f"{seconds // 86400} days ago"


def _size(n: int) -> str:
    value = float(n)
    for unit in ("B", "KB", "MB", "GB"):
        if value < 1024 or unit == "GB":
            return f"{value:.0f} {unit}" if unit == "B" else f"{value:.1f} {unit}"
        value /= 1024
    return f"{value:.1f} TB"  # pragma: no cover - the loop returns first


# --- The checks -----------------------------------------------------------------------------


def check_database() -> Check:
    """Reachable, which engine, and no migration left unapplied (a deploy half done)."""
    from django.db import DEFAULT_DB_ALIAS, connections
    from django.db.migrations.executor import MigrationExecutor

    connection = connections[DEFAULT_DB_ALIAS]
    connection.ensure_connection()
    name = str(connection.settings_dict.get("NAME") or "")
    if connection.vendor == "sqlite":
        where = Path(name).name if name and name != ":memory:" else name
    else:
        host = connection.settings_dict.get("HOST") or "local socket"
        where = f"{name} on {host}"
    executor = MigrationExecutor(connection)
    unapplied = len(executor.migration_plan(executor.loader.graph.leaf_nodes()))
    details = {"engine": connection.vendor, "name": where, "unapplied_migrations": unapplied}
    summary = f"{connection.vendor} ({where}), reachable"
    if unapplied:
        return Check(
            "database",
            FAIL,
            f"{summary}; {unapplied} migrations not applied: akhbar migrate",
            details,
        )
    return Check("database", OK, summary, details)


def check_cache() -> Check:
    """The page cache depends on it: a value written must be read back."""
    from django.core.cache import caches

    cache = caches["default"]
    backend = type(cache).__name__
    key = f"akhbar:status:{uuid.uuid4().hex}"
    cache.set(key, "1", 30)
    kept = cache.get(key) == "1"
    cache.delete(key)
    details = {"backend": backend, "page_cache": akhbar_settings.page_cache}
    if not kept:
        return Check("cache", FAIL, f"{backend}: a value written was not read back", details)
    return Check("cache", OK, f"{backend}, writes and reads", details)


def check_jobs(now: datetime) -> Check:
    """The queue's own health check, plus when a worker was last heard of."""
    from django.db.models import Max

    from akhbar.pipeline import health
    from akhbar.pipeline.models import WorkerHeartbeat

    report = health.check()
    last_beat = WorkerHeartbeat.objects.aggregate(seen=Max("seen_at"))["seen"]
    details = {**report.as_dict(), "last_heartbeat": _iso(last_beat)}
    if report.backend == "immediate":
        return Check("jobs", OK, "immediate backend: jobs run when enqueued", details)
    summary = (
        f"{report.backend} queue: {report.queued} waiting, {report.running} running, "
        f"{report.failed} failed; {report.workers_alive} live workers, "
        f"last heartbeat {_ago(last_beat, now)}"
    )
    if not report.ok:
        return Check("jobs", FAIL, f"{summary}; {'; '.join(report.problems)}", details)
    if report.failed:
        return Check("jobs", WARN, f"{summary} (see the admin's job list)", details)
    return Check("jobs", OK, summary, details)


def _searchable() -> Any:
    """What the search index holds: published articles, scheduled ones included (indexed
    ahead, see akhbar.search.indexing)."""
    from akhbar.newsroom.models import Article

    return Article.objects.filter(status=Article.Status.PUBLISHED, published_at__isnull=False)


def check_search() -> Check:
    from akhbar.newsroom.models import Article
    from akhbar.search.models import SearchEntry

    expected = _searchable().count()
    indexed = SearchEntry.objects.filter(article__in=_searchable()).count()
    stale = SearchEntry.objects.exclude(article__in=_searchable()).count()
    live = Article.objects.published().count()
    missing = expected - indexed
    details = {
        "published": live,
        "scheduled": expected - live,
        "indexed": indexed,
        "missing": missing,
        "stale": stale,
    }
    summary = f"{indexed} of {expected} published articles indexed"
    if missing or stale:
        return Check(
            "search",
            WARN,
            f"{summary}, {stale} entries of unpublished articles (the worker catches up every "
            "10 min; now: akhbar reindex --missing)",
            details,
        )
    return Check("search", OK, summary, details)


def check_related() -> Check:
    from akhbar.newsroom.models import Article
    from akhbar.related.models import RelatedArticle

    published = Article.objects.filter(status=Article.Status.PUBLISHED)
    total = published.count()
    fingerprinted = published.filter(fingerprint__isnull=False).count()
    with_related = (
        RelatedArticle.objects.filter(article__in=published).values("article").distinct().count()
    )
    missing = total - fingerprinted
    details = {
        "published": total,
        "fingerprinted": fingerprinted,
        "with_related": with_related,
        "missing": missing,
    }
    summary = (
        f"{fingerprinted} of {total} published articles fingerprinted, "
        f"{with_related} with related articles"
    )
    if missing:
        return Check(
            "related",
            WARN,
            f"{summary} (the worker catches up every 10 min; now: akhbar related --rebuild)",
            details,
        )
    return Check("related", OK, summary, details)


def check_feeds(now: datetime) -> Check:
    """Partner feeds: when last fetched, and which ones answered with an error."""
    from django.db.models import Max

    from akhbar.importers.models import PartnerFeed
    from akhbar.pipeline.schedule import SCHEDULE

    active = PartnerFeed.objects.filter(is_active=True)
    count = active.count()
    last = active.aggregate(last=Max("last_fetched_at"))["last"]
    failing = sorted(active.exclude(last_error="").values_list("name", flat=True))
    details = {"active": count, "last_fetch": _iso(last), "failing": failing}
    if not count:
        return Check("feeds", OK, "no active partner feeds", details)
    summary = f"{count} active partner feeds, last fetch {_ago(last, now)}"
    interval = next(e.seconds for e in SCHEDULE if e.name == "fetch_feeds")
    if failing:
        return Check("feeds", WARN, f"{summary}; failing: {', '.join(failing)}", details)
    if last is None or now - last > timedelta(seconds=3 * interval):
        return Check(
            "feeds",
            WARN,
            f"{summary}; expected every {interval // 60} min (is a worker up?)",
            details,
        )
    return Check("feeds", OK, summary, details)


def check_comments(now: datetime) -> Check:
    from django.db.models import Min

    from akhbar.comments.models import Comment

    pending = Comment.objects.filter(status=Comment.Status.PENDING)
    count = pending.count()
    oldest = pending.aggregate(oldest=Min("created_at"))["oldest"]
    details = {"pending": count, "oldest_pending": _iso(oldest)}
    if not count:
        return Check("comments", OK, "no comments awaiting moderation", details)
    return Check(
        "comments",
        OK,
        f"{count} comments awaiting moderation, oldest {_ago(oldest, now)}",
        details,
    )


def _tree_size(root: Path) -> tuple[int, int]:
    """Bytes and files under ``root`` (os.scandir: no stat call beyond what it returns)."""
    total = files = 0
    stack = [root]
    while stack:
        try:
            entries = os.scandir(stack.pop())
        except FileNotFoundError:
            continue
        with entries:
            for entry in entries:
                if entry.is_dir(follow_symlinks=False):
                    stack.append(Path(entry.path))
                elif entry.is_file(follow_symlinks=False):
                    total += entry.stat(follow_symlinks=False).st_size
                    files += 1
    return total, files


def check_media() -> Check:
    """Disk taken by uploads and renditions, and what is left on that disk."""
    from django.core.files.storage import storages

    storage = storages["default"]
    location = getattr(storage, "location", None)
    if location is None:
        name = type(storage).__name__
        return Check("media", OK, f"{name}: not on this server's disk", {"storage": name})
    root = Path(location)
    used, files = _tree_size(root)
    probe = root if root.exists() else root.parent
    while not probe.exists():
        probe = probe.parent
    disk = shutil.disk_usage(probe)
    share_free = disk.free / disk.total if disk.total else 1.0
    details = {
        "path": root.name,
        "bytes": used,
        "files": files,
        "disk_free_bytes": disk.free,
        "disk_free_share": round(share_free, 3),
    }
    summary = f"{_size(used)} in {files} files; {_size(disk.free)} free on the disk"
    if share_free < LOW_DISK_SHARE:
        return Check("media", WARN, f"{summary} ({share_free:.0%} free)", details)
    return Check("media", OK, summary, details)


# --- The report -----------------------------------------------------------------------------


def _run(name: str, check: Callable[[], Check]) -> Check:
    try:
        return check()
    except Exception as exc:  # one broken part must not hide the others
        return Check(name, FAIL, f"check failed: {type(exc).__name__}: {exc}".strip(), {})


def site_status(now: datetime | None = None) -> SiteStatus:
    now = now or timezone.now()
    checks: list[tuple[str, Callable[[], Check]]] = [
        ("database", check_database),
        ("cache", check_cache),
        ("jobs", lambda: check_jobs(now)),
        ("search", check_search),
        ("related", check_related),
        ("feeds", lambda: check_feeds(now)),
        ("comments", lambda: check_comments(now)),
        ("media", check_media),
    ]
    return SiteStatus(tuple(_run(name, fn) for name, fn in checks))

"""Quiet the per-save work of other apps during a bulk import, then catch up once.

Saving an article normally refreshes its related-articles list and its search entry right
away; for an editor that is instant, but an import of 50,000 posts would spend hours
recomputing lists that the next post changes again. During an import both are paused and
rebuilt once at the end, in bounded memory, by the apps' own rebuild functions.

The search app has no pause switch of its own, so its two article handlers are
disconnected for the duration (by their ``dispatch_uid``) and reconnected afterwards. This
is process-wide, which is why only the management command uses it (never a web request).
"""

from __future__ import annotations

import contextlib
import logging
import threading
from collections.abc import Iterator, Sequence

from django.db import connections, models, router
from django.db.models.signals import m2m_changed, post_save

from akhbar.newsroom.models import Article

log = logging.getLogger(__name__)

# How many paused_indexing() blocks are open in this thread, so the importer's batch path
# knows whether the per-article signals it skips would have done anything but be discarded.
_state = threading.local()


def indexing_paused() -> bool:
    """Is a :func:`paused_indexing` block open (search and related rebuilt at the end)?"""
    return getattr(_state, "depth", 0) > 0


@contextlib.contextmanager
def _search_paused() -> Iterator[bool]:
    try:
        from akhbar.search import signals as search_signals
    except ImportError:
        yield False
        return
    saved = getattr(search_signals, "_article_saved", None)
    tags = getattr(search_signals, "_tags_changed", None)
    if saved is None or tags is None:
        yield False
        return
    post_save.disconnect(sender=Article, dispatch_uid="search_article_saved")
    m2m_changed.disconnect(sender=Article.tags.through, dispatch_uid="search_tags")
    try:
        yield True
    finally:
        post_save.connect(saved, sender=Article, dispatch_uid="search_article_saved")
        m2m_changed.connect(tags, sender=Article.tags.through, dispatch_uid="search_tags")


@contextlib.contextmanager
def _related_paused() -> Iterator[bool]:
    try:
        from akhbar.related.services import suspended
    except ImportError:
        yield False
        return
    with suspended():
        yield True


@contextlib.contextmanager
def paused_indexing() -> Iterator[list[str]]:
    """Pause search and related indexing; yields the list of what catch_up() must rebuild."""
    with _search_paused() as search, _related_paused() as related:
        _state.depth = getattr(_state, "depth", 0) + 1
        try:
            yield [name for name, on in (("search", search), ("related", related)) if on]
        finally:
            _state.depth -= 1


def content_changed() -> None:
    """Start a new content generation for cached pages, feeds and sitemaps.

    What the site app's ``post_save`` receiver does for every saved article; rows written in
    bulk send no signal, so the importer calls this once per batch instead.
    """
    try:
        from akhbar.site.cache import bump_content_version
    except ImportError:  # pragma: no cover - site app not installed
        return
    bump_content_version()


def catch_up(what: list[str]) -> list[str]:
    """Rebuild what was paused; returns human-readable notes for the summary."""
    notes = []
    if "search" in what:
        from akhbar.search.indexing import reindex_all

        notes.append(f"search index rebuilt ({reindex_all()} published articles)")
    if "related" in what:
        from akhbar.related.services import rebuild

        rebuild()
        notes.append("related articles and near-duplicate fingerprints rebuilt")
    from akhbar.site.maintenance import refresh_planner_statistics

    refresh_planner_statistics()
    notes.append("database planner statistics refreshed (ANALYZE)")
    return notes


# Field types whose Python values the database drivers take as they are.
_PLAIN_TYPES = frozenset(
    {
        "AutoField", "BigAutoField", "BigIntegerField", "BooleanField", "CharField",
        "ForeignKey", "IntegerField", "PositiveBigIntegerField", "PositiveIntegerField",
        "PositiveSmallIntegerField", "SlugField", "SmallIntegerField", "TextField",
    }
)  # fmt: skip


def insert_rows(
    model: type[models.Model],
    objs: Sequence[models.Model],
    fields: Sequence[str],
    *,
    conflict: Sequence[str] = (),
    update: Sequence[str] = (),
) -> int:
    """INSERT ``objs`` with one ``executemany`` (``ON CONFLICT … DO UPDATE`` if asked).

    For the import's write-only rows (revisions, tag links, bookkeeping, old URLs), whose
    ids nobody reads back: ``bulk_create`` compiles a multi-row statement value by value,
    which cost more than the database's own work. No ``pre_save`` runs here, so callers set
    ``auto_now`` / ``auto_now_add`` / default values themselves. The upsert spelling is the
    same in SQLite and PostgreSQL; rows are applied in order, so a key given twice ends with
    the last row's values.
    """
    if not objs:
        return 0
    connection = connections[router.db_for_write(model)]
    qn = connection.ops.quote_name
    opts = model._meta
    columns = [opts.get_field(name) for name in fields]
    # Names come from the model's own metadata; every value is a parameter.
    names = ", ".join(qn(f.column) for f in columns)
    marks = ", ".join(["%s"] * len(columns))
    sql = f"INSERT INTO {qn(opts.db_table)} ({names}) VALUES ({marks})"  # noqa: S608
    if conflict:
        target = ", ".join(qn(opts.get_field(name).column) for name in conflict)
        sets = ", ".join(
            f"{qn(col)} = EXCLUDED.{qn(col)}" for col in (opts.get_field(n).column for n in update)
        )
        sql += f" ON CONFLICT ({target}) DO UPDATE SET {sets}"
    prepare = [(f.attname, None if f.get_internal_type() in _PLAIN_TYPES else f) for f in columns]
    params = [
        [
            getattr(obj, attname)
            if field is None
            else field.get_db_prep_save(getattr(obj, attname), connection)
            for attname, field in prepare
        ]
        for obj in objs
    ]
    with connection.cursor() as cursor:
        cursor.executemany(sql, params)
    return len(params)

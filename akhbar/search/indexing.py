"""Rebuilding the whole index in bounded memory, shared by `manage.py reindex` and the bench.

Measured on the 2-core dev machine (see docs/benchmarks.md), the rebuild is CPU-bound in
``akhbar.arabic.analyze()`` and ``html_to_text()`` (about three quarters of its CPU time).
So the rebuild reads plain values (no model instances), writes each batch with a few
multi-row statements (see ``SearchBackend.write``), and can hand the analysis to worker
processes (``workers``) while the main process keeps reading and writing.
"""

from __future__ import annotations

import contextlib
import logging
import multiprocessing
import threading
from collections import deque
from collections.abc import Callable, Iterable, Iterator
from dataclasses import dataclass, field
from typing import Any

from django.db import DEFAULT_DB_ALIAS

from akhbar.newsroom.models import Article
from akhbar.search.backends import get_backend
from akhbar.search.models import SearchEntry
from akhbar.search.terms import ArticleText, IndexRow, analyze_rows

__all__ = [
    "Suspension",
    "articles_changed",
    "catch_up",
    "iter_article_texts",
    "reindex_all",
    "suspended",
    "sync_articles",
]

log = logging.getLogger(__name__)

# Only what the analysis reads: the rest of a row (images, JSON) is never loaded.
_FIELDS = (
    "id",
    "title",
    "excerpt",
    "body",
    "category__name",
    "status",
    "published_at",
    "category_id",
    "author_id",
)


def iter_article_texts(
    batch_size: int = 500, using: str = DEFAULT_DB_ALIAS
) -> Iterator[list[ArticleText]]:
    """The text of every searchable article, in primary-key batches of plain tuples.

    Keyset pagination (``pk > last``) rather than one long cursor: each batch is a short
    query, so writing between batches never interleaves with an open read, on any engine.
    Tag names come from one query per batch instead of a prefetch into model instances.
    """
    # Filtered here, not in SQL: with a status condition SQLite picks the status index and
    # sorts every published row for each batch; a bare primary-key range reads only the batch.
    articles = Article.objects.using(using).order_by("pk").values_list(*_FIELDS)
    published = Article.Status.PUBLISHED
    through = Article.tags.through.objects.using(using)
    last = 0
    while True:
        rows = list(articles.filter(pk__gt=last)[:batch_size])
        if not rows:
            return
        last = rows[-1][0]
        rows = [r for r in rows if r[5] == published and r[6] is not None]
        if not rows:
            continue
        tags: dict[int, list[str]] = {}
        for article_id, name in (
            through.filter(article_id__in=[r[0] for r in rows])
            .order_by("pk")
            .values_list("article_id", "tag__name")
        ):
            tags.setdefault(article_id, []).append(name)
        yield [
            (pk, t, e, b, c, tags.get(pk, ()), category, author, when)
            for pk, t, e, b, c, _, when, category, author in rows
        ]


def _pool(workers: int) -> Any:
    """A process pool for the analysis, or None to analyse in this process.

    Workers are forked where the platform allows it (they inherit the loaded modules and
    run only Django-free code from ``akhbar.search.terms``; they never touch the database).
    """
    if workers <= 1:
        return None
    methods = multiprocessing.get_all_start_methods()
    context = multiprocessing.get_context("fork" if "fork" in methods else None)
    return context.Pool(workers)


def reindex_all(
    batch_size: int = 500,
    using: str = DEFAULT_DB_ALIAS,
    clear: bool = False,
    on_batch: Callable[[int], None] | None = None,
    workers: int = 1,
) -> int:
    """Index every published article, one transaction per batch; returns how many.

    Entries of articles that are no longer published (changed by bulk updates that send no
    signals) are removed first. ``clear`` empties the index before rebuilding. With
    ``workers`` > 1 the analysis runs in that many processes, a few batches ahead of the
    writes; the result is the same rows, written in the same order.
    """
    backend = get_backend(using)
    entries = SearchEntry.objects.using(using)
    if clear:
        backend.clear()
    else:
        entries.exclude(
            article__status=Article.Status.PUBLISHED, article__published_at__isnull=False
        ).delete()
    total = 0

    def store(rows: list[IndexRow]) -> None:
        nonlocal total
        backend.write(rows)
        total += len(rows)
        if on_batch:
            on_batch(len(rows))

    pool = _pool(workers)
    if pool is None:
        for texts in iter_article_texts(batch_size, using):
            store(analyze_rows(texts))
    else:
        # Reads and writes stay in this thread (Django connections are per thread); only
        # the analysis is shipped out, keeping at most workers + 1 batches in flight.
        pending: deque[Any] = deque()
        try:
            for texts in iter_article_texts(batch_size, using):
                pending.append(pool.apply_async(analyze_rows, (texts,)))
                if len(pending) > workers:
                    store(pending.popleft().get())
            while pending:
                store(pending.popleft().get())
        finally:
            pool.close()
            pool.join()
    backend.optimize()
    return total


# --- Following the newsroom (events) ---------------------------------------------------------


@dataclass
class Suspension:
    """What arrived while indexing was suspended: pass ``ids`` to :func:`catch_up`."""

    ids: set[int] = field(default_factory=set)


_suspension = threading.local()


@contextlib.contextmanager
def suspended() -> Iterator[Suspension]:
    """Collect changed article ids instead of indexing them (bulk imports), this thread.

    Public switch for bulk work, so nobody needs to know how search follows the newsroom.
    Afterwards call ``catch_up(suspension.ids)`` (or ``catch_up()``, which finds what is
    missing by itself; the worker also runs that regularly, so a bulk job interrupted
    before its catch-up still ends with every published article searchable).
    """
    outer = getattr(_suspension, "current", None)
    current = Suspension()
    _suspension.current = current
    try:
        yield current
    finally:
        _suspension.current = outer
        if outer is not None:
            outer.ids |= current.ids


def articles_changed(ids: Iterable[int]) -> None:
    """Index (or drop) these articles in the background, or note them while suspended."""
    ids = sorted(set(ids))
    if not ids:
        return
    current = getattr(_suspension, "current", None)
    if current is not None:
        current.ids.update(ids)
        return
    from akhbar.search.tasks import index_articles

    for start in range(0, len(ids), 500):
        index_articles.enqueue(ids[start : start + 500])


def taxonomy_renamed(kind: str, object_id: int) -> None:
    field_name = "category_id" if kind == "category" else "tags"
    ids = list(
        Article.objects.filter(
            **{field_name: object_id}, status=Article.Status.PUBLISHED
        ).values_list("pk", flat=True)
    )
    articles_changed(ids)


def sync_articles(ids: Iterable[int], using: str = DEFAULT_DB_ALIAS) -> int:
    """Bring these articles' entries up to date now (index, or drop if gone/unpublished)."""
    ids = list(ids)
    backend = get_backend(using)
    found = (
        Article.objects.using(using)
        .filter(pk__in=ids)
        .select_related("category")
        .prefetch_related("tags")
    )
    articles = list(found)
    gone = set(ids) - {a.pk for a in articles}
    if gone:
        SearchEntry.objects.using(using).filter(article_id__in=gone).delete()
    return backend.reindex(articles)


def catch_up(ids: Iterable[int] | None = None, using: str = DEFAULT_DB_ALIAS) -> int:
    """Index ``ids`` in batches; with no ids, find what disagrees with the articles table
    (searchable articles without an entry, entries of articles no longer searchable) and fix
    it. Returns how many articles were (re)indexed."""
    if ids is None:
        entries = SearchEntry.objects.using(using)
        stale = entries.exclude(
            article__status=Article.Status.PUBLISHED, article__published_at__isnull=False
        )
        dropped = stale.delete()[0]
        ids = list(
            Article.objects.using(using)
            .filter(
                status=Article.Status.PUBLISHED,
                published_at__isnull=False,
                search_entry__isnull=True,
            )
            .values_list("pk", flat=True)
        )
        if ids or dropped:
            log.info("search catch-up: %d missing entries, %d stale dropped", len(ids), dropped)
    ids = sorted(set(ids))
    if len(ids) > 5000:  # a bulk import: the bounded-memory rebuild is faster per article
        return reindex_all(using=using)
    total = 0
    for start in range(0, len(ids), 500):
        total += sync_articles(ids[start : start + 500], using)
    return total

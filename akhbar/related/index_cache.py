"""The process's in-memory :class:`~akhbar.related.index.RelatedIndex`, kept current.

Each process that ranks or suggests (a job worker running refresh jobs, the web process
answering the article form's tag suggestions, ``manage.py related``) loads one index on first
use from the stored fingerprints; its threads share it under a lock. Article pages never use
it: they read the stored ``RelatedArticle`` rows.

Every use first re-reads only the fingerprints changed since the previous look (one query
on the indexed ``updated_at``, with :data:`SYNC_MARGIN` of overlap), so an article another
process re-fingerprinted is current here at the next use. A deleted article's fingerprint
goes with it and is never re-read: it stays in this index until the process restarts (or
rebuilds), which is harmless because ranking keeps only candidates the database says are
live.
"""

from __future__ import annotations

import threading
from datetime import datetime, timedelta

from django.utils import timezone

from akhbar.newsroom.models import Article
from akhbar.related.index import RelatedIndex
from akhbar.related.models import ArticleFingerprint

#: Seconds of overlap when catching up on other processes' changes (commit delays, clocks).
SYNC_MARGIN = timedelta(seconds=30)

Published = Article.Status.PUBLISHED


class _State:
    def __init__(self) -> None:
        self.index: RelatedIndex | None = None
        self.synced_at: datetime | None = None
        self.lock = threading.RLock()


_state = _State()


def published_ts(value: datetime | None) -> float:
    """A publication time as the index stores it (0 for none)."""
    return value.timestamp() if value else 0.0


def get_index() -> RelatedIndex:
    """This process's index, loaded on first use and brought up to date on every call."""
    with _state.lock:
        now = timezone.now()
        if _state.index is None:
            _state.index = _load()
        else:
            _catch_up(_state.index, (_state.synced_at or now) - SYNC_MARGIN)
        _state.synced_at = now
        return _state.index


def _load() -> RelatedIndex:
    """Every published article's stored terms, in one streamed query."""
    index = RelatedIndex()
    rows = ArticleFingerprint.objects.filter(article__status=Published).values_list(
        "article_id", "terms", "article__category_id", "article__published_at"
    )
    for article_id, terms, category_id, published_at in rows.iterator(chunk_size=2000):
        index.add(
            article_id,
            terms or {},
            category_id,
            published_ts(published_at),
            compute_norm=False,
        )
    index.finish_bulk()
    return index


def _catch_up(index: RelatedIndex, since: datetime) -> None:
    """Fingerprints changed since ``since``: published ones (re)added, others removed."""
    rows = ArticleFingerprint.objects.filter(updated_at__gt=since).values_list(
        "article_id",
        "terms",
        "article__category_id",
        "article__published_at",
        "article__status",
    )
    for article_id, terms, category_id, published_at, status in rows:
        if status == Published:
            index.add(article_id, terms or {}, category_id, published_ts(published_at))
        else:
            index.remove(article_id)


def install(index: RelatedIndex) -> None:
    """Use a freshly built index (a rebuild in this process) as this process's, current now."""
    with _state.lock:
        _state.index = index
        _state.synced_at = timezone.now()


def reset_index() -> None:
    """Forget the in-memory index: the next use loads it afresh from the stored fingerprints
    (tests, whose database starts empty again)."""
    with _state.lock:
        _state.index = None
        _state.synced_at = None

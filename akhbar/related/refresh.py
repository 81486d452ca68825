"""Following the newsroom: what an article event triggers, held back during bulk imports.

The subscribers (:mod:`akhbar.related.subscribers`) hand changed article ids to
:func:`articles_changed`, which queues refresh jobs; an importer suspends that in its thread
(:func:`suspended`) and calls :func:`catch_up` with the ids collected.
"""

from __future__ import annotations

import contextlib
import logging
import threading
from collections.abc import Iterable, Iterator
from dataclasses import dataclass

from akhbar.newsroom.models import Article
from akhbar.related.duplicates import record_near_duplicates
from akhbar.related.fingerprints import store_fingerprint
from akhbar.related.index_cache import Published
from akhbar.related.ranking import compute_related
from akhbar.related.rebuild import rebuild

logger = logging.getLogger("akhbar.related.services")

#: Above this many ids, a catch-up rebuilds everything (bulk statements) instead.
REBUILD_ABOVE = 2000

_suspended = threading.local()


@dataclass
class Suspension:
    """Article ids that changed while suspended: pass them to :func:`catch_up`."""

    ids: set[int]


@contextlib.contextmanager
def suspended() -> Iterator[Suspension]:
    """Skip the per-save work (bulk imports) in this thread; then ``catch_up(s.ids)``."""
    outer = getattr(_suspended, "current", None)
    current = Suspension(ids=set())
    _suspended.current = current
    try:
        yield current
    finally:
        _suspended.current = outer
        if outer is not None:
            outer.ids |= current.ids


def refresh(article_id: int) -> None:
    """Everything a save triggers: fingerprint, near-duplicate record, related lists.

    Runs in a background job; a failure is logged and never reaches the editor.
    """
    try:
        article = Article.objects.filter(pk=article_id).first()
        if article is None:
            return
        store_fingerprint(article)
        record_near_duplicates(article)
        if article.status == Published:
            compute_related(article, cascade=True)
    except Exception:
        logger.exception("related: refresh of article %s failed", article_id)


def articles_changed(ids: Iterable[int]) -> None:
    """Refresh these articles in the background, or note them while suspended."""
    ids = sorted(set(ids))
    if not ids:
        return
    current = getattr(_suspended, "current", None)
    if current is not None:
        current.ids.update(ids)
        return
    from akhbar.related.tasks import refresh_articles

    for start in range(0, len(ids), 200):
        refresh_articles.enqueue(ids[start : start + 200])


def catch_up(ids: Iterable[int] | None = None) -> int:
    """Refresh ``ids``; with no ids, the published articles that have no fingerprint yet
    (an interrupted import). Many at once go through :func:`rebuild`. Returns how many."""
    if ids is None:
        ids = list(
            Article.objects.filter(status=Published, fingerprint__isnull=True).values_list(
                "pk", flat=True
            )
        )
    ids = sorted(set(ids))
    if len(ids) > REBUILD_ABOVE:
        rebuild()
        return len(ids)
    for article_id in ids:
        refresh(article_id)
    return len(ids)

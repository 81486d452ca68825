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
from collections.abc import Iterator

from django.db.models.signals import m2m_changed, post_save

from akhbar.newsroom.models import Article

log = logging.getLogger(__name__)


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
        yield [name for name, on in (("search", search), ("related", related)) if on]


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
    return notes

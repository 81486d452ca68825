"""Quiet the per-save work of other apps during a bulk import, then catch up once.

Saving an article normally refreshes its related-articles list and its search entry (jobs
started by the pipeline's events); for an editor that is instant, but an import of 50,000
posts would spend hours recomputing lists that the next post changes again. During an import
both are *suspended* through their public switches (``akhbar.search.indexing.suspended`` and
``akhbar.related.services.suspended``), which collect the ids of the articles that changed;
``catch_up`` hands those ids to each app's ``catch_up(ids)`` at the end. The switches are
per thread, and nobody touches another app's receivers.

If the import is interrupted before its catch-up (killed, machine lost), the worker's
``index_catch_up`` job (every 10 minutes, akhbar.pipeline.schedule) finds published articles
missing from the indexes and indexes them, and so does the next import's catch-up.
"""

from __future__ import annotations

import contextlib
import logging
import threading
from collections.abc import Iterator

from akhbar.core.sql import insert_rows

__all__ = ["Paused", "catch_up", "content_changed", "indexing_paused", "insert_rows",
           "paused_indexing"]  # fmt: skip

log = logging.getLogger(__name__)

# How many paused_indexing() blocks are open in this thread.
_state = threading.local()


def indexing_paused() -> bool:
    """Is a :func:`paused_indexing` block open (search and related caught up at the end)?"""
    return getattr(_state, "depth", 0) > 0


class Paused(list[str]):
    """The names of the suspended apps (as before), with the ids each collected."""

    def __init__(self) -> None:
        super().__init__()
        self.search_ids: set[int] = set()
        self.related_ids: set[int] = set()


@contextlib.contextmanager
def paused_indexing() -> Iterator[Paused]:
    """Suspend search and related indexing; yields what :func:`catch_up` must do."""
    from akhbar.related import public as related
    from akhbar.search import public as search

    paused = Paused()
    paused.extend(["search", "related"])
    with search.suspended() as s, related.suspended() as r:
        _state.depth = getattr(_state, "depth", 0) + 1
        try:
            yield paused
        finally:
            _state.depth -= 1
            paused.search_ids |= s.ids
            paused.related_ids |= r.ids


def content_changed() -> None:
    """Start a new content generation for cached pages, feeds and sitemaps (kept for
    callers; article writes now do it through their events)."""
    from akhbar.core.generation import bump_content_version

    bump_content_version()


def catch_up(what: list[str]) -> list[str]:
    """Index what changed while paused; returns human-readable notes for the summary."""
    from akhbar.core.maintenance import refresh_planner_statistics

    notes = []
    search_ids = getattr(what, "search_ids", None)
    related_ids = getattr(what, "related_ids", None)
    if "search" in what:
        from akhbar.search.public import catch_up as search_catch_up

        done = search_catch_up(search_ids)
        missing = search_catch_up()  # and anything an earlier interrupted run left behind
        notes.append(f"search index caught up ({done + missing} published articles)")
    if "related" in what:
        from akhbar.related.public import catch_up as related_catch_up

        related_catch_up(related_ids)
        notes.append("related articles and near-duplicate fingerprints caught up")
    refresh_planner_statistics()
    notes.append("database planner statistics refreshed (ANALYZE)")
    return notes

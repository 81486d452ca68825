"""The publishing pipeline's domain events: one subscription point for everything after a change.

Why not Django's model signals: ``post_save`` fires inside the transaction (a job enqueued from it
can run before the row is visible, or for a change that is then rolled back), fires for every
``save()`` whether or not anything a reader sees changed, and says nothing about *what* happened
(published? edited? unpublished?). Bulk writers then had to disconnect other apps' private
receivers. Here a writer (``akhbar.newsroom.services`` for articles, ``akhbar.comments`` for
comments…) emits one typed event per change, and it reaches subscribers **after the transaction
commits**, once, with a documented payload.

Subscribers are plain callables registered by app name in their ``AppConfig.ready()``::

    from akhbar.core import events

    events.subscribe(events.ArticlePublished, on_published, name="search")

A subscriber must be quick: slow work (renditions, purges, mail, webhooks) is enqueued as a job
(Django's tasks API) from the subscriber. One subscriber that raises is logged and does not stop
the others (``robust``): a failed purge must never undo or block a publication.

Batch writers (the WordPress importer) call :func:`emit_many` once per batch: one on-commit
callback for the whole batch, and subscribers registered with ``batch=True`` receive the
batch's events of their type as one tuple (one content-generation bump, one indexing job per
batch instead of one per article). Plain subscribers still get one call per event.
Writers that save one thing at a time through the single write path but many things in one
delivery (wire ingest: a folder scan, one savepoint per item) wrap the delivery in
:func:`batched`: every event emitted inside it reaches subscribers as one batch, as if by one
``emit_many``, and an item whose savepoint rolled back takes its events with it.

Tests: pytest-django runs each ``db`` test inside a transaction that never commits. The
suite's autouse fixture (tests/conftest.py, ``_deliver_on_commit``) runs on-commit callbacks
when the code under test leaves its outermost transaction, as production does, so events are
delivered without ceremony; ``django_capture_on_commit_callbacks(execute=True)`` still works.
"""

from __future__ import annotations

import contextlib
import logging
import threading
from collections import defaultdict
from collections.abc import Callable, Iterator
from dataclasses import dataclass, field
from datetime import datetime
from typing import Any, TypeVar

from django.db import transaction

log = logging.getLogger(__name__)

__all__ = [
    "ArticleDeleted",
    "ArticlePublished",
    "ArticleSaved",
    "ArticleUnpublished",
    "ArticleUpdated",
    "CommentApproved",
    "CommentRemoved",
    "Event",
    "LiveCoverageChanged",
    "PageChanged",
    "PeopleChanged",
    "SiteSettingsChanged",
    "TaxonomyChanged",
    "TaxonomyRenamed",
    "batched",
    "emit",
    "emit_many",
    "subscribe",
    "subscribers",
    "unsubscribe",
]


@dataclass(frozen=True, kw_only=True)
class Event:
    """Base of every event. ``actor_id`` is the user who caused it (None for the system)."""

    actor_id: int | None = None


@dataclass(frozen=True, kw_only=True)
class _ArticleEvent(Event):
    article_id: int
    #: Ids readers' pages are keyed by (edge purges, section pages, feeds): before and after.
    category_ids: tuple[int, ...] = ()
    tag_ids: tuple[int, ...] = ()
    author_ids: tuple[int, ...] = ()
    #: URL slugs of the article, before and after (edge purges of the article page).
    slugs: tuple[str, ...] = ()


@dataclass(frozen=True, kw_only=True)
class ArticlePublished(_ArticleEvent):
    """Readers can now see the article (published now, or a scheduled time has come)."""


@dataclass(frozen=True, kw_only=True)
class ArticleUpdated(_ArticleEvent):
    """A live article changed in a way readers see. ``fields`` names what changed."""

    fields: frozenset[str] = field(default_factory=frozenset)


@dataclass(frozen=True, kw_only=True)
class ArticleUnpublished(_ArticleEvent):
    """A live article left the site (back to draft, archived, withdrawn by an agency)."""


@dataclass(frozen=True, kw_only=True)
class ArticleDeleted(_ArticleEvent):
    """The article row is gone; only ids remain. ``was_live``: readers could see it."""

    was_live: bool = False


@dataclass(frozen=True, kw_only=True)
class ArticleSaved(_ArticleEvent):
    """An article readers cannot see changed (draft, pending, scheduled, archived).

    Nothing public changes, but editorial tools follow it (near-duplicate fingerprints), and
    ``scheduled_at`` (a future publication time) tells caches when their pages expire.
    """

    fields: frozenset[str] = field(default_factory=frozenset)
    scheduled_at: datetime | None = None


@dataclass(frozen=True, kw_only=True)
class CommentApproved(Event):
    comment_id: int
    article_id: int


@dataclass(frozen=True, kw_only=True)
class CommentRemoved(Event):
    """An approved comment stopped being visible (spam, trash, pending again, deleted)."""

    comment_id: int
    article_id: int


@dataclass(frozen=True, kw_only=True)
class TaxonomyChanged(Event):
    """A section (``kind="category"``) or tag (``kind="tag"``) was created, edited or deleted.

    ``fields`` names what changed (empty for created/deleted, see ``created``/``deleted``).
    """

    kind: str
    object_id: int
    fields: frozenset[str] = field(default_factory=frozenset)
    created: bool = False
    deleted: bool = False
    #: Slugs before and after (the section or tag page's address).
    slugs: tuple[str, ...] = ()


@dataclass(frozen=True, kw_only=True)
class TaxonomyRenamed(TaxonomyChanged):
    """A section or tag changed its name or slug: every article under it shows the new one.

    A subclass of :class:`TaxonomyChanged`, so subscribers of that receive renames too.
    Saving a section without changing its name or slug emits no rename.
    """


@dataclass(frozen=True, kw_only=True)
class PeopleChanged(Event):
    """A public author profile (name, photo, bio, slug) was created, edited or deleted."""

    author_id: int
    slugs: tuple[str, ...] = ()


@dataclass(frozen=True, kw_only=True)
class PageChanged(Event):
    """A static page ("about", "contact"…) was created, edited or deleted."""

    page_id: int
    slugs: tuple[str, ...] = ()


@dataclass(frozen=True, kw_only=True)
class LiveCoverageChanged(Event):
    """A live coverage changed what its readers see: ``change`` is one of ``posted``,
    ``edited``, ``deleted``, ``pinned``, ``summary`` or ``state``; ``entry_id`` is the entry
    concerned (None for summary and state). Only the coverage's own page and update endpoint
    are affected: the rest of the site, its search entry and related articles are not."""

    article_id: int
    coverage_id: int
    entry_id: int | None = None
    change: str = "posted"
    version: int = 0


@dataclass(frozen=True, kw_only=True)
class SiteSettingsChanged(Event):
    """Site-wide settings readers see changed (name, logo, menu…)."""


E = TypeVar("E", bound=Event)
Handler = Callable[[Any], None]

_subscribers: dict[type[Event], dict[str, Handler]] = defaultdict(dict)
_batch: set[tuple[type[Event], str]] = set()


def subscribe(
    event_type: type[E], handler: Callable[[Any], None], *, name: str, batch: bool = False
) -> None:
    """Deliver every ``event_type`` (and subclasses) to ``handler``. ``name`` is unique per
    event type, so calling ``ready()`` twice never delivers twice.

    ``batch=True``: the handler receives a tuple of events (all the events of this type one
    :func:`emit` or :func:`emit_many` call delivered), for work that is cheaper once per batch.
    """
    _subscribers[event_type][name] = handler
    if batch:
        _batch.add((event_type, name))
    else:
        _batch.discard((event_type, name))


def unsubscribe(event_type: type[Event], *, name: str) -> None:
    _subscribers[event_type].pop(name, None)
    _batch.discard((event_type, name))


def subscribers(event_type: type[Event]) -> dict[str, Handler]:
    """Name → handler for an event type, in subscription order (documentation, tests)."""
    found: dict[str, Handler] = {}
    for registered, handlers in _subscribers.items():
        if issubclass(event_type, registered):
            found.update(handlers)
    return found


def _deliver(events: tuple[Event, ...]) -> None:
    """Every subscriber of each event, in subscription order; batch subscribers once."""
    plan: dict[tuple[type[Event], str], tuple[Handler, list[Event]]] = {}
    for event in events:
        for registered, handlers in _subscribers.items():
            if not isinstance(event, registered):
                continue
            for name, handler in handlers.items():
                plan.setdefault((registered, name), (handler, []))[1].append(event)
    for (registered, name), (handler, matched) in plan.items():
        calls: list[Any] = [tuple(matched)] if (registered, name) in _batch else matched
        for arg in calls:
            try:
                handler(arg)
            except Exception:  # one subscriber's failure must not stop the rest
                log.exception("event subscriber %s failed for %r", name, arg)


#: Per thread and database alias: the buffer of the open :func:`batched` block, if any.
_batching = threading.local()


def _buffer(using: str) -> list[Event] | None:
    return getattr(_batching, "buffers", {}).get(using)


def emit(event: Event, *, using: str = "default") -> None:
    """Deliver ``event`` once the current transaction commits (at once outside one).

    A transaction (or savepoint) that rolls back takes its events with it.
    """
    buffer = _buffer(using)
    if buffer is not None:
        transaction.on_commit(lambda: buffer.append(event), using=using)
        return
    transaction.on_commit(lambda: _deliver((event,)), using=using)


def emit_many(events: list[Event] | tuple[Event, ...], *, using: str = "default") -> None:
    """:func:`emit` for a batch written together: one on-commit callback for all of them."""
    batch = tuple(events)
    if not batch:
        return
    buffer = _buffer(using)
    if buffer is not None:
        transaction.on_commit(lambda: buffer.extend(batch), using=using)
        return
    transaction.on_commit(lambda: _deliver(batch), using=using)


@contextlib.contextmanager
def batched(*, using: str = "default") -> Iterator[None]:
    """Deliver the events emitted inside the block as one batch, like one :func:`emit_many`.

    For a delivery written item by item through the single write path in one transaction
    (wire ingest): batch subscribers then run once per delivery (one page-cache generation
    bump, one indexing job), not once per item. Each event is still registered with
    ``transaction.on_commit`` where it is emitted, so a savepoint that rolls back drops its own
    events and keeps the others; the batch is delivered after the events that committed,
    when the transaction the block ended in commits (at once if it already has). Nested
    blocks join the outer one.
    """
    buffers = getattr(_batching, "buffers", None)
    if buffers is None:
        buffers = _batching.buffers = {}
    if using in buffers:
        yield
        return
    buffer: list[Event] = []
    buffers[using] = buffer
    try:
        yield
    finally:
        del buffers[using]

        def deliver() -> None:
            if buffer:
                _deliver(tuple(buffer))

        transaction.on_commit(deliver, using=using)

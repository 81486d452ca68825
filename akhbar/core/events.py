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

Tests: pytest-django runs each ``db`` test inside a transaction that never commits, so wrap the
action in ``django_capture_on_commit_callbacks(execute=True)`` to see its events delivered.
"""

from __future__ import annotations

import logging
from collections import defaultdict
from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Any, TypeVar

from django.db import transaction

log = logging.getLogger(__name__)

__all__ = [
    "ArticleDeleted",
    "ArticlePublished",
    "ArticleUnpublished",
    "ArticleUpdated",
    "CommentApproved",
    "CommentRemoved",
    "Event",
    "SiteSettingsChanged",
    "TaxonomyRenamed",
    "emit",
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
    """The article row is gone; only ids remain."""


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
class TaxonomyRenamed(Event):
    """A section (``kind="category"``) or tag (``kind="tag"``) changed its name or slug."""

    kind: str
    object_id: int


@dataclass(frozen=True, kw_only=True)
class SiteSettingsChanged(Event):
    """Site-wide settings readers see changed (name, logo, menu…)."""


E = TypeVar("E", bound=Event)
Handler = Callable[[Any], None]

_subscribers: dict[type[Event], dict[str, Handler]] = defaultdict(dict)


def subscribe(event_type: type[E], handler: Callable[[E], None], *, name: str) -> None:
    """Deliver every ``event_type`` (and subclasses) to ``handler``. ``name`` is unique per
    event type, so calling ``ready()`` twice never delivers twice."""
    _subscribers[event_type][name] = handler


def unsubscribe(event_type: type[Event], *, name: str) -> None:
    _subscribers[event_type].pop(name, None)


def subscribers(event_type: type[Event]) -> dict[str, Handler]:
    """Name → handler for an event type, in subscription order (documentation, tests)."""
    found: dict[str, Handler] = {}
    for registered, handlers in _subscribers.items():
        if issubclass(event_type, registered):
            found.update(handlers)
    return found


def _deliver(event: Event) -> None:
    for name, handler in subscribers(type(event)).items():
        try:
            handler(event)
        except Exception:  # one subscriber's failure must not stop the rest
            log.exception("event subscriber %s failed for %r", name, event)


def emit(event: Event, *, using: str = "default") -> None:
    """Deliver ``event`` once the current transaction commits (at once outside one)."""
    transaction.on_commit(lambda: _deliver(event), using=using)

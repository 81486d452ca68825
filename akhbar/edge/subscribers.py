"""Domain events → one purge job each (akhbar.core.events delivers them after commit).

The subscriber only enqueues: publishing never waits for Varnish, and a Varnish that is down
costs a retried job, not a failed publication.
"""

from __future__ import annotations

import logging

from akhbar.core import events
from akhbar.edge import keys, services

log = logging.getLogger(__name__)

EVENTS = (
    events.ArticlePublished,
    events.ArticleUpdated,
    events.ArticleUnpublished,
    events.ArticleDeleted,
    events.CommentApproved,
    events.CommentRemoved,
    events.TaxonomyChanged,
    events.PeopleChanged,
    events.PageChanged,
    events.SiteSettingsChanged,
    events.LiveCoverageChanged,
)


def on_event(event: events.Event) -> None:
    if not services.varnish_urls():
        return
    found = keys.for_event(event)
    if not found:
        return
    from akhbar.edge.tasks import purge_keys

    purge_keys.enqueue(sorted(found))


def connect() -> None:
    for event_type in EVENTS:
        events.subscribe(event_type, on_event, name="edge")

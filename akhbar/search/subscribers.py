"""Keep the search index in step with the newsroom: subscribers to the pipeline's events.

Published, updated or scheduled articles are (re)indexed, unpublished and deleted ones
dropped, and a renamed section or tag reindexes its articles (their indexed text names it).
The work is a background job (``akhbar.search.tasks``), one per delivered batch of events.
Bulk work calls :func:`akhbar.search.indexing.suspended` and then ``catch_up(ids)``.
"""

from __future__ import annotations

from akhbar.core import events
from akhbar.search import indexing

_ARTICLE_EVENTS = (
    events.ArticlePublished,
    events.ArticleUpdated,
    events.ArticleUnpublished,
    events.ArticleDeleted,
    events.ArticleSaved,
)


def on_articles(batch: tuple[events.Event, ...]) -> None:
    ids: list[int] = []
    for event in batch:
        if isinstance(event, events.ArticleUpdated) and event.fields <= {"image_renditions"}:
            continue  # nothing indexed changed
        ids.append(event.article_id)  # type: ignore[attr-defined]
    if ids:
        indexing.articles_changed(ids)


def on_renamed(event: events.TaxonomyRenamed) -> None:
    indexing.taxonomy_renamed(event.kind, event.object_id)


def connect() -> None:
    for event_type in _ARTICLE_EVENTS:
        events.subscribe(event_type, on_articles, name="search", batch=True)
    events.subscribe(events.TaxonomyRenamed, on_renamed, name="search")

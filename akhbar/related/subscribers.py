"""Recompute fingerprints, duplicates and related lists when an article's words, tags,
section or visibility change: subscribers to the pipeline's events."""

from __future__ import annotations

from akhbar.core import events
from akhbar.related import services

#: Changes that touch nothing related articles use (renditions, flags, image captions…).
RELEVANT_FIELDS = frozenset(
    {"title", "body", "excerpt", "status", "published_at", "category_id", "tags"}
)


def on_articles(batch: tuple[events.Event, ...]) -> None:
    ids = []
    for event in batch:
        fields = getattr(event, "fields", None)
        if fields is not None and not (fields & RELEVANT_FIELDS):
            continue
        ids.append(event.article_id)  # type: ignore[attr-defined]
    services.articles_changed(ids)


def connect() -> None:
    for event_type in (
        events.ArticlePublished,
        events.ArticleUpdated,
        events.ArticleUnpublished,
        events.ArticleSaved,
    ):
        events.subscribe(event_type, on_articles, name="related", batch=True)

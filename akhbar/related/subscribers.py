"""Recompute fingerprints, duplicates and related lists when an article's words, tags,
section or visibility change, and reload tag names for suggestions when a tag is renamed:
subscribers to the pipeline's events."""

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


def on_taxonomy_renamed(event: events.TaxonomyRenamed) -> None:
    if event.kind == "tag":
        services.tag_renamed()


def connect() -> None:
    events.subscribe(events.TaxonomyRenamed, on_taxonomy_renamed, name="related")
    for event_type in (
        events.ArticlePublished,
        events.ArticleUpdated,
        events.ArticleUnpublished,
        events.ArticleSaved,
    ):
        events.subscribe(event_type, on_articles, name="related", batch=True)

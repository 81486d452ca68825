"""Rebuilding the whole index in bounded memory, shared by `manage.py reindex` and the bench."""

from __future__ import annotations

from collections.abc import Callable, Iterator

from django.db import DEFAULT_DB_ALIAS

from akhbar.newsroom.models import Article
from akhbar.search.backends import get_backend
from akhbar.search.models import SearchEntry

__all__ = ["iter_article_batches", "reindex_all"]

# Only what document_terms() reads: the rest of a row (images, JSON) is never loaded.
_FIELDS = ("id", "title", "excerpt", "body", "status", "published_at", "category__name")


def iter_article_batches(
    batch_size: int = 500, using: str = DEFAULT_DB_ALIAS
) -> Iterator[list[Article]]:
    """Published articles in batches, streamed with a server-side cursor where available.

    ``iterator(chunk_size)`` keeps one chunk in memory (and prefetches tags per chunk), so
    memory stays flat whatever the number of articles.
    """
    queryset = (
        Article.objects.using(using)
        .filter(status=Article.Status.PUBLISHED)
        .select_related("category")
        .prefetch_related("tags")
        .only(*_FIELDS)
        .order_by("pk")
    )
    batch: list[Article] = []
    for article in queryset.iterator(chunk_size=batch_size):
        batch.append(article)
        if len(batch) >= batch_size:
            yield batch
            batch = []
    if batch:
        yield batch


def reindex_all(
    batch_size: int = 500,
    using: str = DEFAULT_DB_ALIAS,
    clear: bool = False,
    on_batch: Callable[[int], None] | None = None,
) -> int:
    """Index every published article, one transaction per batch; returns how many.

    Entries of articles that are no longer published (changed by bulk updates that send no
    signals) are removed first. ``clear`` empties the index before rebuilding.
    """
    backend = get_backend(using)
    entries = SearchEntry.objects.using(using)
    if clear:
        backend.clear()
    else:
        entries.exclude(article__status=Article.Status.PUBLISHED).delete()
    total = 0
    for batch in iter_article_batches(batch_size, using):
        total += backend.reindex(batch)
        if on_batch:
            on_batch(len(batch))
    backend.optimize()
    return total

"""The interface every search engine implements, and the parts they share."""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass, field
from datetime import date, datetime, time, timedelta
from typing import Any

from django.db import connections, transaction
from django.utils import timezone

from akhbar.arabic import analyze
from akhbar.newsroom.html import html_to_text
from akhbar.newsroom.models import Article
from akhbar.search.models import SearchEntry
from akhbar.search.query import ParsedQuery

__all__ = ["SearchBackend", "SearchFilters", "SearchHit", "SearchResults", "document_terms"]


@dataclass(frozen=True)
class SearchFilters:
    """Restrictions applied by joining back to the articles table at query time."""

    category_ids: tuple[int, ...] = ()
    date_from: date | None = None
    date_to: date | None = None


@dataclass(frozen=True)
class SearchHit:
    article_id: int
    score: float


@dataclass
class SearchResults:
    hits: list[SearchHit] = field(default_factory=list)
    total: int = 0
    page: int = 1
    per_page: int = 10


def document_terms(article: Article) -> tuple[str, str]:
    """(title terms, body terms) of ``article``: analysed, space-joined.

    Excerpt, body text, tag names and the category name all go in the body column; only the
    title gets the higher weight. Tags are read through ``article.tags.all()`` so a caller
    that prefetched them pays no query per article.
    """
    title = " ".join(analyze(article.title or ""))
    parts = [article.excerpt or "", html_to_text(article.body or "")]
    parts.extend(t.name for t in article.tags.all())
    if article.category_id and article.category:
        parts.append(article.category.name)
    body = " ".join(analyze(" \n ".join(parts)))
    return title, body


def is_searchable(article: Article) -> bool:
    """Published articles are indexed, scheduled ones too: the live check is at query time."""
    return article.status == Article.Status.PUBLISHED and article.published_at is not None


class SearchBackend:
    """One search engine. Subclasses implement :meth:`search` (and may override the rest).

    Writing is shared: every engine stores the same ``SearchEntry`` rows and lets the
    database derive its own index from them (FTS5 triggers, a generated tsvector column).
    """

    vendor = ""

    def __init__(self, using: str = "default") -> None:
        self.using = using

    @property
    def connection(self) -> Any:
        return connections[self.using]

    # --- writing -------------------------------------------------------------------------

    def index_article(self, article: Article) -> None:
        """Bring the index up to date for one article (indexed, or removed if unpublished)."""
        self.reindex([article])

    def remove_article(self, pk: int) -> None:
        SearchEntry.objects.using(self.using).filter(article_id=pk).delete()

    def reindex(self, articles: Iterable[Article]) -> int:
        """Index a batch of articles in one transaction; returns how many are now indexed.

        Articles that are not (or no longer) published are removed instead, so a caller
        can pass any batch without filtering it first.
        """
        entries: list[SearchEntry] = []
        gone: list[int] = []
        for article in articles:
            if is_searchable(article):
                title, body = document_terms(article)
                entries.append(
                    SearchEntry(article_id=article.pk, title_terms=title, body_terms=body)
                )
            else:
                gone.append(article.pk)
        with transaction.atomic(using=self.using):
            if gone:
                SearchEntry.objects.using(self.using).filter(article_id__in=gone).delete()
            if entries:
                SearchEntry.objects.using(self.using).bulk_create(
                    entries,
                    update_conflicts=True,
                    unique_fields=["article"],
                    update_fields=["title_terms", "body_terms"],
                    batch_size=500,
                )
        return len(entries)

    def clear(self) -> None:
        SearchEntry.objects.using(self.using).all().delete()

    def optimize(self) -> None:
        """Compact the index after a bulk rebuild (no-op where the engine does it itself)."""

    def index_size_bytes(self) -> int | None:
        """Bytes the index takes on disk, when the engine can tell."""
        return None

    # --- reading -------------------------------------------------------------------------

    def search(
        self,
        query: ParsedQuery,
        filters: SearchFilters | None = None,
        page: int = 1,
        per_page: int = 10,
    ) -> SearchResults:
        raise NotImplementedError

    def _live_articles_sql(self, filters: SearchFilters | None) -> tuple[str, list[Any]]:
        """SQL (and params) for the ids and dates of live articles passing ``filters``.

        Built with the ORM from ``Article.objects.published()`` so "what readers may see"
        has one definition; scheduled articles show up when their time comes, no reindex.
        """
        qs = Article.objects.using(self.using).published()
        if filters:
            if filters.category_ids:
                qs = qs.filter(category_id__in=filters.category_ids)
            tz = timezone.get_current_timezone()
            if filters.date_from:
                qs = qs.filter(
                    published_at__gte=timezone.make_aware(
                        datetime.combine(filters.date_from, time.min), tz
                    )
                )
            if filters.date_to:
                end = datetime.combine(filters.date_to + timedelta(days=1), time.min)
                qs = qs.filter(published_at__lt=timezone.make_aware(end, tz))
        sql, params = qs.order_by().values("id", "published_at").query.sql_with_params()
        return sql, list(params)

    def _run(
        self,
        sql: str,
        params: list[Any],
        query_offset: int,
        per_page: int,
        page: int,
        total_sql: str,
    ) -> SearchResults:
        """Run a ranked query returning (id, score, total) rows; recount if the page is empty."""
        with self.connection.cursor() as cursor:
            cursor.execute(sql, [*params, per_page, query_offset])
            rows = cursor.fetchall()
            if rows:
                total = int(rows[0][2])
            elif query_offset:
                cursor.execute(total_sql, params)
                total = int(cursor.fetchone()[0])
            else:
                total = 0
        hits = [SearchHit(int(r[0]), float(r[1])) for r in rows]
        return SearchResults(hits=hits, total=total, page=page, per_page=per_page)

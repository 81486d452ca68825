"""The interface every search engine implements, and the parts they share."""

from __future__ import annotations

import sqlite3
from collections.abc import Iterable
from dataclasses import dataclass, field
from datetime import date, datetime, time, timedelta
from typing import Any

from django.db import connections, transaction
from django.utils import timezone

from akhbar.newsroom.models import Article
from akhbar.search import ranking, terms
from akhbar.search.models import SearchEntry
from akhbar.search.query import ParsedQuery
from akhbar.search.terms import IndexRow
from akhbar.search.vocabulary import resolve_proclitics

__all__ = [
    "COUNT_LIMIT",
    "MATCH_ALL",
    "MATCH_SOME",
    "MAX_MONTH_FACETS",
    "POOL",
    "SearchBackend",
    "SearchFilters",
    "SearchHit",
    "SearchResults",
    "document_terms",
]

#: Results are counted exactly up to this many; beyond it the page says "more than 1000".
#: Counting 60,000 matches exactly costs more than ranking them, and nobody pages that far.
COUNT_LIMIT = 1000
#: How many of the engine's best matches are ranked by :mod:`akhbar.search.ranking` (ten
#: pages). Deeper pages of an all-words search follow the engine's own order; an any-word
#: search shows this many at most (its count then says "more than").
POOL = 100
MATCH_ALL = "all"
MATCH_SOME = "some"

# Insert-or-replace on both engines, many rows per statement ({values} is "(%s, %s, %s), …").
# The WHERE skips rows whose terms did not change, so a routine `reindex` rewrites (and
# re-tokenises) only what actually changed.
_UPSERT = (
    "INSERT INTO search_searchentry (article_id, title_terms, body_terms, facet_terms) "
    "VALUES {values} "
    "ON CONFLICT (article_id) DO UPDATE SET "
    "title_terms = excluded.title_terms, body_terms = excluded.body_terms, "
    "facet_terms = excluded.facet_terms "
    "WHERE search_searchentry.title_terms {differs} excluded.title_terms "
    "OR search_searchentry.body_terms {differs} excluded.body_terms "
    "OR search_searchentry.facet_terms {differs} excluded.facet_terms"
)


#: A date range over more months than this is checked against the articles table only: so
#: wide a range keeps most matches, so the capped count stops early without facet terms.
MAX_MONTH_FACETS = 36


@dataclass(frozen=True)
class SearchFilters:
    """Restrictions on the results: section(s), author(s), publication dates (local days).

    Applied twice: as facet terms in the engine's match (fast: the engine intersects them,
    see ``akhbar.search.terms``), and exactly against the articles table by the live check.
    """

    category_ids: tuple[int, ...] = ()
    date_from: date | None = None
    date_to: date | None = None
    author_ids: tuple[int, ...] = ()

    def __bool__(self) -> bool:
        return bool(self.category_ids or self.date_from or self.date_to or self.author_ids)


@dataclass(frozen=True)
class SearchHit:
    article_id: int
    score: float


@dataclass
class SearchResults:
    hits: list[SearchHit] = field(default_factory=list)
    #: Matching live articles, counted up to :data:`COUNT_LIMIT` (see ``more``).
    total: int = 0
    page: int = 1
    per_page: int = 10
    #: True when there are more than ``total`` results (the count stopped at the limit).
    more: bool = False
    #: MATCH_ALL: every result contains every word; MATCH_SOME: results containing only
    #: some of the words follow (too few contained them all). "" when nothing matched.
    match: str = ""
    #: The query as searched (with the alternative forms found in the vocabulary).
    query: ParsedQuery | None = None
    #: Document frequency of every term the search looked up (0 = unknown to the index).
    frequencies: dict[str, int] = field(default_factory=dict)


def document_terms(article: Article) -> tuple[str, str]:
    """(title terms, body terms) of ``article``: analysed, space-joined.

    Tags are read through ``article.tags.all()`` so a caller that prefetched them pays no
    query per article. The analysis itself lives in :mod:`akhbar.search.terms`, shared with
    the bulk rebuild, so both paths index exactly the same terms.
    """
    category = article.category.name if article.category_id and article.category else None
    return terms.document_terms(
        article.title,
        article.excerpt,
        article.body,
        [t.name for t in article.tags.all()],
        category,
    )


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

    def reindex(self, articles: Iterable[Article]) -> int:
        """Index a batch of articles in one transaction; returns how many are now indexed.

        Articles that are not (or no longer) published are removed instead, so a caller
        can pass any batch without filtering it first.
        """
        rows: list[IndexRow] = []
        gone: list[int] = []
        for article in articles:
            if is_searchable(article):
                facets = terms.facet_terms(
                    article.category_id, article.author_id, article.published_at
                )
                rows.append((article.pk, *document_terms(article), facets))
            else:
                gone.append(article.pk)
        self.write(rows, gone)
        return len(rows)

    def write(self, rows: list[IndexRow], gone: Iterable[int] = ()) -> None:
        """Store analysed ``rows`` and drop the entries of ``gone``, in one transaction.

        Raw SQL rather than ``bulk_create``: no model instances to build, and the upsert
        leaves unchanged rows alone (see ``_UPSERT``). Many rows per statement, never
        ``executemany``: on SQLite every statement that reaches FTS5 through a trigger
        opens a savepoint, and FTS5 flushes its pending terms into a new segment at each
        one, so row-by-row statements cost ~30 ms a row on a 100k index (measured) instead
        of ~0.1 ms.
        """
        gone = list(gone)
        per_statement = self._rows_per_statement()
        with transaction.atomic(using=self.using), self.connection.cursor() as cursor:
            if gone:
                SearchEntry.objects.using(self.using).filter(article_id__in=gone).delete()
            for start in range(0, len(rows), per_statement):
                chunk = rows[start : start + per_statement]
                values = ", ".join(["(%s, %s, %s, %s)"] * len(chunk))
                # SQLite spells IS DISTINCT FROM as IS NOT before 3.39.
                differs = "IS NOT" if self.vendor == "sqlite" else "IS DISTINCT FROM"
                sql = _UPSERT.format(values=values, differs=differs)
                cursor.execute(sql, [v for row in chunk for v in row])

    def _rows_per_statement(self) -> int:
        """Rows per INSERT within the driver's bound-parameter limit (4 parameters a row)."""
        limit = self.connection.features.max_query_params or 3000
        if self.vendor == "sqlite":  # Django assumes 999; the library usually allows 32766
            self.connection.ensure_connection()
            raw = self.connection.connection
            if hasattr(raw, "getlimit"):
                limit = raw.getlimit(sqlite3.SQLITE_LIMIT_VARIABLE_NUMBER)
        return max(1, min(limit, 3000) // 4)

    def clear(self) -> None:
        SearchEntry.objects.using(self.using).all().delete()

    def rebuild_native(self) -> None:
        """Rebuild the engine's own index from the stored terms (no-op where the database
        derives it itself, like PostgreSQL's generated column)."""

    def optimize(self) -> None:
        """Compact the index after a bulk rebuild (no-op where the engine does it itself)."""

    def index_size_bytes(self) -> int | None:
        """Bytes the index takes on disk, when the engine can tell."""
        return None

    # --- vocabulary -----------------------------------------------------------------------

    def document_frequencies(self, terms: Iterable[str]) -> dict[str, int]:
        """How many index entries contain each of ``terms`` (missing = none)."""
        raise NotImplementedError

    def vocabulary_range(self, low: str, high: str, limit: int) -> list[tuple[str, int]]:
        """(term, document frequency) for ``low <= term < high``, most frequent first."""
        raise NotImplementedError

    def index_stats(self) -> ranking.IndexStats:
        raise NotImplementedError

    def title_matches(self, required: list[str], any_of: list[str], limit: int) -> list[int]:
        """Newest entries whose title has every ``required`` term and one of ``any_of``.

        Newest by id (ids grow with time), which both engines can return without scoring
        or sorting every match: what as-you-type suggestions need, fast.
        """
        raise NotImplementedError

    # --- reading -------------------------------------------------------------------------

    def search(
        self,
        query: ParsedQuery,
        filters: SearchFilters | None = None,
        page: int = 1,
        per_page: int = 10,
    ) -> SearchResults:
        """Ranked results: every word first, then (if they fill less than a page) some words.

        The engine finds the candidates in its own order (``_matches``); the best
        :data:`POOL` of them are put in the final order by :func:`ranking.rank`, the same
        on every engine (see :mod:`akhbar.search.ranking`).
        """
        page = max(page, 1)
        if query.is_empty:
            return SearchResults(page=page, per_page=per_page, query=query)
        wanted = set(query.terms) | {t for p in query.phrases for t in p}
        query, frequencies = resolve_proclitics(query, self.document_frequencies)
        wanted |= {t for alts in query.alternatives for t in alts}
        frequencies = {t: frequencies.get(t, 0) for t in wanted}
        offset = (page - 1) * per_page
        end = offset + per_page
        groups = ranking.groups_of(query.terms, query.alternatives, query.phrases)

        strict = self._matches(query, filters, 0, POOL, any_word=False)
        # Only words are ever relaxed: quoted phrases stay required.
        relaxable = len(groups) > 1 and bool(query.terms)
        if strict.total >= per_page or not relaxable:
            ranked = self._rank([h.article_id for h in strict.hits], groups, frequencies)
            ids = [s.article_id for s in ranked[offset:end]]
            scores = {s.article_id: s.score for s in ranked}
            if end > len(ranked) and strict.total > len(ranked):
                # Beyond the ranked pool: the engine's own order, which continues it.
                start = max(offset, len(ranked))
                deeper = self._matches(query, filters, start, end - start, any_word=False)
                ids += [h.article_id for h in deeper.hits]
            hits = [SearchHit(pk, scores.get(pk, 0.0)) for pk in ids]
            return SearchResults(
                hits=hits,
                total=strict.total,
                page=page,
                per_page=per_page,
                more=strict.more,
                match=MATCH_ALL if strict.total else "",
                query=query,
                frequencies=frequencies,
            )

        relaxed = self._relaxed(query, filters, frequencies)
        seen = {h.article_id for h in strict.hits}
        pool = [h.article_id for h in strict.hits]
        pool += [h.article_id for h in relaxed.hits if h.article_id not in seen]
        # An engine may return more candidates than the pool (see SQLite's _relaxed): the
        # best of them, as many as the pool, are shown.
        ranked = self._rank(pool, groups, frequencies)[: len(strict.hits) + POOL]
        more = relaxed.more or relaxed.total > len(ranked)
        total = len(ranked) if more else relaxed.total
        page_rows = ranked[offset:end]
        some = any(not s.complete for s in ranked[:end]) or not strict.total
        return capped(
            SearchResults(
                hits=[SearchHit(s.article_id, s.score) for s in page_rows],
                total=total,
                page=page,
                per_page=per_page,
                more=more,
                match=(MATCH_SOME if some else MATCH_ALL) if total else "",
                query=query,
                frequencies=frequencies,
            )
        )

    def _relaxed(
        self, query: ParsedQuery, filters: SearchFilters | None, frequencies: dict[str, int]
    ) -> SearchResults:
        """Candidates for the any-word search (ranked afterwards), and their number (capped):
        the engine's best :data:`POOL` any-word matches. Engines override this where ranking
        every match of a question over common words is slow."""
        return self._matches(query, filters, 0, POOL, any_word=True)

    def _count(self, query: ParsedQuery, filters: SearchFilters | None) -> int:
        """Live any-word matches of ``query``, counted up to ``COUNT_LIMIT + 1``."""
        raise NotImplementedError

    def _rank(
        self, ids: list[int], groups: list[ranking.Group], frequencies: dict[str, int]
    ) -> list[ranking.Scored]:
        """``ids`` in the shared ranking's order (one query for their terms and dates)."""
        if not ids:
            return []
        rows = (
            SearchEntry.objects.using(self.using)
            .filter(article_id__in=ids)
            .values_list("article_id", "title_terms", "body_terms", "article__published_at")
        )
        candidates = [ranking.Candidate(*row) for row in rows]
        return ranking.rank(candidates, groups, frequencies, self.index_stats())

    def _matches(
        self,
        query: ParsedQuery,
        filters: SearchFilters | None,
        offset: int,
        limit: int,
        any_word: bool,
    ) -> SearchResults:
        """Live matches ``offset`` to ``offset + limit`` in the engine's own order, and
        their number (capped). ``any_word``: at least one word (phrases still required)."""
        raise NotImplementedError

    def _facet_groups(self, filters: SearchFilters | None) -> list[tuple[str, ...]]:
        """The facet terms ``filters`` require: one of each group (empty: no restriction).

        A superset of the filtered articles, never a subset: the date range becomes every
        UTC month it overlaps, and the live check applies the exact bounds afterwards.
        """
        if not filters:
            return []
        groups: list[tuple[str, ...]] = []
        if filters.category_ids:
            groups.append(tuple(terms.category_facet(pk) for pk in sorted(filters.category_ids)))
        if filters.author_ids:
            groups.append(tuple(terms.author_facet(pk) for pk in sorted(filters.author_ids)))
        if filters.date_from or filters.date_to:
            start, end = self._date_bounds(filters)
            if start is None:  # no lower bound: from the oldest live article
                start = (
                    Article.objects.using(self.using)
                    .published()
                    .order_by("published_at")
                    .values_list("published_at", flat=True)
                    .first()
                )
            if end is None:  # no upper bound: nothing later than now is live
                end = timezone.now() + timedelta(seconds=1)
            months = tuple(terms.month_facets(start, end)) if start else ()
            if not months:
                return [()]  # an empty range: nothing can match
            if len(months) <= MAX_MONTH_FACETS:
                groups.append(months)
        return groups

    @staticmethod
    def _date_bounds(filters: SearchFilters) -> tuple[datetime | None, datetime | None]:
        """``[start, end)`` of the filter's local days, as aware datetimes (None = open)."""
        tz = timezone.get_current_timezone()
        start = end = None
        if filters.date_from:
            start = timezone.make_aware(datetime.combine(filters.date_from, time.min), tz)
        if filters.date_to:
            end_day = datetime.combine(filters.date_to + timedelta(days=1), time.min)
            end = timezone.make_aware(end_day, tz)
        return start, end

    def _live_articles_sql(self, filters: SearchFilters | None) -> tuple[str, list[Any]]:
        """SQL (and params) for the ids and dates of live articles passing ``filters``.

        Built with the ORM from ``Article.objects.published()`` so "what readers may see"
        has one definition; scheduled articles show up when their time comes, no reindex.
        """
        qs = Article.objects.using(self.using).published()
        if filters:
            if filters.category_ids:
                qs = qs.filter(category_id__in=filters.category_ids)
            if filters.author_ids:
                qs = qs.filter(author_id__in=filters.author_ids)
            start, end = self._date_bounds(filters)
            if start:
                qs = qs.filter(published_at__gte=start)
            if end:
                qs = qs.filter(published_at__lt=end)
        sql, params = qs.order_by().values("id", "published_at").query.sql_with_params()
        return sql, list(params)

    def _run(
        self,
        sql: str,
        params: list[Any],
        query_offset: int,
        per_page: int,
        total_sql: str,
        *,
        total_params: list[Any] | None = None,
    ) -> SearchResults:
        """Run a ranked query returning (id, score, total) rows; recount if the page is empty.

        ``total_params``: the parameters of ``total_sql`` when they differ from ``params``.
        """
        with self.connection.cursor() as cursor:
            cursor.execute(sql, [*params, per_page, query_offset])
            rows = cursor.fetchall()
            if rows:
                total = int(rows[0][2])
            elif query_offset:
                cursor.execute(total_sql, params if total_params is None else total_params)
                total = int(cursor.fetchone()[0])
            else:
                total = 0
        hits = [SearchHit(int(r[0]), float(r[1])) for r in rows]
        return capped(SearchResults(hits=hits, total=total, per_page=per_page))


def capped(results: SearchResults) -> SearchResults:
    """``results`` with the total cut to :data:`COUNT_LIMIT`, so every engine reports alike."""
    if results.total > COUNT_LIMIT:
        results.total = COUNT_LIMIT
        results.more = True
    return results

"""SQLite engine: FTS5 over analysed terms, ranked by BM25 with the title weighted 10:1."""

from __future__ import annotations

import math
from collections.abc import Iterable
from dataclasses import replace
from typing import Any

from akhbar.search.backends import base
from akhbar.search.backends.base import (
    COUNT_LIMIT,
    SearchBackend,
    SearchFilters,
    SearchHit,
    SearchResults,
    capped,
)
from akhbar.search.query import ParsedQuery
from akhbar.search.ranking import IndexStats

__all__ = ["SQLiteSearchBackend", "fts5_expression", "with_facets"]

# BM25 column weights: a word in the title counts ten times a word in the body; facet terms
# (filters, see akhbar.search.terms) never score.
_MATCHES = (
    "WITH m AS MATERIALIZED (SELECT rowid AS id, bm25(search_fts, 10.0, 1.0, 0.0) AS score "
    "FROM search_fts WHERE search_fts MATCH %s) "
)


# The best matches by BM25 alone: FTS5 scores every match but keeps only the top rows, with
# no join, so this stays fast when a query matches most of the archive.
_TOP = (
    "SELECT rowid, bm25(search_fts, 10.0, 1.0, 0.0) AS score FROM search_fts "
    "WHERE search_fts MATCH %s ORDER BY score LIMIT %s"
)

# Every join to the live articles is a CROSS JOIN, which SQLite reads as "this order": the
# matches (few, or capped) drive, each looks its article up by primary key, rather than the
# planner starting from the filtered articles (a section is thousands of rows).
_COUNT_PREFIX = "SELECT COUNT(*) FROM (SELECT 1 FROM search_fts "


def _score(row: tuple[int, float]) -> float:
    return row[1]


def _first_score_change(rows: list[tuple[int, float]], start: int) -> int | None:
    """Smallest ``i >= start`` with rows[i - 1] scoring better than rows[i], if any.

    Cutting there keeps every row of a tied score together, on one side of the cut.
    """
    for i in range(max(start, 1), len(rows)):
        if rows[i - 1][1] != rows[i][1]:
            return i
    return None


def _quote(term: str) -> str:
    # Terms are letters and digits only, but quoting every one keeps FTS5 from ever reading
    # a term as an operator (a stem that happened to be "near" or "not").
    return '"' + term.replace('"', '""') + '"'


def _phrase(terms: tuple[str, ...]) -> str:
    # "a" + "b" is FTS5 for the phrase "a b": consecutive tokens in one column.
    return " + ".join(_quote(t) for t in terms)


def _group(query: ParsedQuery, i: int) -> str:
    forms = query.forms(i)
    if len(forms) == 1:
        return _quote(forms[0])
    return "(" + " OR ".join(_quote(f) for f in forms) + ")"


def fts5_expression(query: ParsedQuery, any_word: bool = False) -> str:
    """The FTS5 MATCH string for ``query`` ("" if it has no positive part).

    ``any_word``: at least one of the words (each with its alternative forms) instead of
    all of them; quoted phrases are required either way, so with a phrase the words only
    rank (see :mod:`akhbar.search.ranking`).
    """
    words = [_group(query, i) for i in range(len(query.terms))]
    phrases = [_phrase(p) for p in query.phrases]
    positive = words + phrases
    if any_word:
        positive = phrases or ([" OR ".join(words)] if words else [])
    if not positive:
        return ""
    expression = " AND ".join(f"({p})" if " OR " in p else p for p in positive)
    if query.excluded:
        excluded = " OR ".join(_phrase(p) for p in query.excluded)
        expression = f"({expression}) NOT ({excluded})"
    return expression


def with_facets(expression: str, groups: list[tuple[str, ...]]) -> str:
    """``expression`` restricted to entries with one facet term of each of ``groups``."""
    if not groups:
        return expression
    parts = [" OR ".join(_quote(t) for t in group) for group in groups]
    facets = " AND ".join(f"({p})" for p in parts)
    return f"({expression}) AND facet_terms : ({facets})"


#: FTS5's bm25() constant k1 (b is 0.75); its IDF is never below 1e-6.
_K1 = 1.2


def _fts5_idf(documents: int, df: int) -> float:
    """The IDF FTS5's ``bm25()`` gives a term in ``df`` of ``documents`` entries."""
    return max(math.log((documents - df + 0.5) / (df + 0.5)), 1e-6)


def _varint(blob: bytes, pos: int) -> tuple[int, int]:
    """SQLite's variable-length integer at ``pos`` (FTS5 writes its statistics with it)."""
    value = 0
    for i in range(8):
        byte = blob[pos + i]
        value = (value << 7) | (byte & 0x7F)
        if not byte & 0x80:
            return value, pos + i + 1
    return (value << 8) | blob[pos + 8], pos + 9


class SQLiteSearchBackend(SearchBackend):
    """FTS5 engine.

    A one-word query on a common word matches most of the archive (60,000 of 100,000
    articles in the bench). Ranking those inside FTS5 is cheap; joining every one of them
    back to the wide articles table to check it is live, and counting them all, is what
    made the slow queries slow. So :meth:`search` first takes the best few matches from
    FTS5 alone, checks just those against the articles table, and counts live matches only
    up to ``COUNT_LIMIT``. The full join remains as the fallback that is always right.
    """

    vendor = "sqlite"

    #: Spare candidates beyond the requested page, for entries that turn out not to be live
    #: (scheduled articles, or unpublished by a bulk update before a reindex).
    SPARE = 20
    #: Deeper pages than this go straight to the full query (FTS5 would sort that many).
    MAX_FAST_DEPTH = COUNT_LIMIT
    #: Extra rows fetched so a run of equal scores at the cut can be kept whole.
    TIE_ROOM = 200

    #: Any-word searches leave out the words in more than 1/COMMON_SHARE of the entries
    #: (see :meth:`_relaxed`), fetching at most DEPTH times the pool's candidates instead.
    COMMON_SHARE = 4
    DEPTH = 4

    #: With filters, candidates are fetched this many times deeper before the full join
    #: (FTS5 already applies the filters as facet terms; the live check, exactly).
    FILTER_DEPTH = 8

    def _matches(
        self,
        query: ParsedQuery,
        filters: SearchFilters | None,
        offset: int,
        limit: int,
        any_word: bool,
    ) -> SearchResults:
        expression = fts5_expression(query, any_word)
        groups = self._facet_groups(filters)
        if not expression or not all(groups):
            return SearchResults(per_page=limit)
        expression = with_facets(expression, groups)
        live_sql, live_params = self._live_articles_sql(filters)
        fast = None
        if offset + limit <= self.MAX_FAST_DEPTH:
            fast = self._search_top(expression, live_sql, live_params, offset, limit, depth=1)
            if fast is None and filters:
                # The facet terms are a superset (a date range's first and last months, a
                # stale entry): some of FTS5's best matches may fail the live check, so
                # look deeper before joining.
                fast = self._search_top(
                    expression, live_sql, live_params, offset, limit, depth=self.FILTER_DEPTH
                )
        if fast is not None:
            return fast
        # bm25() may only run inside the FTS5 scan itself, so the matches are ranked in a
        # materialised CTE first and joined to the live articles afterwards.
        # Only constants and ORM-compiled SQL are interpolated; user input is a bound parameter.
        matches = _MATCHES
        joined = f"FROM m CROSS JOIN ({live_sql}) AS live ON live.id = m.id"
        params = [expression, *live_params]
        sql = (
            f"{matches}SELECT live.id, m.score, COUNT(*) OVER () {joined} "
            "ORDER BY m.score, live.published_at DESC, live.id DESC LIMIT %s OFFSET %s"
        )
        return self._run(sql, params, offset, limit, f"{matches}SELECT COUNT(*) {joined}")

    def _relaxed(
        self, query: ParsedQuery, filters: SearchFilters | None, frequencies: dict[str, int]
    ) -> SearchResults:
        """The best :data:`~base.POOL` any-word matches (at least), found without scoring
        every match of the common words.

        FTS5 scores every match, and a question's common words match most of the archive:
        that was most of its time (60-80 ms CPU at 100,000 articles). So the words in more
        than ``1/COMMON_SHARE`` of the entries are left out of the search, MaxScore-style
        (Turtle & Flood 1995), and nothing is lost: a word adds at most ``idf * (k1 + 1)``
        to a BM25 score, so with ``margin`` the sum of that over the words left out,

        * a match scoring worse than the POOL-th best by more than ``margin`` cannot reach
          the best POOL with them either: candidates are fetched down to that score;
        * a document with only left-out words scores at most ``margin``: if that is less
          than the POOL-th best score, none of them can be among the best.

        The candidates therefore include every match of the whole query's best POOL (they
        are ranked by :mod:`akhbar.search.ranking` anyway). When either condition fails
        (the cut is deeper than ``DEPTH`` pools, the margin too wide) the whole query runs
        as before. The count is of the whole query (capped).
        """
        documents = self.index_stats().documents
        common = documents / self.COMMON_SHARE
        kept: list[tuple[str, ...]] = []
        margin = 0.0
        for i in range(len(query.terms)):
            forms = []
            for form in query.forms(i):
                df = frequencies.get(form, 0)
                if df > common:
                    margin += (_K1 + 1) * _fts5_idf(documents, df)
                else:
                    forms.append(form)
            if forms:
                kept.append(tuple(forms))
        if query.phrases or not margin or not kept:
            return super()._relaxed(query, filters, frequencies)
        reduced = replace(
            query,
            terms=tuple(forms[0] for forms in kept),
            alternatives=tuple(forms[1:] for forms in kept),
        )
        pool = base.POOL
        found = self._matches(reduced, filters, 0, self.DEPTH * pool, any_word=True)
        if len(found.hits) <= pool:  # too few: the common words' matches fill the pool
            return super()._relaxed(query, filters, frequencies)
        best = found.hits[pool - 1].score  # bm25() is negative: lower is better
        if margin >= -best:
            return super()._relaxed(query, filters, frequencies)
        candidates = [h for h in found.hits if h.score <= best + margin]
        if len(candidates) == len(found.hits) and found.total > len(found.hits):
            return super()._relaxed(query, filters, frequencies)  # the cut lies deeper
        total = self._count(query, filters)
        return capped(SearchResults(hits=candidates, total=total, per_page=pool))

    def _count(self, query: ParsedQuery, filters: SearchFilters | None) -> int:
        """Live any-word matches of ``query``, counted up to ``COUNT_LIMIT + 1``."""
        expression = fts5_expression(query, any_word=True)
        groups = self._facet_groups(filters)
        if not expression or not all(groups):
            return 0
        live_sql, live_params = self._live_articles_sql(filters)
        count = (
            f"{_COUNT_PREFIX}CROSS JOIN ({live_sql}) AS live ON live.id = search_fts.rowid "
            "WHERE search_fts MATCH %s LIMIT %s)"
        )
        with self.connection.cursor() as cursor:
            cursor.execute(count, [*live_params, with_facets(expression, groups), COUNT_LIMIT + 1])
            return int(cursor.fetchone()[0])

    def document_frequencies(self, terms: Iterable[str]) -> dict[str, int]:
        terms = list(dict.fromkeys(terms))
        if not terms:
            return {}
        # Only placeholders are interpolated; the terms are bound parameters.
        marks = ", ".join(["%s"] * len(terms))
        sql = f"SELECT term, doc FROM search_fts_vocab WHERE term IN ({marks})"  # noqa: S608
        with self.connection.cursor() as cursor:
            cursor.execute(sql, terms)
            return {term: int(doc) for term, doc in cursor.fetchall()}

    def vocabulary_range(self, low: str, high: str, limit: int) -> list[tuple[str, int]]:
        with self.connection.cursor() as cursor:
            cursor.execute(
                "SELECT term, doc FROM search_fts_vocab WHERE term >= %s AND term < %s "
                "ORDER BY doc DESC, term LIMIT %s",
                [low, high, limit],
            )
            return [(term, int(doc)) for term, doc in cursor.fetchall()]

    def title_matches(self, required: list[str], any_of: list[str], limit: int) -> list[int]:
        if not any_of:
            return []
        alternatives = " OR ".join(_quote(t) for t in any_of)
        parts = [_quote(t) for t in required] + [f"({alternatives})"]
        expression = "title_terms : (" + " AND ".join(parts) + ")"
        with self.connection.cursor() as cursor:
            cursor.execute(
                "SELECT rowid FROM search_fts WHERE search_fts MATCH %s "
                "ORDER BY rowid DESC LIMIT %s",
                [expression, limit],
            )
            return [int(row[0]) for row in cursor.fetchall()]

    def index_stats(self) -> IndexStats:
        """FTS5's own statistics record (row count and tokens per column), as bm25() uses.

        Reading it is one b-tree lookup; counting 100,000 entries would be a table scan.
        """
        with self.connection.cursor() as cursor:
            cursor.execute("SELECT block FROM search_fts_data WHERE id = 1")
            row = cursor.fetchone()
        if not row or not row[0]:
            return IndexStats(0, 0, 0)
        blob = bytes(row[0])
        documents, pos = _varint(blob, 0)
        title, pos = _varint(blob, pos)
        body, pos = _varint(blob, pos)
        return IndexStats(documents, title, body)

    def _search_top(
        self,
        expression: str,
        live_sql: str,
        live_params: list[Any],
        offset: int,
        per_page: int,
        *,
        depth: int = 1,
    ) -> SearchResults | None:
        """The page from FTS5's best ``offset + per_page + SPARE`` matches, or None.

        Exact, not an approximation: the candidates are *every* match scoring at or below
        the last candidate's score, so live candidates sorted by (score, date, id) are a
        prefix of the full ordering. Equal BM25 scores are common (same length, same term
        counts), so FTS5 returns ``TIE_ROOM`` rows more and the cut moves down to the first
        place where the score changes. None (use the full query) when one score fills all
        of that room or too few candidates are live to fill the page.
        """
        need = offset + per_page
        spare = (need + self.SPARE) * depth - need
        with self.connection.cursor() as cursor:
            cursor.execute(_TOP, [expression, need + spare + self.TIE_ROOM])
            top = cursor.fetchall()
            exhaustive = len(top) < need + spare + self.TIE_ROOM
            if not exhaustive:
                cut = _first_score_change(top, need + spare)
                if cut is None:
                    return None
                top = top[:cut]
            if not top:
                return SearchResults(per_page=per_page)
            # The live check: a primary-key list, no join. Joined (even as a CROSS JOIN),
            # SQLite >= 3.38 builds a Bloom filter over the filtered articles first, a scan
            # of the whole articles table (~140 ms at 100,000) for 300 lookups.
            # Only placeholders and ORM-compiled SQL are interpolated; values are parameters.
            marks = ", ".join(["%s"] * len(top))
            check = (
                f"SELECT live.id FROM ({live_sql}) AS live WHERE live.id IN ({marks}) "  # noqa: S608
                "ORDER BY live.published_at DESC, live.id DESC"
            )
            cursor.execute(check, [*live_params, *(pk for pk, _ in top)])
            scores = dict(top)
            # Stable sort: equal scores keep the newest-first order of the query.
            ranked = sorted(((pk, scores[pk]) for (pk,) in cursor.fetchall()), key=_score)
            if len(ranked) < need and not exhaustive:
                return None
            if exhaustive:
                total = len(ranked)
            else:
                # Live matches, counted in FTS5's rowid order and stopping at the limit.
                count = (
                    f"{_COUNT_PREFIX}CROSS JOIN ({live_sql}) AS live "
                    "ON live.id = search_fts.rowid "
                    "WHERE search_fts MATCH %s LIMIT %s)"
                )
                cursor.execute(count, [*live_params, expression, COUNT_LIMIT + 1])
                total = int(cursor.fetchone()[0])
        hits = [SearchHit(int(pk), float(score)) for pk, score in ranked[offset:need]]
        return capped(SearchResults(hits=hits, total=total, per_page=per_page))

    def rebuild_native(self) -> None:
        """FTS5's own ``rebuild`` from its content table (``search_searchentry``)."""
        with self.connection.cursor() as cursor:
            cursor.execute("INSERT INTO search_fts(search_fts) VALUES ('rebuild')")

    def optimize(self) -> None:
        """Merge FTS5's incremental b-tree segments into one, so queries read fewer pages."""
        with self.connection.cursor() as cursor:
            cursor.execute("INSERT INTO search_fts(search_fts) VALUES ('optimize')")

    def index_size_bytes(self) -> int | None:
        """Pages used by the FTS5 shadow tables plus the terms table, via ``dbstat``."""
        with self.connection.cursor() as cursor:
            try:
                cursor.execute(
                    "SELECT SUM(pgsize) FROM dbstat WHERE name LIKE 'search_fts%%' "
                    "OR name LIKE 'search_searchentry%%' "
                    "OR name LIKE 'sqlite_autoindex_search_searchentry%%'"
                )
            except Exception:  # dbstat is a compile-time option
                return None
            return int(cursor.fetchone()[0] or 0)

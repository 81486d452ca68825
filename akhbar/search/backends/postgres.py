"""PostgreSQL engine: a generated tsvector (title A, body B) with GIN, ranked by ts_rank_cd."""

from __future__ import annotations

import re
from collections.abc import Iterable
from dataclasses import replace
from itertools import combinations
from typing import Any

from akhbar.search.backends import base
from akhbar.search.backends.base import (
    COUNT_LIMIT,
    SearchBackend,
    SearchFilters,
    SearchResults,
    capped,
)
from akhbar.search.query import ParsedQuery
from akhbar.search.ranking import IndexStats

__all__ = ["PostgresSearchBackend", "facets_tsquery", "tsquery_sql"]

# ts_rank_cd weights are {D, C, B, A}: title (A) counts ten times the body (B), as in FTS5.
WEIGHTS = "'{0.1, 0.1, 0.1, 1.0}'::float4[]"
# Normalisation 1: divide by 1 + log(document length), so long articles don't win by size.
NORMALIZATION = 1


_SAFE_TERM = re.compile(r"^\w+$")
_WORD = "plainto_tsquery('simple', %s)"
_PHRASE = "phraseto_tsquery('simple', %s)"


def tsquery_sql(query: ParsedQuery, any_word: bool = False) -> tuple[str, list[Any]]:
    """SQL building the tsquery for ``query`` from bound parameters ("" if nothing positive).

    Never string-concatenates user text into tsquery syntax: each part is a parameter given
    to plainto_tsquery/phraseto_tsquery ('simple'), which treat it as plain words; the
    operators (&&, ||, !! and phrase <->) come from these functions, not from the input.
    ``any_word`` as in :func:`akhbar.search.backends.sqlite.fts5_expression`.
    """
    words: list[tuple[str, list[Any]]] = []
    for i in range(len(query.terms)):
        forms = query.forms(i)
        sql = " || ".join([_WORD] * len(forms))
        words.append((f"({sql})" if len(forms) > 1 else sql, list(forms)))
    phrases = [(_PHRASE, [" ".join(p)]) for p in query.phrases]
    if any_word:
        if phrases:
            positive = phrases
        elif words:
            positive = [
                ("(" + " || ".join(w for w, _ in words) + ")", [v for _, p in words for v in p])
            ]
        else:
            positive = []
    else:
        positive = words + phrases
    if not positive:
        return "", []
    parts = [sql for sql, _ in positive]
    params = [v for _, p in positive for v in p]
    for phrase in query.excluded:
        parts.append(f"!! {_PHRASE}")
        params.append(" ".join(phrase))
    return " && ".join(parts), params


_FACET = re.compile(r"^[a-z]\d+$")


def facets_tsquery(groups: list[tuple[str, ...]]) -> str:
    """``to_tsquery`` text requiring one facet term of each group ("" for none).

    Facet terms are made by :mod:`akhbar.search.terms` (a letter and digits), never typed by
    a reader; anything else is refused rather than quoted.
    """
    parts = []
    for group in groups:
        if not all(_FACET.match(t) for t in group):
            raise ValueError(f"not a facet term: {group!r}")
        parts.append("(" + " | ".join(group) + ")")
    return " & ".join(parts)


def _subset(query: ParsedQuery, chosen: list[int]) -> ParsedQuery:
    """``query`` with only the words at ``chosen`` (and their alternative forms)."""
    return replace(
        query,
        terms=tuple(query.terms[i] for i in chosen),
        alternatives=tuple(
            query.alternatives[i] if i < len(query.alternatives) else () for i in chosen
        ),
    )


def _at_least(shares: list[float]) -> list[float]:
    """``[k]``: the chance that an entry has at least k of words occurring independently
    in these shares of the entries (the Poisson binomial distribution, by recurrence)."""
    exactly = [1.0]
    for p in shares:
        exactly = [
            (exactly[j] if j < len(exactly) else 0.0) * (1 - p) + (exactly[j - 1] * p if j else 0.0)
            for j in range(len(exactly) + 1)
        ]
    tail = [0.0] * (len(exactly) + 1)
    for j in range(len(exactly) - 1, -1, -1):
        tail[j] = tail[j + 1] + exactly[j]
    return tail


def _quorum_sql(query: ParsedQuery, k: int) -> tuple[str, list[Any]]:
    """tsquery SQL: at least ``k`` of the query's words (any of their forms), no exclusion.

    Built as ``to_tsquery`` text, an OR of every k-combination of the words, from
    analysed terms only (letters and digits, checked); the exclusions are bound phrases.
    """
    groups = []
    for i in range(len(query.terms)):
        forms = [f for f in query.forms(i) if _SAFE_TERM.match(f)]
        if forms:
            groups.append("(" + " | ".join(forms) + ")" if len(forms) > 1 else forms[0])
    text = " | ".join("(" + " & ".join(c) + ")" for c in combinations(groups, k))
    sql, params = "to_tsquery('simple', %s)", [text]
    for phrase in query.excluded:
        sql += f" && !! {_PHRASE}"
        params.append(" ".join(phrase))
    return sql, params


#: The engine's GIN indexes (migrations 0001, 0004, 0005): the document, the facets, the title.
GIN_INDEXES = ("search_entry_document_gin", "search_entry_facets_gin", "search_entry_title_gin")


class PostgresSearchBackend(SearchBackend):
    vendor = "postgresql"

    #: An any-word search ranks at most about this many matches (see :meth:`_relaxed`).
    RANK_LIMIT = 1000

    def _matches(
        self,
        query: ParsedQuery,
        filters: SearchFilters | None,
        offset: int,
        limit: int,
        any_word: bool,
    ) -> SearchResults:
        tsquery, tsparams = tsquery_sql(query, any_word)
        return self._ranked(tsquery, tsparams, filters, offset, limit)

    def _ranked(
        self,
        tsquery: str,
        tsparams: list[Any],
        filters: SearchFilters | None,
        offset: int,
        limit: int,
        *,
        count_only: bool = False,
        rank_by: tuple[str, list[Any]] | None = None,
    ) -> SearchResults:
        """Live matches of the tsquery SQL ``tsquery`` ranked by ``ts_rank_cd``, and their
        number; ``count_only``: just the number, up to ``limit``.

        ``rank_by``: another tsquery (SQL, params) to rank the matches with. ``ts_rank_cd``
        costs in proportion to the query's size, so the "at least k of the words" query (an
        OR of every k-combination: 20-70 groups) took ~0.3 ms a match to rank, 120 of a
        question's 170 ms at 100,000 articles; the plain any-word query ranks the same
        matches in a fraction of that, by the same words.
        """
        groups = self._facet_groups(filters)
        if not tsquery or not all(groups):
            return SearchResults(per_page=limit)
        live_sql, live_params = self._live_articles_sql(filters)
        facets = ""
        if groups:
            # The filters' facet terms, matched in their own GIN index (migration 0004).
            facets = " AND e.facets @@ to_tsquery('simple', %s)"
            tsparams = [*tsparams, facets_tsquery(groups)]
        rank_sql, rank_params = rank_by or ("NULL::tsquery", [])
        joined = (
            f"FROM search_searchentry e JOIN ({live_sql}) AS live ON live.id = e.article_id "
            f"CROSS JOIN (SELECT {rank_sql} AS r, {tsquery} AS q) AS tsq "
            f"WHERE e.document @@ tsq.q{facets}"
        )
        params = [*live_params, *rank_params, *tsparams]
        if count_only:
            with self.connection.cursor() as cursor:
                count = f"SELECT COUNT(*) FROM (SELECT 1 {joined} LIMIT %s) AS n"  # noqa: S608
                cursor.execute(count, [*params, limit])
                return SearchResults(total=int(cursor.fetchone()[0]), per_page=0)
        # Scored in a fenced subquery (OFFSET 0): otherwise the planner sorts the matches
        # by score *before* joining the live articles, carrying every match's whole
        # document through the sort (54,000 rows of ~2 KB for a common word, spilled to
        # disk) and joining them one primary-key lookup at a time: 870 ms, against 470 ms
        # for scores and ids hashed against the live articles (100,000, pglz storage).
        scored = (
            f"SELECT e.article_id, ts_rank_cd({WEIGHTS}, e.document, COALESCE(tsq.r, tsq.q), "  # noqa: S608
            f"{NORMALIZATION}) AS score FROM search_searchentry e "
            f"CROSS JOIN (SELECT {rank_sql} AS r, {tsquery} AS q) AS tsq "
            f"WHERE e.document @@ tsq.q{facets} OFFSET 0"
        )
        sql = (
            f"SELECT live.id, m.score, COUNT(*) OVER () FROM ({scored}) AS m "  # noqa: S608
            f"JOIN ({live_sql}) AS live ON live.id = m.article_id "
            "ORDER BY m.score DESC, live.published_at DESC, live.id DESC LIMIT %s OFFSET %s"
        )
        ranked_params = [*rank_params, *tsparams, *live_params]
        total = f"SELECT COUNT(*) {joined}"
        return self._run(sql, ranked_params, offset, limit, total, total_params=params)

    def _relaxed(
        self, query: ParsedQuery, filters: SearchFilters | None, frequencies: dict[str, int]
    ) -> SearchResults:
        """Any-word candidates from at most ~``RANK_LIMIT`` ranked matches, twice.

        ``ts_rank_cd`` reads each match's whole tsvector (out of line, compressed): ~16 µs a
        match, over a second for a question whose common words match most of 100,000
        articles. Deciding *whether* an entry matches is cheap, in the GIN index alone. So
        the candidates are the best ranked of (1) the matches of the rarest words, as many
        of them as fit ``RANK_LIMIT`` entries, and (2) the entries having the most of the
        words: at least k of them, for the smallest k at which they are few enough. The
        two ways a document scores high: rare words, and many of the words.
        """
        n = len(query.terms)
        dfs = [sum(frequencies.get(f, 0) for f in query.forms(i)) for i in range(n)]
        if query.phrases or n < 2 or sum(dfs) <= self.RANK_LIMIT:
            return super()._relaxed(query, filters, frequencies)
        chosen: list[int] = []
        budget = 0
        for df, i in sorted(zip(dfs, range(n), strict=True)):
            if chosen and budget + df > self.RANK_LIMIT:
                break
            chosen.append(i)
            budget += df
        rare = _subset(query, sorted(chosen))
        parts = [self._matches(rare, filters, 0, base.POOL, any_word=True)]
        # How many entries have at least k of the words, estimated from the frequencies
        # as if the words were independent (counting them in the index costs more than
        # ranking them); the estimate is halved against the words' real co-occurrence.
        documents = max(self.index_stats().documents, 1)
        at_least = _at_least([min(df / documents, 1.0) for df in dfs])
        # The quorum's matches are ranked by the plain any-word query (see _ranked).
        words = tsquery_sql(replace(query, excluded=()), any_word=True)
        for k in range(2, n):
            if at_least[k] * documents <= self.RANK_LIMIT / 2:
                quorum, params = _quorum_sql(query, k)
                parts.append(self._ranked(quorum, params, filters, 0, base.POOL, rank_by=words))
                break
        else:
            # Even all the words but one look too common: count those entries in the index,
            # and rank them if they are few enough after all.
            quorum, params = _quorum_sql(query, n - 1)
            counted = self._ranked(quorum, params, filters, 0, self.RANK_LIMIT + 1, count_only=True)
            if counted.total <= self.RANK_LIMIT:
                parts.append(self._ranked(quorum, params, filters, 0, base.POOL, rank_by=words))
        seen: set[int] = set()
        hits = []
        for part in parts:
            hits += [h for h in part.hits if h.article_id not in seen]
            seen.update(h.article_id for h in part.hits)
        if any(part.total > len(part.hits) for part in parts):
            # Matches beyond the candidates: "more than" is all the page will say.
            return SearchResults(hits=hits, total=len(hits), more=True, per_page=base.POOL)
        everything = tsquery_sql(query, any_word=True)
        total = self._ranked(*everything, filters, 0, COUNT_LIMIT + 1, count_only=True).total
        return capped(SearchResults(hits=hits, total=total, per_page=base.POOL))

    def document_frequencies(self, terms: Iterable[str]) -> dict[str, int]:
        terms = list(dict.fromkeys(terms))
        if not terms:
            return {}
        with self.connection.cursor() as cursor:
            cursor.execute(
                "SELECT term, ndoc FROM search_vocabulary WHERE term = ANY(%s) AND ndoc > 0",
                [terms],
            )
            return {term: int(n) for term, n in cursor.fetchall()}

    def vocabulary_range(self, low: str, high: str, limit: int) -> list[tuple[str, int]]:
        with self.connection.cursor() as cursor:
            cursor.execute(
                "SELECT term, ndoc FROM search_vocabulary "
                "WHERE term >= %s AND term < %s AND ndoc > 0 "
                "ORDER BY ndoc DESC, term LIMIT %s",
                [low, high, limit],
            )
            return [(term, int(n)) for term, n in cursor.fetchall()]

    def title_matches(self, required: list[str], any_of: list[str], limit: int) -> list[int]:
        """Title matches, in the titles' own tsvector (migration 0005 says why).

        ``to_tsquery`` syntax is built here, so every term is checked to be letters and
        digits only (analysed terms and vocabulary entries always are); anything else is
        dropped rather than quoted.
        """
        clean = [t for t in any_of if _SAFE_TERM.match(t)]
        if not clean:
            return []
        alternatives = " | ".join(clean)
        needed = [t for t in required if _SAFE_TERM.match(t)]
        text = " & ".join([*needed, f"({alternatives})"])
        with self.connection.cursor() as cursor:
            cursor.execute(
                "SELECT article_id FROM search_searchentry "
                "WHERE title_document @@ to_tsquery('simple', %s) "
                "ORDER BY article_id DESC LIMIT %s",
                [text, limit],
            )
            return [int(row[0]) for row in cursor.fetchall()]

    def index_stats(self) -> IndexStats:
        with self.connection.cursor() as cursor:
            cursor.execute(
                "SELECT ndoc, title_length, body_length FROM search_statistics WHERE id = 1"
            )
            row = cursor.fetchone()
        return IndexStats(*(int(v) for v in row)) if row else IndexStats(0, 0, 0)

    def optimize(self) -> None:
        """Refresh planner statistics after a bulk rebuild (autovacuum would, but later), and
        merge the GIN indexes' pending lists into the indexes.

        With stale statistics the planner walks every article instead of using the GIN index.
        A GIN index takes new entries into an unsorted pending list that every search reads
        in full until VACUUM merges it (migration 0007 bounds it for day-to-day writes); right
        after a rebuild it held 200-460 pages per index, and suggestions took p95 15 ms
        instead of 6 at 100,000 articles.
        """
        with self.connection.cursor() as cursor:
            for index in GIN_INDEXES:
                cursor.execute("SELECT gin_clean_pending_list(%s::regclass)", [index])
            cursor.execute("DELETE FROM search_vocabulary WHERE ndoc <= 0")
            cursor.execute("ANALYZE search_searchentry")
            cursor.execute("ANALYZE search_vocabulary")

    def index_size_bytes(self) -> int | None:
        with self.connection.cursor() as cursor:
            cursor.execute("SELECT pg_total_relation_size('search_searchentry')")
            return int(cursor.fetchone()[0])

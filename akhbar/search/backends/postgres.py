"""PostgreSQL engine: a generated tsvector (title A, body B) with GIN, ranked by ts_rank_cd."""

from __future__ import annotations

import re
from collections.abc import Iterable
from typing import Any

from akhbar.search.backends.base import SearchBackend, SearchFilters, SearchResults
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


class PostgresSearchBackend(SearchBackend):
    vendor = "postgresql"

    def _matches(
        self,
        query: ParsedQuery,
        filters: SearchFilters | None,
        offset: int,
        limit: int,
        any_word: bool,
    ) -> SearchResults:
        tsquery, tsparams = tsquery_sql(query, any_word)
        groups = self._facet_groups(filters)
        if not tsquery or not all(groups):
            return SearchResults(per_page=limit)
        live_sql, live_params = self._live_articles_sql(filters)
        facets = ""
        if groups:
            # The filters' facet terms, matched in their own GIN index (migration 0004).
            facets = " AND e.facets @@ to_tsquery('simple', %s)"
            tsparams = [*tsparams, facets_tsquery(groups)]
        base = (
            f"FROM search_searchentry e JOIN ({live_sql}) AS live ON live.id = e.article_id "
            f"CROSS JOIN (SELECT {tsquery} AS q) AS tsq WHERE e.document @@ tsq.q{facets}"
        )
        params = [*live_params, *tsparams]
        sql = (
            f"SELECT live.id, ts_rank_cd({WEIGHTS}, e.document, tsq.q, {NORMALIZATION}) AS score, "
            f"COUNT(*) OVER () {base} "
            "ORDER BY score DESC, live.published_at DESC, live.id DESC LIMIT %s OFFSET %s"
        )
        return self._run(sql, params, offset, limit, f"SELECT COUNT(*) {base}")

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
        """Title (weight A) matches via ``:A`` in the tsquery.

        ``to_tsquery`` syntax is built here, so every term is checked to be letters and
        digits only (analysed terms and vocabulary entries always are); anything else is
        dropped rather than quoted.
        """
        clean = [t for t in any_of if _SAFE_TERM.match(t)]
        if not clean:
            return []
        alternatives = " | ".join(f"{t}:A" for t in clean)
        needed = [f"{t}:A" for t in required if _SAFE_TERM.match(t)]
        text = " & ".join([*needed, f"({alternatives})"])
        with self.connection.cursor() as cursor:
            cursor.execute(
                "SELECT article_id FROM search_searchentry "
                "WHERE document @@ to_tsquery('simple', %s) ORDER BY article_id DESC LIMIT %s",
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
        """Refresh planner statistics after a bulk rebuild (autovacuum would, but later).

        With stale statistics the planner walks every article instead of using the GIN index.
        """
        with self.connection.cursor() as cursor:
            cursor.execute("DELETE FROM search_vocabulary WHERE ndoc <= 0")
            cursor.execute("ANALYZE search_searchentry")
            cursor.execute("ANALYZE search_vocabulary")

    def index_size_bytes(self) -> int | None:
        with self.connection.cursor() as cursor:
            cursor.execute("SELECT pg_total_relation_size('search_searchentry')")
            return int(cursor.fetchone()[0])

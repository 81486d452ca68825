"""PostgreSQL engine: a generated tsvector (title A, body B) with GIN, ranked by ts_rank_cd."""

from __future__ import annotations

from typing import Any

from akhbar.search.backends.base import SearchBackend, SearchFilters, SearchResults
from akhbar.search.query import ParsedQuery

__all__ = ["PostgresSearchBackend", "tsquery_sql"]

# ts_rank_cd weights are {D, C, B, A}: title (A) counts ten times the body (B), as in FTS5.
WEIGHTS = "'{0.1, 0.1, 0.1, 1.0}'::float4[]"
# Normalisation 1: divide by 1 + log(document length), so long articles don't win by size.
NORMALIZATION = 1


def tsquery_sql(query: ParsedQuery) -> tuple[str, list[Any]]:
    """SQL building the tsquery for ``query`` from bound parameters ("" if nothing positive).

    Never string-concatenates user text into tsquery syntax: each part is a parameter given
    to plainto_tsquery/phraseto_tsquery ('simple'), which treat it as plain words; the
    operators (&&, !!, and phrase <->) come from these functions, not from the input.
    """
    parts: list[str] = []
    params: list[Any] = []
    if query.terms:
        parts.append("plainto_tsquery('simple', %s)")
        params.append(" ".join(query.terms))
    for phrase in query.phrases:
        parts.append("phraseto_tsquery('simple', %s)")
        params.append(" ".join(phrase))
    if not parts:
        return "", []
    for phrase in query.excluded:
        parts.append("!! phraseto_tsquery('simple', %s)")
        params.append(" ".join(phrase))
    return " && ".join(parts), params


class PostgresSearchBackend(SearchBackend):
    vendor = "postgresql"

    def search(
        self,
        query: ParsedQuery,
        filters: SearchFilters | None = None,
        page: int = 1,
        per_page: int = 10,
    ) -> SearchResults:
        tsquery, tsparams = tsquery_sql(query)
        if not tsquery:
            return SearchResults(page=page, per_page=per_page)
        live_sql, live_params = self._live_articles_sql(filters)
        base = (
            f"FROM search_searchentry e JOIN ({live_sql}) AS live ON live.id = e.article_id "
            f"CROSS JOIN (SELECT {tsquery} AS q) AS tsq WHERE e.document @@ tsq.q"
        )
        params = [*live_params, *tsparams]
        sql = (
            f"SELECT live.id, ts_rank_cd({WEIGHTS}, e.document, tsq.q, {NORMALIZATION}) AS score, "
            f"COUNT(*) OVER () {base} "
            "ORDER BY score DESC, live.published_at DESC, live.id DESC LIMIT %s OFFSET %s"
        )
        offset = (page - 1) * per_page
        return self._run(sql, params, offset, per_page, page, f"SELECT COUNT(*) {base}")

    def optimize(self) -> None:
        """Refresh planner statistics after a bulk rebuild (autovacuum would, but later).

        With stale statistics the planner walks every article instead of using the GIN index.
        """
        with self.connection.cursor() as cursor:
            cursor.execute("ANALYZE search_searchentry")

    def index_size_bytes(self) -> int | None:
        with self.connection.cursor() as cursor:
            cursor.execute("SELECT pg_total_relation_size('search_searchentry')")
            return int(cursor.fetchone()[0])

"""SQLite engine: FTS5 over analysed terms, ranked by BM25 with the title weighted 10:1."""

from __future__ import annotations

from akhbar.search.backends.base import SearchBackend, SearchFilters, SearchResults
from akhbar.search.query import ParsedQuery

__all__ = ["SQLiteSearchBackend", "fts5_expression"]

# BM25 column weights: a word in the title counts ten times a word in the body.
_MATCHES = (
    "WITH m AS MATERIALIZED (SELECT rowid AS id, bm25(search_fts, 10.0, 1.0) AS score "
    "FROM search_fts WHERE search_fts MATCH %s) "
)


def _quote(term: str) -> str:
    # Terms are letters and digits only, but quoting every one keeps FTS5 from ever reading
    # a term as an operator (a stem that happened to be "near" or "not").
    return '"' + term.replace('"', '""') + '"'


def _phrase(terms: tuple[str, ...]) -> str:
    # "a" + "b" is FTS5 for the phrase "a b": consecutive tokens in one column.
    return " + ".join(_quote(t) for t in terms)


def fts5_expression(query: ParsedQuery) -> str:
    """The FTS5 MATCH string for ``query`` ("" if it has no positive part)."""
    positive = [_quote(t) for t in query.terms] + [_phrase(p) for p in query.phrases]
    if not positive:
        return ""
    expression = " AND ".join(positive)
    if query.excluded:
        excluded = " OR ".join(_phrase(p) for p in query.excluded)
        expression = f"({expression}) NOT ({excluded})"
    return expression


class SQLiteSearchBackend(SearchBackend):
    vendor = "sqlite"

    def search(
        self,
        query: ParsedQuery,
        filters: SearchFilters | None = None,
        page: int = 1,
        per_page: int = 10,
    ) -> SearchResults:
        expression = fts5_expression(query)
        if not expression:
            return SearchResults(page=page, per_page=per_page)
        live_sql, live_params = self._live_articles_sql(filters)
        # bm25() may only run inside the FTS5 scan itself, so the matches are ranked in a
        # materialised CTE first and joined to the live articles afterwards.
        # Only constants and ORM-compiled SQL are interpolated; user input is a bound parameter.
        matches = _MATCHES
        base = f"FROM m JOIN ({live_sql}) AS live ON live.id = m.id"
        params = [expression, *live_params]
        sql = (
            f"{matches}SELECT live.id, m.score, COUNT(*) OVER () {base} "
            "ORDER BY m.score, live.published_at DESC, live.id DESC LIMIT %s OFFSET %s"
        )
        offset = (page - 1) * per_page
        return self._run(sql, params, offset, per_page, page, f"{matches}SELECT COUNT(*) {base}")

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

"""The index's own vocabulary (term → number of articles), for ranking, "هل تقصد؟", short
proclitic words and as-you-type suggestions.

* SQLite: an ``fts5vocab`` view of the FTS5 index itself, so it is exact at every moment and
  survives FTS5 ``rebuild``/``optimize`` with nothing to maintain.
* PostgreSQL: ``ts_stat`` reads every tsvector on each call (seconds at 100,000 articles), so
  a ``search_vocabulary`` table is kept by statement-level triggers with transition tables:
  one grouped upsert per statement, whatever the number of rows it wrote (the indexer writes
  many rows per statement). Terms are upserted in term order so concurrent writers lock rows
  in the same order and cannot deadlock each other. ``COLLATE "C"`` makes the primary key
  ordered by code point, so prefix ranges (``term >= 'قو' AND term < 'قى'``) use the index.
  Rows that fall to zero are removed by the engine's ``optimize()``. A one-row
  ``search_statistics`` table keeps the entry count and total term counts the same way.
"""

from django.db import migrations

SQLITE_FORWARD = [
    "CREATE VIRTUAL TABLE search_fts_vocab USING fts5vocab(search_fts, 'row')",
]
SQLITE_BACKWARD = ["DROP TABLE IF EXISTS search_fts_vocab"]

_TERMS_OF = (
    "SELECT t AS term, count(*) AS n FROM {table} AS r, "
    "unnest(tsvector_to_array(r.document)) AS t GROUP BY t"
)
_LENGTH = "coalesce(sum(array_length(string_to_array(r.{column}, ' '), 1)), 0)"
_STATS_OF = (
    f"SELECT count(*) AS n, {_LENGTH.format(column='title_terms')} AS t, "
    f"{_LENGTH.format(column='body_terms')} AS b FROM {{table}} AS r"
)


def _trigger_function(name: str, table: str, sign: str) -> str:
    op = "-" if sign else "+"
    # Ordered upserts (also for removals, with a negative count): rows are locked in term
    # order, then the one statistics row, so two writers can never wait on each other in a
    # cycle.
    return f"""CREATE FUNCTION {name}() RETURNS trigger LANGUAGE plpgsql AS $$
    BEGIN
        INSERT INTO search_vocabulary AS v (term, ndoc)
        SELECT term, {sign}n FROM ({_TERMS_OF.format(table=table)}) AS d ORDER BY term
        ON CONFLICT (term) DO UPDATE SET ndoc = v.ndoc + excluded.ndoc;
        UPDATE search_statistics AS s SET ndoc = s.ndoc {op} d.n,
            title_length = s.title_length {op} d.t,
            body_length = s.body_length {op} d.b
        FROM ({_STATS_OF.format(table=table)}) AS d WHERE s.id = 1;
        RETURN NULL;
    END $$"""


POSTGRES_FORWARD = [
    """CREATE TABLE search_vocabulary (
        term text COLLATE "C" PRIMARY KEY,
        ndoc integer NOT NULL
    )""",
    # What BM25 needs besides document frequencies: how many entries, how many terms in all.
    """CREATE TABLE search_statistics (
        id integer PRIMARY KEY CHECK (id = 1),
        ndoc bigint NOT NULL, title_length bigint NOT NULL, body_length bigint NOT NULL
    )""",
    _trigger_function("search_vocabulary_add", "new_rows", ""),
    _trigger_function("search_vocabulary_remove", "old_rows", "-"),
    """CREATE TRIGGER search_vocabulary_ai AFTER INSERT ON search_searchentry
        REFERENCING NEW TABLE AS new_rows FOR EACH STATEMENT
        EXECUTE FUNCTION search_vocabulary_add()""",
    """CREATE TRIGGER search_vocabulary_ad AFTER DELETE ON search_searchentry
        REFERENCING OLD TABLE AS old_rows FOR EACH STATEMENT
        EXECUTE FUNCTION search_vocabulary_remove()""",
    # An UPDATE removes the old terms and adds the new ones (two triggers, same statement).
    """CREATE TRIGGER search_vocabulary_au_old AFTER UPDATE ON search_searchentry
        REFERENCING OLD TABLE AS old_rows FOR EACH STATEMENT
        EXECUTE FUNCTION search_vocabulary_remove()""",
    """CREATE TRIGGER search_vocabulary_au_new AFTER UPDATE ON search_searchentry
        REFERENCING NEW TABLE AS new_rows FOR EACH STATEMENT
        EXECUTE FUNCTION search_vocabulary_add()""",
    # Articles indexed before this migration.
    """INSERT INTO search_vocabulary (term, ndoc)
        SELECT word, ndoc FROM ts_stat('SELECT document FROM search_searchentry')""",
    f"""INSERT INTO search_statistics (id, ndoc, title_length, body_length)
        SELECT 1, d.n, d.t, d.b FROM ({_STATS_OF.format(table="search_searchentry")}) AS d""",
]
POSTGRES_BACKWARD = [
    "DROP TRIGGER IF EXISTS search_vocabulary_au_new ON search_searchentry",
    "DROP TRIGGER IF EXISTS search_vocabulary_au_old ON search_searchentry",
    "DROP TRIGGER IF EXISTS search_vocabulary_ad ON search_searchentry",
    "DROP TRIGGER IF EXISTS search_vocabulary_ai ON search_searchentry",
    "DROP FUNCTION IF EXISTS search_vocabulary_remove()",
    "DROP FUNCTION IF EXISTS search_vocabulary_add()",
    "DROP TABLE IF EXISTS search_statistics",
    "DROP TABLE IF EXISTS search_vocabulary",
]


def _run(statements_by_vendor):
    def run(apps, schema_editor):
        for sql in statements_by_vendor.get(schema_editor.connection.vendor, []):
            schema_editor.execute(sql)

    return run


class Migration(migrations.Migration):
    dependencies = [("search", "0002_pipeline_fts5_content_columns")]

    operations = [
        migrations.RunPython(
            _run({"sqlite": SQLITE_FORWARD, "postgresql": POSTGRES_FORWARD}),
            _run({"sqlite": SQLITE_BACKWARD, "postgresql": POSTGRES_BACKWARD}),
        ),
    ]

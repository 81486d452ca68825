"""Facet terms: section, author and UTC month of each entry, as terms the engine can match.

A filtered search (section, author, date range) used to join every full-text match to the
articles table before it could count or rank them: ~150 ms at 100,000 articles for a common
word (issue #12). With the facets indexed, the filter is one more term in the match and the
engine intersects it in its own index (see ``akhbar.search.terms``).

* SQLite: FTS5 gets a third column, ``facet_terms`` (weight 0 in ``bm25()``). FTS5 cannot add
  a column, so the table, its triggers and its ``fts5vocab`` view are recreated and rebuilt
  from the content table (no article is re-analysed).
* PostgreSQL: a generated ``facets`` tsvector with its own GIN index, beside ``document``, so
  ranking and the vocabulary table never see a facet.

Existing entries get their facets from the articles table here, in one statement.
"""

from django.db import migrations, models

_SQLITE_FACETS = """UPDATE search_searchentry SET facet_terms = (
    SELECT trim(
        CASE WHEN a.category_id IS NULL THEN '' ELSE 'c' || a.category_id END
        || CASE WHEN a.author_id IS NULL THEN '' ELSE ' a' || a.author_id END
        || CASE WHEN a.published_at IS NULL THEN ''
            ELSE ' m' || strftime('%Y%m', a.published_at) END)
    FROM newsroom_article AS a WHERE a.id = search_searchentry.article_id
)"""
_POSTGRES_FACETS = """UPDATE search_searchentry AS e SET facet_terms = trim(
    CASE WHEN a.category_id IS NULL THEN '' ELSE 'c' || a.category_id END
    || CASE WHEN a.author_id IS NULL THEN '' ELSE ' a' || a.author_id END
    || CASE WHEN a.published_at IS NULL THEN ''
        ELSE ' m' || to_char(a.published_at AT TIME ZONE 'UTC', 'YYYYMM') END)
    FROM newsroom_article AS a WHERE a.id = e.article_id"""


def _fts(columns: tuple[str, ...]) -> list[str]:
    """The FTS5 table over ``columns`` of the content table, its triggers and vocabulary."""
    names = ", ".join(columns)
    new = ", ".join(f"new.{c}" for c in columns)
    old = ", ".join(f"old.{c}" for c in columns)
    return [
        f"""CREATE VIRTUAL TABLE search_fts USING fts5(
            {names},
            content='search_searchentry', content_rowid='article_id',
            tokenize='unicode61 remove_diacritics 0'
        )""",
        f"""CREATE TRIGGER search_entry_ai AFTER INSERT ON search_searchentry BEGIN
            INSERT INTO search_fts(rowid, {names}) VALUES (new.article_id, {new});
        END""",
        f"""CREATE TRIGGER search_entry_ad AFTER DELETE ON search_searchentry BEGIN
            INSERT INTO search_fts(search_fts, rowid, {names})
            VALUES ('delete', old.article_id, {old});
        END""",
        f"""CREATE TRIGGER search_entry_au AFTER UPDATE ON search_searchentry BEGIN
            INSERT INTO search_fts(search_fts, rowid, {names})
            VALUES ('delete', old.article_id, {old});
            INSERT INTO search_fts(rowid, {names}) VALUES (new.article_id, {new});
        END""",
        "INSERT INTO search_fts(search_fts) VALUES ('rebuild')",
        "CREATE VIRTUAL TABLE search_fts_vocab USING fts5vocab(search_fts, 'row')",
    ]


_SQLITE_DROP = [
    "DROP TABLE IF EXISTS search_fts_vocab",
    "DROP TRIGGER IF EXISTS search_entry_au",
    "DROP TRIGGER IF EXISTS search_entry_ad",
    "DROP TRIGGER IF EXISTS search_entry_ai",
    "DROP TABLE IF EXISTS search_fts",
]
_TWO_COLUMNS = ("title_terms", "body_terms")
_THREE_COLUMNS = ("title_terms", "body_terms", "facet_terms")

# Before the column is added (on SQLite, adding it remakes the table, which drops triggers).
BEFORE = {"sqlite": _SQLITE_DROP, "postgresql": []}
AFTER = {
    "sqlite": [_SQLITE_FACETS, *_fts(_THREE_COLUMNS)],
    "postgresql": [
        # The vocabulary triggers would subtract and re-add every entry's terms, unchanged.
        "ALTER TABLE search_searchentry DISABLE TRIGGER search_vocabulary_au_old",
        "ALTER TABLE search_searchentry DISABLE TRIGGER search_vocabulary_au_new",
        _POSTGRES_FACETS,
        "ALTER TABLE search_searchentry ENABLE TRIGGER search_vocabulary_au_old",
        "ALTER TABLE search_searchentry ENABLE TRIGGER search_vocabulary_au_new",
        """ALTER TABLE search_searchentry ADD COLUMN facets tsvector
            GENERATED ALWAYS AS (to_tsvector('simple'::regconfig, facet_terms)) STORED""",
        "CREATE INDEX search_entry_facets_gin ON search_searchentry USING gin (facets)",
    ],
}
# Backwards: the FTS5 table without facets, before the column is removed again.
UNDO_AFTER = {
    "sqlite": _SQLITE_DROP,
    "postgresql": [
        "DROP INDEX IF EXISTS search_entry_facets_gin",
        "ALTER TABLE search_searchentry DROP COLUMN IF EXISTS facets",
    ],
}
UNDO_BEFORE = {"sqlite": _SQLITE_DROP + _fts(_TWO_COLUMNS), "postgresql": []}


def _run(statements_by_vendor):
    def run(apps, schema_editor):
        for sql in statements_by_vendor.get(schema_editor.connection.vendor, []):
            schema_editor.execute(sql)

    return run


class Migration(migrations.Migration):
    dependencies = [("search", "0003_search_vocabulary"), ("newsroom", "0001_initial")]

    operations = [
        migrations.RunPython(_run(BEFORE), _run(UNDO_BEFORE)),
        migrations.AddField(
            model_name="searchentry",
            name="facet_terms",
            field=models.TextField(blank=True, default="", verbose_name="مصطلحات التصفية"),
        ),
        migrations.RunPython(_run(AFTER), _run(UNDO_AFTER)),
    ]

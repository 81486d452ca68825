"""FTS5's columns take the names of its content table's columns, so FTS5 can read them.

An external-content FTS5 table reads its content table *by column name* whenever it needs the
stored text: ``INSERT INTO search_fts(search_fts) VALUES('rebuild')``, ``'integrity-check'``,
and auxiliary functions such as ``snippet()``. Migration 0001 named the columns ``title`` and
``body`` while ``search_searchentry`` has ``title_terms`` and ``body_terms``, so a rebuild
failed with "no such column: T.title" (issue #13, item 10). The table is recreated with the
content table's names and rebuilt from it (no article is re-analysed). Column order is
unchanged, so ``bm25(search_fts, 10.0, 1.0)`` weighs the same columns.
"""

from django.db import migrations

FORWARD = [
    "DROP TRIGGER IF EXISTS search_entry_au",
    "DROP TRIGGER IF EXISTS search_entry_ad",
    "DROP TRIGGER IF EXISTS search_entry_ai",
    "DROP TABLE IF EXISTS search_fts",
    """CREATE VIRTUAL TABLE search_fts USING fts5(
        title_terms, body_terms,
        content='search_searchentry', content_rowid='article_id',
        tokenize='unicode61 remove_diacritics 0'
    )""",
    """CREATE TRIGGER search_entry_ai AFTER INSERT ON search_searchentry BEGIN
        INSERT INTO search_fts(rowid, title_terms, body_terms)
        VALUES (new.article_id, new.title_terms, new.body_terms);
    END""",
    """CREATE TRIGGER search_entry_ad AFTER DELETE ON search_searchentry BEGIN
        INSERT INTO search_fts(search_fts, rowid, title_terms, body_terms)
        VALUES ('delete', old.article_id, old.title_terms, old.body_terms);
    END""",
    """CREATE TRIGGER search_entry_au AFTER UPDATE ON search_searchentry BEGIN
        INSERT INTO search_fts(search_fts, rowid, title_terms, body_terms)
        VALUES ('delete', old.article_id, old.title_terms, old.body_terms);
        INSERT INTO search_fts(rowid, title_terms, body_terms)
        VALUES (new.article_id, new.title_terms, new.body_terms);
    END""",
    "INSERT INTO search_fts(search_fts) VALUES ('rebuild')",
]

BACKWARD = [
    "DROP TRIGGER IF EXISTS search_entry_au",
    "DROP TRIGGER IF EXISTS search_entry_ad",
    "DROP TRIGGER IF EXISTS search_entry_ai",
    "DROP TABLE IF EXISTS search_fts",
    """CREATE VIRTUAL TABLE search_fts USING fts5(
        title, body,
        content='search_searchentry', content_rowid='article_id',
        tokenize='unicode61 remove_diacritics 0'
    )""",
    """CREATE TRIGGER search_entry_ai AFTER INSERT ON search_searchentry BEGIN
        INSERT INTO search_fts(rowid, title, body)
        VALUES (new.article_id, new.title_terms, new.body_terms);
    END""",
    """CREATE TRIGGER search_entry_ad AFTER DELETE ON search_searchentry BEGIN
        INSERT INTO search_fts(search_fts, rowid, title, body)
        VALUES ('delete', old.article_id, old.title_terms, old.body_terms);
    END""",
    """CREATE TRIGGER search_entry_au AFTER UPDATE ON search_searchentry BEGIN
        INSERT INTO search_fts(search_fts, rowid, title, body)
        VALUES ('delete', old.article_id, old.title_terms, old.body_terms);
        INSERT INTO search_fts(rowid, title, body)
        VALUES (new.article_id, new.title_terms, new.body_terms);
    END""",
    "INSERT INTO search_fts(rowid, title, body) "
    "SELECT article_id, title_terms, body_terms FROM search_searchentry",
]


def _run(statements):
    def run(apps, schema_editor):
        if schema_editor.connection.vendor == "sqlite":
            for sql in statements:
                schema_editor.execute(sql)

    return run


class Migration(migrations.Migration):
    dependencies = [("search", "0001_initial")]

    operations = [migrations.RunPython(_run(FORWARD), _run(BACKWARD))]

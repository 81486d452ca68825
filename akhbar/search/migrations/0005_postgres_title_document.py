"""PostgreSQL: the title's terms as their own tsvector, for as-you-type suggestions.

Suggestions want the newest entries whose *title* holds the typed words. Asked of the whole
``document`` (``term:A``), GIN cannot tell a title from a body: it returns every entry with
the term anywhere, and PostgreSQL then reads each one's document (out of line, compressed)
to check the weight. For a prefix whose completions are common words that was most of
100,000 entries: p95 ~400-800 ms (issue #12, criterion 7: 10 ms). ``title_document`` is
small enough to stay in the row, and its GIN index lists title occurrences only.

SQLite needs nothing: FTS5 restricts a match to one column in its own index
(``title_terms : (...)``).
"""

from django.db import migrations

FORWARD = [
    """ALTER TABLE search_searchentry ADD COLUMN IF NOT EXISTS title_document tsvector
        GENERATED ALWAYS AS (to_tsvector('simple'::regconfig, title_terms)) STORED""",
    "CREATE INDEX IF NOT EXISTS search_entry_title_gin ON search_searchentry "
    "USING gin (title_document)",
]
BACKWARD = [
    "DROP INDEX IF EXISTS search_entry_title_gin",
    "ALTER TABLE search_searchentry DROP COLUMN IF EXISTS title_document",
]


def _run(statements):
    def run(apps, schema_editor):
        if schema_editor.connection.vendor == "postgresql":
            for sql in statements:
                schema_editor.execute(sql)

    return run


class Migration(migrations.Migration):
    dependencies = [("search", "0004_facet_terms")]

    operations = [migrations.RunPython(_run(FORWARD), _run(BACKWARD))]

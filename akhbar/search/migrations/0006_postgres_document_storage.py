"""PostgreSQL: keep each entry's ``document`` in its row, compressed with lz4 where it can.

Ranking (``ts_rank_cd``) and re-checking a match read the whole tsvector. Stored the default
way (EXTENDED, pglz), a 300-500-word article's document lives out of line in the TOAST
table: every match costs an index lookup, a chunk fetch and a pglz decompression. MAIN keeps
it compressed in the row whenever it fits (out of line only as a last resort), and lz4
decompresses several times faster than pglz. Measured at 100,000 articles, ranking every
match of one common word (54,000 matches): 692 ms before, 210 ms after; of two common
words (26,000): 508 ms before, 230-243 ms after.

The storage applies to values written afterwards, so the entries are rewritten once (the
vocabulary triggers are paused: the terms do not change): about 46 s at 100,000 entries.
lz4 needs a server built with it (Debian's is); without it the column keeps pglz.
"""

from django.db import migrations

FORWARD = [
    "ALTER TABLE search_searchentry ALTER COLUMN document SET STORAGE MAIN",
    """DO $$ BEGIN
        ALTER TABLE search_searchentry ALTER COLUMN document SET COMPRESSION lz4;
    EXCEPTION WHEN feature_not_supported OR invalid_parameter_value THEN
        RAISE NOTICE 'lz4 unavailable: search documents stay pglz-compressed';
    END $$""",
    "ALTER TABLE search_searchentry DISABLE TRIGGER search_vocabulary_au_old",
    "ALTER TABLE search_searchentry DISABLE TRIGGER search_vocabulary_au_new",
    # Generated columns are recomputed on any update of their row.
    "UPDATE search_searchentry SET title_terms = title_terms",
    "ALTER TABLE search_searchentry ENABLE TRIGGER search_vocabulary_au_old",
    "ALTER TABLE search_searchentry ENABLE TRIGGER search_vocabulary_au_new",
]
BACKWARD = [
    "ALTER TABLE search_searchentry ALTER COLUMN document SET STORAGE EXTENDED",
    "ALTER TABLE search_searchentry ALTER COLUMN document SET COMPRESSION default",
]


def _run(statements):
    def run(apps, schema_editor):
        if schema_editor.connection.vendor == "postgresql":
            for sql in statements:
                schema_editor.execute(sql)

    return run


class Migration(migrations.Migration):
    dependencies = [("search", "0005_postgres_title_document")]

    operations = [migrations.RunPython(_run(FORWARD), _run(BACKWARD))]

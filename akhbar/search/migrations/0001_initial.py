"""Search index: the analysed-terms table plus the engine's own full-text index.

Django has no portable operation for FTS5 or tsvector, so the engine part is raw SQL run only
on the matching ``connection.vendor``; any other database gets just the plain table.
"""

import django.db.models.deletion
from django.db import migrations, models

SQLITE_FORWARD = [
    # Terms are pre-normalised (no diacritics, one spelling), so unicode61 only has to split
    # on the spaces between them; remove_diacritics 0 keeps it from folding anything further.
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
]
SQLITE_BACKWARD = [
    "DROP TRIGGER IF EXISTS search_entry_au",
    "DROP TRIGGER IF EXISTS search_entry_ad",
    "DROP TRIGGER IF EXISTS search_entry_ai",
    "DROP TABLE IF EXISTS search_fts",
]
POSTGRES_FORWARD = [
    # 'simple' = lower-case only, no stemming, no stop words: the terms are already analysed.
    """ALTER TABLE search_searchentry ADD COLUMN document tsvector
        GENERATED ALWAYS AS (
            setweight(to_tsvector('simple'::regconfig, title_terms), 'A')
            || setweight(to_tsvector('simple'::regconfig, body_terms), 'B')
        ) STORED""",
    "CREATE INDEX search_entry_document_gin ON search_searchentry USING gin (document)",
]
POSTGRES_BACKWARD = [
    "DROP INDEX IF EXISTS search_entry_document_gin",
    "ALTER TABLE search_searchentry DROP COLUMN IF EXISTS document",
]


def _run(statements_by_vendor):
    def run(apps, schema_editor):
        for sql in statements_by_vendor.get(schema_editor.connection.vendor, []):
            schema_editor.execute(sql)

    return run


class Migration(migrations.Migration):
    initial = True

    dependencies = [
        ("newsroom", "0001_initial"),
    ]

    operations = [
        migrations.CreateModel(
            name="SearchEntry",
            fields=[
                (
                    "article",
                    models.OneToOneField(
                        on_delete=django.db.models.deletion.CASCADE,
                        primary_key=True,
                        related_name="search_entry",
                        serialize=False,
                        to="newsroom.article",
                        verbose_name="المقال",
                    ),
                ),
                ("title_terms", models.TextField(blank=True, verbose_name="مصطلحات العنوان")),
                ("body_terms", models.TextField(blank=True, verbose_name="مصطلحات النص")),
            ],
            options={
                "verbose_name": "مدخل فهرس البحث",
                "verbose_name_plural": "فهرس البحث",
            },
        ),
        migrations.RunPython(
            _run({"sqlite": SQLITE_FORWARD, "postgresql": POSTGRES_FORWARD}),
            _run({"sqlite": SQLITE_BACKWARD, "postgresql": POSTGRES_BACKWARD}),
        ),
    ]

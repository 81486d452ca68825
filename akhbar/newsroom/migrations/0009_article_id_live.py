"""A covering index saying whether an article is live, and its planner statistics."""

from django.db import migrations, models
from django.db.backends.base.schema import BaseDatabaseSchemaEditor
from django.db.migrations.state import StateApps


def analyze(apps: StateApps, schema_editor: BaseDatabaseSchemaEditor) -> None:
    """Give the planner the new index's statistics now, not at the next daily upkeep.

    SQLite with no ``sqlite_stat1`` row for an index assumes the primary key is better and
    keeps reading whole rows. Only this index is analysed (cheap, whatever the archive);
    PostgreSQL plans from the table's statistics, which autovacuum keeps.
    """
    if schema_editor.connection.vendor == "sqlite":
        schema_editor.execute("ANALYZE article_id_live")


class Migration(migrations.Migration):
    dependencies = [("newsroom", "0008_article_author_status_pub")]

    operations = [
        migrations.AddIndex(
            model_name="article",
            index=models.Index(fields=["id", "status", "published_at"], name="article_id_live"),
        ),
        migrations.RunPython(analyze, migrations.RunPython.noop, elidable=True),
    ]

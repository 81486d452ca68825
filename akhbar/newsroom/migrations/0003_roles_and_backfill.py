"""Create the newsroom role groups and backfill the new derived article fields."""

from django.contrib.auth.management import create_permissions
from django.db import migrations
from django.db.models import F


def make_roles(apps, schema_editor):
    # Permissions are normally created after all migrations; roles need them now.
    for app_config in apps.get_app_configs():
        app_config.models_module = True
        create_permissions(app_config, apps=apps, verbosity=0)
        app_config.models_module = None
    from akhbar.newsroom.roles import sync_roles

    sync_roles(apps)


def backfill(apps, schema_editor):
    from akhbar.newsroom.models import reading_minutes

    Article = apps.get_model("newsroom", "Article")
    # Already-live articles must not fire "went live" hooks again.
    Article.objects.filter(status="published", published_at__isnull=False).update(
        went_live_at=F("published_at")
    )
    for article in Article.objects.only("pk", "body").iterator():
        Article.objects.filter(pk=article.pk).update(reading_minutes=reading_minutes(article.body))


class Migration(migrations.Migration):
    dependencies = [
        ("newsroom", "0002_workflow_revisions_images"),
        ("comments", "0001_initial"),
        ("site", "0001_initial"),
        ("auth", "0012_alter_user_first_name_max_length"),
        ("contenttypes", "0002_remove_content_type_name"),
    ]

    operations = [
        migrations.RunPython(make_roles, migrations.RunPython.noop),
        migrations.RunPython(backfill, migrations.RunPython.noop),
    ]

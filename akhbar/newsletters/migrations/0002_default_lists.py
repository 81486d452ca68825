from django.conf import settings
from django.db import migrations


def create(apps, schema_editor):
    NewsletterList = apps.get_model("newsletters", "NewsletterList")
    tz = getattr(settings, "TIME_ZONE", "UTC") or "UTC"
    NewsletterList.objects.get_or_create(
        slug="daily",
        defaults={
            "name": "النشرة اليومية",
            "kind": "digest",
            "description": "أبرز أخبار اليوم كل صباح.",
            "time_zone": tz,
            "position": 0,
        },
    )
    NewsletterList.objects.get_or_create(
        slug="breaking",
        defaults={
            "name": "أخبار عاجلة",
            "kind": "breaking",
            "description": "رسالة فور وقوع خبر مهم.",
            "time_zone": tz,
            "position": 1,
        },
    )


class Migration(migrations.Migration):
    dependencies = [("newsletters", "0001_initial")]
    operations = [migrations.RunPython(create, migrations.RunPython.noop)]

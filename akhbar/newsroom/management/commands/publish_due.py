"""``manage.py publish_due`` (or ``akhbar publish_due``): run "went live" hooks for due articles.

Readers need no cron: scheduled articles appear by themselves at their time, and the
background worker runs this every 30 seconds (akhbar.pipeline.schedule) so subscribers of
``ArticlePublished`` (search, caches, newsletters…) hear of each one once. Run it by hand only
when no worker is running.
"""

from typing import Any

from django.core.management.base import BaseCommand

from akhbar.newsroom.services import flush_hits, publish_due


class Command(BaseCommand):
    help = "Record scheduled articles that went live, fire their hooks, and flush read counts."

    def handle(self, *args: Any, **options: Any) -> None:
        done = publish_due()
        for article in done:
            self.stdout.write(f"went live: {article.pk} {article.slug}")
        reads = flush_hits()
        self.stdout.write(f"{len(done)} article(s) went live; {reads} read(s) flushed.")

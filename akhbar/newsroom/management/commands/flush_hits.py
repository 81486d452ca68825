"""``manage.py flush_hits``: write the read counts buffered in the cache to the database."""

from typing import Any

from django.core.management.base import BaseCommand

from akhbar.newsroom.services import flush_hits


class Command(BaseCommand):
    help = "Add buffered read counts to Article.view_count."

    def handle(self, *args: Any, **options: Any) -> None:
        self.stdout.write(f"{flush_hits()} read(s) flushed.")

"""``manage.py export_wordpress OUT.xml``: the newsroom as a WordPress export (WXR 1.2)."""

from __future__ import annotations

from typing import Any

from django.core.management.base import BaseCommand, CommandError, CommandParser

from akhbar.core.progress import CommandProgress, progress_enabled
from akhbar.importers.export import WxrExporter
from akhbar.newsroom.models import Article


class Command(BaseCommand):
    help = "Write posts, pages, categories, tags, authors and comments as WXR 1.2."

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("out", help="file to write (WordPress: Tools → Import → WordPress)")
        parser.add_argument(
            "--base-url", default="http://localhost", help="site address used in links"
        )
        parser.add_argument("--no-progress", action="store_true", help="no progress bar")

    def handle(self, *args: Any, **options: Any) -> None:
        exporter = WxrExporter(options["base_url"])
        total = Article.objects.count()
        enabled = progress_enabled(options) and total > 0
        try:
            with CommandProgress(
                self, "Exporting articles", total=total, enabled=enabled
            ) as progress:
                counts = exporter.export(options["out"], progress.advance if enabled else None)
        except OSError as exc:
            raise CommandError(f"Cannot write {options['out']}: {exc.strerror or exc}") from exc
        progress.summary("Exported " + ", ".join(f"{n} {kind}" for kind, n in counts.items()))

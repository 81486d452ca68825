"""``manage.py export_wordpress OUT.xml``: the newsroom as a WordPress export (WXR 1.2)."""

from __future__ import annotations

from typing import Any

from django.core.management.base import BaseCommand, CommandError, CommandParser
from rich.progress import BarColumn, MofNCompleteColumn, Progress, TextColumn, TimeRemainingColumn

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
        try:
            if options["no_progress"] or not total:
                counts = exporter.export(options["out"])
            else:
                with Progress(
                    TextColumn("Exporting articles"),
                    BarColumn(),
                    MofNCompleteColumn(),
                    TimeRemainingColumn(),
                    transient=True,
                ) as bar:
                    task = bar.add_task("export", total=total)
                    counts = exporter.export(options["out"], lambda n: bar.advance(task, n))
        except OSError as exc:
            raise CommandError(f"Cannot write {options['out']}: {exc.strerror or exc}") from exc
        self.stdout.write("Exported " + ", ".join(f"{n} {kind}" for kind, n in counts.items()))

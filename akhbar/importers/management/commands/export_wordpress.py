"""``manage.py export_wordpress OUT.xml``: the newsroom as a WordPress export (WXR 1.2)."""

from __future__ import annotations

from typing import Any

from django.core.management.base import BaseCommand, CommandError, CommandParser

from akhbar.importers.export import WxrExporter


class Command(BaseCommand):
    help = "Write posts, pages, categories, tags, authors and comments as WXR 1.2."

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("out", help="file to write (WordPress: Tools → Import → WordPress)")
        parser.add_argument(
            "--base-url", default="http://localhost", help="site address used in links"
        )

    def handle(self, *args: Any, **options: Any) -> None:
        try:
            counts = WxrExporter(options["base_url"]).export(options["out"])
        except OSError as exc:
            raise CommandError(f"Cannot write {options['out']}: {exc.strerror or exc}") from exc
        self.stdout.write("Exported " + ", ".join(f"{n} {kind}" for kind, n in counts.items()))

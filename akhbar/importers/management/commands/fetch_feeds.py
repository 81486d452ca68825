"""``manage.py fetch_feeds`` (or ``akhbar fetch_feeds``): pull every active partner feed."""

from __future__ import annotations

from typing import IO, Any, cast

from django.core.management.base import BaseCommand, CommandError, CommandParser
from rich.console import Console
from rich.table import Table

from akhbar.importers.feeds import DEFAULT_TIMEOUT, fetch_all
from akhbar.importers.models import PartnerFeed


class Command(BaseCommand):
    help = "Fetch the active partner feeds (conditional GET) and turn new items into articles."

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("--feed", type=int, action="append", help="only this source id")
        parser.add_argument(
            "--timeout", type=float, default=DEFAULT_TIMEOUT, help="seconds per source"
        )

    def handle(self, *args: Any, **options: Any) -> None:
        if options["timeout"] <= 0:
            raise CommandError("--timeout must be positive")
        feeds = PartnerFeed.objects.filter(is_active=True)
        if options["feed"]:
            feeds = PartnerFeed.objects.filter(pk__in=options["feed"])
            missing = set(options["feed"]) - set(feeds.values_list("pk", flat=True))
            if missing:
                raise CommandError(f"No partner feed with id {', '.join(map(str, missing))}")
        results = fetch_all(feeds, timeout=options["timeout"])
        table = Table(title="Partner feeds")
        for column in ("Source", "Result", "Created", "Skipped", "Error"):
            table.add_column(column)
        for r in results:
            skipped = ", ".join(f"{n} {why}" for why, n in r.skipped.items()) or "0"
            table.add_row(r.feed.name, r.outcome, str(r.created), skipped, r.error)
        # Django's OutputWrapper is a text stream (write, flush, isatty: all rich uses), typed
        # as TextIOBase, which typeshed does not count as an IO[str].
        Console(file=cast(IO[str], self.stdout)).print(table)

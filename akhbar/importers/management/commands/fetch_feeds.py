"""``manage.py fetch_feeds`` (or ``akhbar fetch_feeds``): pull every active partner feed."""

from __future__ import annotations

from typing import IO, Any, cast

from django.core.management.base import BaseCommand, CommandError, CommandParser
from rich.console import Console
from rich.table import Table

from akhbar.core.progress import CommandProgress, progress_enabled
from akhbar.importers.feeds import DEFAULT_TIMEOUT, FetchResult, fetch_all
from akhbar.importers.models import PartnerFeed


class Command(BaseCommand):
    help = "Fetch the active partner feeds (conditional GET) and turn new items into articles."

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("--feed", type=int, action="append", help="only this source id")
        parser.add_argument(
            "--timeout", type=float, default=DEFAULT_TIMEOUT, help="seconds per source"
        )
        parser.add_argument("--no-progress", action="store_true", help="no progress bar")

    def handle(self, *args: Any, **options: Any) -> None:
        if options["timeout"] <= 0:
            raise CommandError("--timeout must be positive")
        feeds = PartnerFeed.objects.filter(is_active=True)
        if options["feed"]:
            feeds = PartnerFeed.objects.filter(pk__in=options["feed"])
            missing = set(options["feed"]) - set(feeds.values_list("pk", flat=True))
            if missing:
                raise CommandError(f"No partner feed with id {', '.join(map(str, missing))}")
        todo = list(feeds)
        enabled = progress_enabled(options) and bool(todo)
        with CommandProgress(
            self, "Fetching partner feeds", total=len(todo), enabled=enabled
        ) as progress:
            results = fetch_all(todo, timeout=options["timeout"], progress=progress.advance)
        self._print_table(results)
        progress.summary(
            f"Fetched {len(results)} partner feeds in {progress.elapsed:.1f}s: "
            f"{sum(r.created for r in results)} new articles, "
            f"{sum(r.outcome == 'not-modified' for r in results)} unchanged, "
            f"{sum(r.outcome == 'error' for r in results)} failed."
        )

    def _print_table(self, results: list[FetchResult]) -> None:
        """One row per source: what it gave, what was skipped and why, its error."""
        table = Table(title="Partner feeds")
        for column in ("Source", "Result", "Created", "Skipped", "Error"):
            table.add_column(column)
        for r in results:
            skipped = ", ".join(f"{n} {why}" for why, n in r.skipped.items()) or "0"
            table.add_row(r.feed.name, r.outcome, str(r.created), skipped, r.error)
        # Django's OutputWrapper is a text stream (write, flush, isatty: all rich uses), typed
        # as TextIOBase, which typeshed does not count as an IO[str].
        Console(file=cast(IO[str], self.stdout)).print(table)

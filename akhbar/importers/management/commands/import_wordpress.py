"""``manage.py import_wordpress FILE.xml`` (or ``akhbar import_wordpress FILE.xml``)."""

from __future__ import annotations

import os
from pathlib import Path
from typing import Any

from django.core.management.base import BaseCommand, CommandError, CommandParser
from rich.console import Console
from rich.table import Table

from akhbar.core.progress import CommandProgress, progress_enabled
from akhbar.importers.wordpress import BATCH_SIZE, ImportReport, WordPressImporter


def parse_author_map(values: list[str]) -> dict[str, str]:
    """``["samira=salma", ...]`` -> ``{"samira": "salma"}``; every USER must exist."""
    from django.contrib.auth import get_user_model

    mapping: dict[str, str] = {}
    for value in values:
        login, sep, username = value.partition("=")
        if not sep or not login.strip() or not username.strip():
            raise CommandError(f"--map-author expects LOGIN=USER, got {value!r}")
        mapping[login.strip()] = username.strip()
    users = get_user_model().objects.filter(username__in=mapping.values())
    missing = set(mapping.values()) - set(users.values_list("username", flat=True))
    if missing:
        raise CommandError(f"--map-author: no such user {', '.join(sorted(missing))}")
    return mapping


class Command(BaseCommand):
    help = (
        "Import a WordPress export (WXR): authors, categories, tags, posts, pages, comments. "
        "Re-running updates what was imported before. Old URLs keep working (301)."
    )

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("file", help="WordPress export file (Tools → Export in WordPress)")
        parser.add_argument(
            "--fetch-media",
            action="store_true",
            help="download attachment files (featured images) from the old site",
        )
        parser.add_argument(
            "--time-zone",
            help="time zone of the old site's local dates when GMT dates are missing "
            "(default: settings.TIME_ZONE)",
        )
        parser.add_argument("--no-progress", action="store_true", help="no progress bar")
        parser.add_argument(
            "--map-author",
            action="append",
            default=[],
            metavar="LOGIN=USER",
            help="credit the export's author LOGIN to the existing account USER (repeatable). "
            "Without it, an export never touches existing accounts: each author becomes a new, "
            "inactive contributor",
        )
        parser.add_argument(
            "--batch-size",
            type=int,
            default=BATCH_SIZE,
            help=f"posts written per transaction (default {BATCH_SIZE}); a batch that fails is "
            "redone one post at a time, so only the bad post is skipped. 1 = one by one",
        )
        parser.add_argument(
            "--live-indexing",
            action="store_true",
            help="update search and related articles on every save (slow) instead of "
            "rebuilding them once at the end",
        )

    def handle(self, *args: Any, **options: Any) -> None:
        author_map = parse_author_map(options.get("map_author") or [])
        path = Path(options["file"])
        if not path.is_file():
            raise CommandError(f"{path}: no such file")
        size = os.path.getsize(path)
        if options["batch_size"] < 1:
            raise CommandError("--batch-size must be at least 1")
        # OutputWrapper writes like a text stream; rich only needs write() and flush().
        console = Console(file=self.stdout, stderr=False)  # type: ignore[arg-type]
        try:
            import zoneinfo

            if options.get("time_zone"):
                zoneinfo.ZoneInfo(options["time_zone"])
        except (zoneinfo.ZoneInfoNotFoundError, ValueError) as exc:
            raise CommandError(f"Unknown time zone {options['time_zone']!r}") from exc
        with CommandProgress(
            self,
            f"Importing {path.name}",
            total=size,
            enabled=progress_enabled(options),
            transfer=True,
        ) as progress:
            importer = WordPressImporter(
                fetch_media=options["fetch_media"],
                time_zone=options.get("time_zone"),
                pause_indexing=not options["live_indexing"],
                batch_size=options["batch_size"],
                author_map=author_map,
                progress=progress.update,
            )
            report = importer.import_file(path)
        print_summary(console, report)
        if not report.ok:
            where = f" at line {report.fatal_line}" if report.fatal_line else ""
            done = sum(report.created.values()) + sum(report.updated.values())
            kept = (
                f" The {done} records before the fault were imported, each one complete; "
                "fix the file and run the command again to import the rest (nothing is "
                "duplicated)."
                if done
                else " Nothing was imported."
            )
            fatal = (report.fatal or "").rstrip()
            if not fatal.endswith((".", "!", "?")):
                fatal += "."
            raise CommandError(f"{path.name}{where}: {fatal}{kept}")
        progress.summary(
            f"Imported {path.name}: {sum(report.created.values())} created, "
            f"{sum(report.updated.values())} updated, {sum(report.skipped.values())} skipped "
            f"in {progress.elapsed:.1f}s."
        )


def print_summary(console: Console, report: ImportReport) -> None:
    table = Table(title=f"WordPress import: {report.site or 'unknown site'}")
    table.add_column("Kind")
    table.add_column("Created", justify="right")
    table.add_column("Updated", justify="right")
    table.add_column("Skipped", justify="right")
    for kind in report.kinds():
        table.add_row(
            kind,
            str(report.created.get(kind, 0)),
            str(report.updated.get(kind, 0)),
            str(report.skipped_total(kind)),
        )
    console.print(table)
    if report.skipped:
        reasons = Table(title="Skipped, with reasons")
        reasons.add_column("Kind")
        reasons.add_column("Reason")
        reasons.add_column("Count", justify="right")
        for (kind, reason), count in sorted(report.skipped.items()):
            reasons.add_row(kind, reason, str(count))
        console.print(reasons)
    for message in report.notes:
        console.print(f"[green]done[/] {message}", markup=True, highlight=False)
    for message in report.errors:
        console.print(f"[red]error[/] {message}", markup=True, highlight=False)
    for message in report.warnings:
        console.print(f"[yellow]warning[/] {message}", markup=True, highlight=False)

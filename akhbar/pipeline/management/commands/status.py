"""``akhbar status``: database, cache, jobs, indexes, feeds, comments and media in one table."""

from __future__ import annotations

import json
from typing import IO, Any, cast

from django.core.management.base import BaseCommand, CommandParser
from rich.console import Console
from rich.table import Table

STYLE = {"ok": "green", "warn": "yellow", "fail": "bold red"}


class Command(BaseCommand):
    help = (
        "Show the site's health: database, cache, job queue and worker, search and related "
        "indexes, partner feeds, pending comments, media disk use. Exit status 1 when a check "
        "failed."
    )

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument(
            "--json", action="store_true", help="one JSON object (ok, checks) for monitoring"
        )

    def handle(self, *args: Any, **options: Any) -> None:
        from akhbar.pipeline.status import site_status

        report = site_status()
        if options["json"]:
            self.stdout.write(json.dumps(report.as_dict(), ensure_ascii=False))
        else:
            table = Table(title="Akhbar status", title_justify="left")
            table.add_column("Check")
            table.add_column("State")
            table.add_column("Details", overflow="fold")
            for check in report.checks:
                state = f"[{STYLE[check.state]}]{check.state.upper()}[/]"
                table.add_row(check.name, state, check.summary)
            # OutputWrapper is a text stream (TextIOBase), not typed as IO[str].
            out = cast(IO[str], self.stdout)
            console = Console(file=out, width=max(100, Console().width))
            console.print(table)
            failed = [c.name for c in report.checks if c.state == "fail"]
            warned = [c.name for c in report.checks if c.state == "warn"]
            if failed:
                console.print(f"[bold red]UNHEALTHY[/]: {', '.join(failed)}")
            elif warned:
                console.print(f"[yellow]OK with warnings[/]: {', '.join(warned)}")
            else:
                console.print("[green]OK[/]")
        if not report.ok:
            raise SystemExit(1)

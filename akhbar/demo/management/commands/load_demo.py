import sys
from typing import Any

from django.core.management.base import BaseCommand, CommandParser
from rich.progress import BarColumn, MofNCompleteColumn, Progress, TextColumn

from akhbar.demo.newsroom import load_demo


class Command(BaseCommand):
    help = "Load the demo newsroom (idempotent: existing items are left as they are)."

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument(
            "--create-admin",
            action="store_true",
            help="Create a first superuser 'admin' with a random password if none exists.",
        )
        parser.add_argument("--no-progress", action="store_true", help="no progress bar")

    def handle(self, *args: Any, create_admin: bool = False, **options: Any) -> None:
        if options.get("no_progress") or not sys.stderr.isatty():
            report = load_demo(create_admin=create_admin)
        else:
            with Progress(
                TextColumn("Loading demo articles"),
                BarColumn(),
                MofNCompleteColumn(),
                transient=True,
            ) as bar:
                task = bar.add_task("demo", total=None)
                report = load_demo(
                    create_admin=create_admin,
                    progress=lambda done, total: bar.update(task, completed=done, total=total),
                )
        if report.created:
            summary = ", ".join(f"{n} {kind}" for kind, n in report.created.items())
            self.stdout.write(self.style.SUCCESS(f"Demo newsroom loaded: {summary}."))
        else:
            self.stdout.write("Demo newsroom already loaded; nothing to add.")
        if report.admin_password:
            self.stdout.write(
                self.style.WARNING(
                    "Created administrator 'admin' with password "
                    f"{report.admin_password} (shown once; change it with `make admin-password`)."
                )
            )

from typing import Any

from django.core.management.base import BaseCommand, CommandParser

from akhbar.core.progress import CommandProgress, progress_enabled
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
        enabled = progress_enabled(options)
        with CommandProgress(self, "Loading demo articles", enabled=enabled) as progress:
            report = load_demo(
                create_admin=create_admin, progress=progress.update if enabled else None
            )
        if report.created:
            summary = ", ".join(f"{n} {kind}" for kind, n in report.created.items())
            progress.summary(f"Demo newsroom loaded: {summary}.", self.style.SUCCESS)
        else:
            progress.summary("Demo newsroom already loaded; nothing to add.")
        if report.admin_password:
            self.stdout.write(
                self.style.WARNING(
                    "Created administrator 'admin' with password "
                    f"{report.admin_password} (shown once; change it with `make admin-password`)."
                )
            )

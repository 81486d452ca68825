from typing import Any

from django.core.management.base import BaseCommand, CommandParser

from akhbar.core.progress import CommandProgress, progress_enabled
from akhbar.newsletters import editions


class Command(BaseCommand):
    help = (
        "Assemble digests whose local send time has come and start or resume sending "
        "(run every minute from cron if the worker's scheduler is not used)."
    )

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument(
            "--now", action="store_true", help="send in this process instead of the job queue"
        )
        parser.add_argument(
            "--no-progress", action="store_true", help="no progress bar (with --now)"
        )

    def handle(self, *args: Any, **options: Any) -> None:
        enabled = progress_enabled(options) and options["now"]
        with CommandProgress(self, "Assembling editions", enabled=enabled) as progress:
            report = editions.send_due_editions(enqueue=not options["now"])
            if options["now"]:
                from akhbar.newsletters import sending

                for pk in report.started:
                    label = f"Sending edition {pk}"

                    def on_batch(sent: sending.Progress, due: int, label: str = label) -> None:
                        progress.stage(label, sent.attempted + sent.skipped, due)

                    p = sending.send_edition(pk, on_batch=on_batch if enabled else None)
                    self.stdout.write(f"edition {pk}: {p.describe()}")
        progress.summary(
            f"{len(report.created)} edition(s) assembled, {len(report.started)} sending"
        )

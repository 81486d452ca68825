from typing import Any

from django.core.management.base import BaseCommand, CommandParser

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

    def handle(self, *args: Any, **options: Any) -> None:
        report = editions.send_due_editions(enqueue=not options["now"])
        if options["now"]:
            from akhbar.newsletters import sending

            for pk in report.started:
                p = sending.send_edition(pk)
                self.stdout.write(
                    f"edition {pk}: {p.sent} sent, {p.retry} to retry, {p.failed} failed, "
                    f"{p.uncertain} uncertain, {p.skipped} skipped"
                )
        self.stdout.write(
            f"{len(report.created)} edition(s) assembled, {len(report.started)} sending"
        )

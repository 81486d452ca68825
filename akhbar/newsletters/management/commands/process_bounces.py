from pathlib import Path
from typing import Any

from django.core.management.base import BaseCommand, CommandError, CommandParser

from akhbar.core.progress import CommandProgress, progress_enabled
from akhbar.newsletters import bounces


class Command(BaseCommand):
    help = (
        "Read bounces, complaints and mailed unsubscribes from a Maildir or mbox (where the "
        "bounce domain's bounces+*@ / unsubscribe+*@ mail is delivered) and remove them."
    )

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("mailbox", help="path to a Maildir directory or an mbox file")
        parser.add_argument("--keep", action="store_true", help="do not delete processed mail")
        parser.add_argument("--no-progress", action="store_true", help="no progress bar")

    def handle(self, *args: Any, **options: Any) -> None:
        path = Path(options["mailbox"])
        if not path.exists():
            raise CommandError(f"mailbox not found: {path}")
        enabled = progress_enabled(options)
        with CommandProgress(self, "Reading bounce mail", enabled=enabled) as progress:
            r = bounces.process_mailbox(
                path, remove=not options["keep"], on_message=progress.update if enabled else None
            )
        progress.summary(
            f"{r.bounced} bounced, {r.soft} soft, {r.complaints} complaints, "
            f"{r.unsubscribed} unsubscribed, {r.ignored} ignored, {len(r.errors)} errors"
        )

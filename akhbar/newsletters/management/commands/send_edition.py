from collections.abc import Callable
from typing import Any

from django.core.management.base import BaseCommand, CommandError, CommandParser

from akhbar.core.progress import CommandProgress, progress_enabled
from akhbar.newsletters import sending
from akhbar.newsletters.models import Edition


def batch_progress(progress: CommandProgress) -> Callable[[sending.Progress, int], None]:
    """``send_edition``'s ``on_batch`` as a bar: messages done (skipped ones too) of those due."""

    def on_batch(p: sending.Progress, due: int) -> None:
        progress.update(p.attempted + p.skipped, due)

    return on_batch


class Command(BaseCommand):
    help = "Send (or resume) one queued edition in this process; safe to run again after a crash."

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("edition_id", type=int, help="the edition's number (admin list)")
        parser.add_argument("--rate", type=float, default=None, help="messages per second")
        parser.add_argument("--no-progress", action="store_true", help="no progress bar")

    def handle(self, *args: Any, **options: Any) -> None:
        if not Edition.objects.filter(pk=options["edition_id"]).exists():
            raise CommandError(f"no edition {options['edition_id']}")
        enabled = progress_enabled(options)
        label = f"Sending edition {options['edition_id']}"
        with CommandProgress(self, label, enabled=enabled) as progress:
            p = sending.send_edition(
                options["edition_id"],
                per_second=options["rate"],
                on_batch=batch_progress(progress) if enabled else None,
            )
        progress.summary(p.describe())
